// `scriptwright macro test NAME | --all`: runs a macro's test cases on a headless host that
// nothing else uses (exit 0 every case passed, 1 otherwise). Through the running bridge when
// there is one (its test host stays warm between runs); else in a bridge of its own, started
// for this command and stopped after it. Also what `batch run` calls before its files.
import { BridgeClient, BridgeHttpError } from "../client/bridge-client.js";
import { NoBridgeError } from "../discovery.js";
import type { TestReport } from "../macro-tests/run-cases.js";
import { MacroError } from "../macros/errors.js";
import type { MacroStore, StoredMacro } from "../macros/store.js";
import { canAsk } from "./confirm.js";
import { CliError, EXIT } from "./exit-codes.js";
import { parseTimeout } from "./format.js";

export interface MacroTestOptions {
  dataDir: string;
  all?: boolean;
  json?: boolean;
  timeout?: string;
}

export async function macroTest(name: string | undefined, options: MacroTestOptions): Promise<number> {
  if (name && options.all) throw new CliError("give a macro name or --all, not both", EXIT.usage);
  if (!name && !options.all) throw new CliError("give a macro name, or --all", EXIT.usage);
  // A running bridge checks the macro and runs it on its warm test host: this process then
  // loads no macro store (ajv, git) and no adapters, which is most of its start-up.
  if (name) {
    const report = await testThroughBridge(name, options);
    if (report) return printReports([report], options, []);
  }
  const { reviewedOrAsk, storeFor } = await import("./macro.js");
  const store = storeFor(options.dataDir);
  const skipped: string[] = [];
  let macros: StoredMacro[];
  if (name) {
    const macro = store.get(name);
    requireTests(macro);
    macros = [await reviewedOrAsk(store, macro)];
  } else {
    const withTests = store
      .list()
      .macros.filter((m) => m.tests?.length)
      .map((m) => store.get(m.name));
    // An agent's macro nobody approved does not run here either: it is named, and counts as not passed.
    macros = withTests.filter((m) => m.reviewed);
    for (const m of withTests.filter((m) => !m.reviewed)) {
      skipped.push(m.name);
      process.stderr.write(
        `skipped ${m.name}: saved by an agent and not approved yet (scriptwright macro approve ${m.name})\n`,
      );
    }
    if (!withTests.length) {
      process.stderr.write(
        "no macro has tests yet: save one with scriptwright macro save NAME … --tests FILE.json\n",
      );
      if (options.json) process.stdout.write("[]\n");
      return EXIT.ok;
    }
  }
  const reports = await runMacroTests(
    store,
    macros.map((m) => m.name),
    {
      dataDir: options.dataDir,
      ...(options.timeout ? { timeoutMs: parseTimeout(options.timeout) } : {}),
    },
  );
  return printReports(reports, options, skipped, name === undefined);
}

function printReports(
  reports: TestReport[],
  options: MacroTestOptions,
  skipped: string[],
  list = false,
): number {
  if (options.json) process.stdout.write(`${JSON.stringify(list ? reports : reports[0])}\n`);
  else for (const report of reports) process.stdout.write(formatReport(report));
  const passed = reports.every((r) => r.failed === 0) && skipped.length === 0;
  return passed ? EXIT.ok : EXIT.scriptError;
}

/**
 * One macro's tests through the running bridge, or null when there is none, or when the macro
 * is an agent's that nobody approved and a person at this terminal may approve it here.
 */
async function testThroughBridge(name: string, options: MacroTestOptions): Promise<TestReport | null> {
  const client = bridgeClient(options.dataDir);
  if (!client) return null;
  try {
    return await client.post<TestReport>(`/api/macros/${encodeURIComponent(name)}/test`, {
      ...(options.timeout ? { timeoutMs: parseTimeout(options.timeout) } : {}),
    });
  } catch (error) {
    if (error instanceof NoBridgeError) return null;
    if (error instanceof BridgeHttpError && error.code === "unreviewed" && canAsk()) return null;
    if (error instanceof BridgeHttpError && error.status < 500)
      throw new MacroError(error.status, error.code, error.message);
    throw error;
  }
}

export function requireTests(macro: StoredMacro): void {
  if (!macro.tests?.length)
    throw new MacroError(
      400,
      "no-tests",
      `macro ${macro.name} has no tests: save it with --tests FILE.json, a list of cases [{name, params, expect: {value | schema | check}}]`,
    );
}

/**
 * Runs each macro's tests, through the running bridge when there is one, else on hosts started
 * here (and stopped before returning). The macros must exist, have tests and be reviewed.
 */
export async function runMacroTests(
  store: MacroStore,
  names: string[],
  options: { dataDir: string; timeoutMs?: number | undefined },
): Promise<TestReport[]> {
  const client = bridgeClient(options.dataDir);
  if (client) {
    try {
      const reports: TestReport[] = [];
      for (const name of names) {
        reports.push(
          await client.post<TestReport>(`/api/macros/${encodeURIComponent(name)}/test`, {
            ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
          }),
        );
      }
      return reports;
    } catch (error) {
      // A bridge.json left by a bridge that is gone: run here instead.
      if (!(error instanceof NoBridgeError)) {
        if (error instanceof BridgeHttpError && error.status < 500)
          throw new MacroError(error.status, error.code, error.message);
        throw error;
      }
    }
  }
  return runHere(store, names, options);
}

function bridgeClient(dataDir: string): BridgeClient | null {
  try {
    return BridgeClient.fromDataDir(dataDir);
  } catch (error) {
    if (error instanceof NoBridgeError) return null;
    throw error;
  }
}

/** No bridge running: a bridge of our own with one headless host per app, for this command only. */
async function runHere(
  store: MacroStore,
  names: string[],
  options: { dataDir: string; timeoutMs?: number | undefined },
): Promise<TestReport[]> {
  // The server and its host supervisor load only here, where they are needed.
  const [{ adapters, languageKits }, { Bridge }, { TestHosts }, { TestResults }, { testMacro }] =
    await Promise.all([
      import("../../adapters/registry.js"),
      import("../server/bridge-server.js"),
      import("../macro-tests/test-hosts.js"),
      import("../macro-tests/results.js"),
      import("../macro-tests/test-macro.js"),
    ]);
  const hosts = new TestHosts({
    adapters,
    dataDir: options.dataDir,
    idleMs: 0,
    makeBridge: (embedded) =>
      new Bridge({
        ...embedded,
        port: 0,
        kits: languageKits,
        adapters,
        writeDiscovery: false,
        autoDocs: false,
      }),
  });
  const results = new TestResults(options.dataDir);
  try {
    const reports: TestReport[] = [];
    for (const name of names)
      reports.push(
        await testMacro(
          name,
          { macros: store, hosts, results },
          {
            ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
            onStarting: (app) => process.stderr.write(`starting a headless ${app} for the tests…\n`),
          },
        ),
      );
    return reports;
  } finally {
    await hosts.stop();
  }
}

export function formatReport(report: TestReport): string {
  const lines = [
    `macro ${report.macro} version ${report.version} (${report.app}): ${report.passed} passed, ${report.failed} failed (${(report.durationMs / 1000).toFixed(2)} s)`,
  ];
  for (const c of report.cases)
    lines.push(`  ${c.ok ? "pass" : "FAIL"}  ${c.name}${c.ok ? "" : `: ${c.reason}`}`);
  return `${lines.join("\n")}\n`;
}
