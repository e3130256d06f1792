// (j) What printing costs a script under the Python runtime's log capture (the first 64 KiB
// kept, the rest only counted), against the same prints into a stream that drops them, timed
// in one python3 in the same run. The test suite checks that nothing past the cap is kept.
import { spawnSync } from "node:child_process";
import { pythonKit } from "../adapters/python/index.js";
import { report, summarize } from "./stats.js";

const ROUNDS = 7;

const HARNESS = `
import json, sys, time
request = json.load(sys.stdin)
exec(compile(request["setup"], "<scriptwright-setup>", "exec"), {"__name__": "__scriptwright__"})

class Dropped:
    def write(self, text):
        return len(text)
    def flush(self):
        pass

def timed(code, name, stream=None):
    real = sys.stdout
    if stream is not None:
        sys.stdout = stream
    try:
        started = time.perf_counter()
        exec(compile(code, name, "exec"), {"__name__": "__scriptwright__"})
        return (time.perf_counter() - started) * 1000
    finally:
        sys.stdout = real

times = {"captured": [], "dropped": []}
for _ in range(request["rounds"]):
    times["captured"].append(timed(request["wrapped"], "<scriptwright>"))
    times["dropped"].append(timed(request["code"], "<bench>", Dropped()))
sys.stdout.write(json.dumps(times))
`;

function measure(python: string, code: string): { captured: number[]; dropped: number[] } {
  const input = JSON.stringify({
    setup: pythonKit.setup!.code,
    wrapped: pythonKit.wrap(code).code,
    code,
    rounds: ROUNDS,
  });
  const result = spawnSync(python, ["-c", HARNESS], { input, encoding: "utf8", maxBuffer: 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python log capture bench failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { captured: number[]; dropped: number[] };
}

export function benchPythonLogCapture(python: string): string {
  const workloads: Array<[string, string]> = [
    ["one 20 MB print", "print('x' * 20_000_000)"],
    ["200,000 prints of 100 characters", "for i in range(200_000):\n    print('y' * 99)"],
  ];
  return workloads
    .map(([name, code]) => {
      const { captured, dropped } = measure(python, code);
      return report(
        `(j) Python log capture: ${name}`,
        "printed into a stream that drops it",
        summarize(dropped),
        [["captured by the runtime (wrapped run)", summarize(captured)]],
      );
    })
    .join("\n");
}
