// CPU-bound processes that compete with the tests for the cores, as other work does on a busy
// machine. Each spins in 50 ms slices so its event loop still notices when its stdin closes:
// the runner holds the other end, so they end with it even when it is killed outright.
import { spawn } from "node:child_process";

const SPIN = `
process.stdin.on("end", () => process.exit(0)).resume();
const spin = () => {
  const until = Date.now() + 50;
  while (Date.now() < until) {}
  setImmediate(spin);
};
spin();`;

export interface BusyProcesses {
  pids: number[];
  /** Kills them (synchronous, so it also works from an "exit" handler). */
  stop(): void;
}

export function startBusyProcesses(count: number): BusyProcesses {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ["-e", SPIN], { stdio: ["pipe", "ignore", "inherit"] }),
  );
  return {
    pids: children.map((child) => child.pid!),
    stop() {
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    },
  };
}
