// `macro test NAME`, wherever it runs (the bridge's route, the CLI with no bridge, a batch
// before its files): the macro's current version, reviewed, run case by case on a test host,
// and the report kept with that version.
import { MacroError } from "../macros/errors.js";
import type { MacroStore } from "../macros/store.js";
import type { TestResults } from "./results.js";
import { runCases, type TestReport } from "./run-cases.js";
import type { TestHosts } from "./test-hosts.js";

export interface TestMacroParts {
  macros: MacroStore;
  hosts: TestHosts;
  results: TestResults;
}

export async function testMacro(
  name: string,
  parts: TestMacroParts,
  options: { signal?: AbortSignal; timeoutMs?: number; onStarting?: (app: string) => void } = {},
): Promise<TestReport> {
  const macro = parts.macros.get(name);
  if (!macro.tests?.length)
    throw new MacroError(
      400,
      "no-tests",
      `macro ${name} has no tests: save it with --tests FILE.json, a list of cases [{name, params, expect: {value | schema | check}}]`,
    );
  // Tests run the macro's code (and its checks) in the app: an agent's code waits for a person.
  parts.macros.requireReviewed(macro);
  const view = await parts.macros.versions(name);
  const version = view.versions.find((v) => v.current)?.version ?? view.versions.at(-1)?.version ?? 1;
  const report = await parts.hosts.use(
    macro.app,
    (host) =>
      runCases(macro, version, {
        ...host,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      }),
    () => options.onStarting?.(macro.app),
  );
  parts.results.add(report);
  return report;
}
