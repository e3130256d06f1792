// npm run test:load [-- FILE… --vitest-option=value…]: the real-host test files (or the ones
// named) with two CPU-bound processes beside them, so waits that only hold on an idle machine
// fail here first. The busy processes stop with the run: when it ends, fails, is interrupted
// (Ctrl-C) or is killed.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startBusyProcesses } from "./busy-processes.js";
import { realHostTestFiles } from "./real-host-files.js";

const BUSY = 2;
const root = fileURLToPath(new URL("../..", import.meta.url));
// Arguments starting with "-" go to vitest as they are (so --name=value, not --name value).
const args = process.argv.slice(2);
const vitestOptions = args.filter((arg) => arg.startsWith("-"));
const named = args.filter((arg) => !arg.startsWith("-"));
const files = named.length > 0 ? named : realHostTestFiles(root);

const busy = startBusyProcesses(BUSY);
process.on("exit", () => busy.stop());
console.log(
  `test:load: ${files.length} test file(s) beside ${BUSY} busy processes (pids ${busy.pids.join(", ")})`,
);

const vitest = spawn(
  process.execPath,
  [
    fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url)),
    "run",
    ...vitestOptions,
    ...files,
  ],
  {
    cwd: root,
    stdio: "inherit",
  },
);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    busy.stop();
    vitest.kill(signal);
  });
}
vitest.on("error", (error) => {
  console.error(`test:load: could not start vitest: ${error.message}`);
  process.exit(1);
});
vitest.on("exit", (code, signal) => {
  busy.stop();
  console.log(`test:load: vitest ${signal ? `ended by ${signal}` : `exited with ${code}`}`);
  process.exit(code ?? 1);
});
