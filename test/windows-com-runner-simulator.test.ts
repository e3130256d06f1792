// The Windows COM runner (panels/windows-com) run for real (python3) against a real bridge,
// with pywin32 replaced by the COM simulator (test/simulators/com_simulator). What is checked
// is the runner's own logic: where the VBA module goes, how it is called and always removed,
// what the user is told when Excel or SolidWorks is missing or refuses, which thread makes
// COM calls, and that SolidWorks scripts run through the Python kit with `swApp` bound.
// The simulated apps do not interpret VBA and are not SolidWorks: none of this shows that
// Excel or SolidWorks work.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { unwrapEnvelope } from "../adapters/envelope.js";
import { pythonKit } from "../adapters/python/index.js";
import { languageKits } from "../adapters/registry.js";
import { packagePath } from "../adapters/shared/package-path.js";
import { solidworksAdapter } from "../adapters/solidworks/index.js";
import type { LanguageKit } from "../adapters/types.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import {
  COM_SIMULATOR_DIR,
  type ComRunnerSimulator,
  type JournalEntry,
  startComRunner,
  waitForHost,
} from "./helpers/com-runner-simulator.js";

/**
 * Stands in for the VBA kit in these tests: wraps the body into a complete module with the
 * entry point the runner calls, and reads the runner's output with the shared envelope reader.
 */
const vbaModuleSimulatorKit: LanguageKit = {
  language: "vba",
  preflight: () => [],
  wrap: (code) => ({
    code: ["Option Explicit", "Public Function ScriptwrightRun() As String", code, "End Function", ""].join(
      "\n",
    ),
    lineOffset: 2,
  }),
  unwrap: (output, wrapped) =>
    unwrapEnvelope(output, { panel: "the Excel runner", placeholders: [], lineOffset: wrapped.lineOffset }),
  risk: () => [],
};

/** A body the Excel simulator evaluates: it returns this envelope, as the VBA kit's module would. */
function returning(value: unknown): string {
  const envelope = JSON.stringify({ $scriptwright: 1, ok: true, value });
  return `ScriptwrightRun = "${envelope.replaceAll('"', '""')}"`;
}

const BOOK = "O'Brien Q1.xlsx";
function excelState(overrides: Record<string, unknown> = {}) {
  return {
    excel: {
      running: true,
      version: "16.0",
      trustVbaAccess: true,
      requireVariableDeclaration: true,
      workbooks: [{ name: BOOK, fullName: `C:\\Users\\ada\\${BOOK}` }, { name: "Other.xlsx" }],
      activeWorkbook: 0,
      ...overrides,
    },
  };
}

const events = (entries: JournalEntry[], name: string) => entries.filter((e) => e.event === name);

let fixture: BridgeFixture;
const runners: ComRunnerSimulator[] = [];
const simulatorBridge = (dataDir?: string) =>
  startBridge({
    kits: new Map([
      ["python", pythonKit],
      ["vba", vbaModuleSimulatorKit],
    ]),
    adapters: new Map([[solidworksAdapter.app, solidworksAdapter]]),
    ...(dataDir ? { dataDir } : {}),
  });
beforeAll(async () => {
  fixture = await simulatorBridge();
});
afterAll(async () => {
  for (const runner of runners) await runner.close();
  await fixture?.close();
});

function start(options: Omit<Parameters<typeof startComRunner>[0], "fixture">): ComRunnerSimulator {
  const runner = startComRunner({ fixture, ...options });
  runners.push(runner);
  return runner;
}

describe("Excel through the COM runner (simulator)", () => {
  let excel: ComRunnerSimulator;
  let hostId: string;

  beforeAll(async () => {
    excel = start({ app: "excel", state: excelState(), name: "excel-sim" });
    hostId = await waitForHost(fixture, excel, "excel-sim");
  });
  afterEach(() => excel.setState(excelState()));

  const runOn = (code: string) => fixture.run({ host: hostId, code });

  it("says hello as an Excel host speaking VBA, with Excel's version and the active workbook", async () => {
    const hosts = (await (await fixture.api("/api/hosts")).json()) as Record<string, unknown>[];
    expect(hosts.find((h) => h.id === hostId)).toMatchObject({
      app: "excel",
      appVersion: "16.0",
      language: "vba",
      document: `C:\\Users\\ada\\${BOOK}`,
    });
    // COM is initialised once, on the thread that then attaches and runs every script.
    expect(events(excel.journal(), "CoInitialize")).toEqual([
      { event: "CoInitialize", thread: "MainThread" },
    ]);
  });

  it("imports the module into the active workbook, runs it by its qualified name, then removes it", async () => {
    const since = excel.mark();
    const value = { total: 4 * 1000 + excel.journal().length };
    const result = await runOn(returning(value));
    expect(result).toMatchObject({ outcome: "ok", value });

    const journal = since();
    expect(journal.map((e) => e.event)).toEqual([
      "Excel.DisplayAlerts",
      "VBComponents.Add",
      "VBComponent.Name",
      "CodeModule.AddFromString",
      "Excel.Run",
      "Excel.Run.module",
      "VBComponents.Remove",
      "Excel.DisplayAlerts",
    ]);
    expect(events(journal, "VBComponents.Add")[0]).toMatchObject({ workbook: BOOK });
    // Named after the runner's pid, so a leftover of this runner is recognised later.
    const name = `ScriptwrightTmp${excel.child.pid}_1`;
    expect(events(journal, "VBComponent.Name")[0]).toMatchObject({ new: name });
    // The book name is quoted, its apostrophe doubled; Excel alerts are off during the call.
    expect(events(journal, "Excel.Run")[0]).toEqual({
      event: "Excel.Run",
      macro: `'O''Brien Q1.xlsx'!${name}.ScriptwrightRun`,
      displayAlerts: false,
    });
    // Exactly the kit's text: the Option Explicit that new modules start with was cleared first.
    expect(events(journal, "Excel.Run.module")[0]?.text).toBe(
      vbaModuleSimulatorKit.wrap(returning(value)).code,
    );
    expect(events(journal, "VBComponents.Remove")[0]).toMatchObject({ workbook: BOOK, name });
    expect(events(journal, "Excel.DisplayAlerts").map((e) => e.value)).toEqual([false, true]);
  });

  it("reports a compile error from Run cleanly, still removes the module and restores DisplayAlerts", async () => {
    const since = excel.mark();
    const result = await runOn("Dim total As Long");
    expect(result.outcome).toBe("error");
    expect(result.error.message).toMatch(
      /^the host could not evaluate the script: Excel failed while running 'O''Brien Q1\.xlsx'!ScriptwrightTmp\d+_\d+\.ScriptwrightRun: Compile error in ScriptwrightTmp\d+_\d+ line 3: Syntax error \(0x800A03EC\)$/,
    );
    expect(result.error.message).not.toMatch(/Traceback/);
    const journal = since();
    const added = events(journal, "VBComponent.Name")[0]?.new;
    expect(events(journal, "VBComponents.Remove")).toEqual([
      { event: "VBComponents.Remove", workbook: BOOK, name: added },
    ]);
    expect(events(journal, "Excel.DisplayAlerts").map((e) => e.value)).toEqual([false, true]);
    expect(await runOn(returning("after"))).toMatchObject({ outcome: "ok", value: "after" });
  });

  it("without trust access to the VBA project: names the setting, adds nothing, restores DisplayAlerts", async () => {
    excel.setState(excelState({ trustVbaAccess: false }));
    const since = excel.mark();
    const result = await runOn(returning(1));
    expect(result.outcome).toBe("error");
    expect(result.error.message).toContain(
      'File › Options › Trust Center › Trust Center Settings › Macro Settings › "Trust access to the VBA project object model"',
    );
    expect(result.error.message).toContain(
      "HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Security\\AccessVBOM = 1",
    );
    expect(result.error.message).toContain(
      "Programmatic access to Visual Basic Project is not trusted (0x800A03EC)",
    );
    const journal = since();
    expect(events(journal, "Excel.VBProject.denied")).toHaveLength(1);
    expect(events(journal, "VBComponents.Add")).toEqual([]);
    expect(events(journal, "Excel.DisplayAlerts").map((e) => e.value)).toEqual([false, true]);

    excel.setState(excelState());
    expect(await runOn(returning("trusted"))).toMatchObject({ outcome: "ok", value: "trusted" });
  });

  it("with no workbook open: says so and touches no VBA project", async () => {
    excel.setState(excelState({ activeWorkbook: null }));
    const since = excel.mark();
    const result = await runOn(returning(1));
    expect(result).toMatchObject({ outcome: "error" });
    expect(result.error.message).toMatch(
      /Excel has no workbook open .*open or create a workbook, then run again/,
    );
    expect(since().map((e) => e.event)).toEqual([]);
  });

  it("while Excel is busy (a cell being edited): says what to do instead of a raw COM error", async () => {
    excel.setState(excelState({ busy: true }));
    const result = await runOn(returning(1));
    expect(result.error.message).toMatch(
      /Excel is busy and refused the call: a cell is being edited.*Enter or Esc/,
    );
  });

  it("a module whose removal failed is removed before the next run", async () => {
    excel.setState(excelState({ failRemove: true }));
    const since = excel.mark();
    // The result still counts: removing the module is cleanup, not the script.
    expect(await runOn(returning("kept"))).toMatchObject({ outcome: "ok", value: "kept" });
    const leftover = events(since(), "VBComponents.Remove.failed")[0]?.name;
    expect(leftover).toMatch(/^ScriptwrightTmp\d+_\d+$/);

    excel.setState(excelState());
    const next = excel.mark();
    expect(await runOn(returning("clean"))).toMatchObject({ outcome: "ok", value: "clean" });
    const journal = next();
    const removed = events(journal, "VBComponents.Remove").map((e) => e.name);
    expect(removed[0]).toBe(leftover);
    expect(removed).toHaveLength(2);
    expect(journal.findIndex((e) => e.event === "VBComponents.Remove")).toBeLessThan(
      journal.findIndex((e) => e.event === "VBComponents.Add"),
    );
  });

  it("Excel closed between runs: says it is not running; once reopened, attaches again", async () => {
    excel.setState(excelState({ running: false }));
    const closed = await runOn(returning(1));
    expect(closed.error.message).toMatch(/Excel is not running, or not reachable through COM: open Excel/);

    excel.setState(excelState());
    const since = excel.mark();
    expect(await runOn(returning("reopened"))).toMatchObject({ outcome: "ok", value: "reopened" });
    expect(events(since(), "GetActiveObject")).toEqual([
      { event: "GetActiveObject", progId: "Excel.Application" },
    ]);
  });
});

describe("COM runner across bridge restarts (simulator)", () => {
  it("finds a restarted bridge through bridge.json and serves it; --once exits instead", async () => {
    const first = await simulatorBridge();
    let second: BridgeFixture | undefined;
    const runner = startComRunner({
      fixture: first,
      app: "excel",
      state: excelState(),
      name: "excel-stays",
      discover: first.dataDir,
    });
    const once = startComRunner({
      fixture: first,
      app: "excel",
      state: excelState(),
      name: "excel-once",
      discover: first.dataDir,
      args: ["--once"],
    });
    try {
      await waitForHost(first, runner, "excel-stays");
      await waitForHost(first, once, "excel-once");
      await first.bridge.stop(); // removes bridge.json; the next bridge gets another port and token
      expect(await once.exited).toBe(0);
      second = await simulatorBridge(first.dataDir);
      const hostId = await waitForHost(second, runner, "excel-stays");
      expect(await second.run({ host: hostId, code: returning("after the restart") })).toMatchObject({
        outcome: "ok",
        value: "after the restart",
      });
      expect(runner.stderr()).toMatch(/waiting for the bridge/);
    } finally {
      await runner.close();
      await once.close();
      await second?.close();
    }
  }, 60_000);
});

describe("Excel runner start-up (simulator)", () => {
  it("Excel not running: exits 2 and says how to fix it", async () => {
    const runner = start({ app: "excel", state: excelState({ running: false }), name: "excel-absent" });
    expect(await runner.exited).toBe(2);
    expect(runner.stderr()).toMatch(
      /Excel is not running, or not reachable through COM.*--start to launch one/,
    );
    expect(fixture.bridge.pool.list().some((h) => h.name === "excel-absent")).toBe(false);
  });

  it("--start launches Excel with a blank workbook and runs in it", async () => {
    const runner = start({
      app: "excel",
      state: excelState({ running: false }),
      name: "excel-started",
      args: ["--start"],
    });
    const id = await waitForHost(fixture, runner, "excel-started");
    expect(events(runner.journal(), "Dispatch")).toEqual([
      { event: "Dispatch", progId: "Excel.Application" },
    ]);
    expect(events(runner.journal(), "Excel.Workbooks.Add")).toEqual([
      { event: "Excel.Workbooks.Add", name: "Book1" },
    ]);
    expect(await fixture.run({ host: id, code: returning([1, 2]) })).toMatchObject({
      outcome: "ok",
      value: [1, 2],
    });
    expect(events(runner.journal(), "Excel.Run")[0]?.macro).toMatch(
      /^'Book1'!ScriptwrightTmp\d+_1\.ScriptwrightRun$/,
    );
  });
});

const PART = {
  title: "Bracket.SLDPRT",
  path: "C:\\Parts\\Bracket.SLDPRT",
  type: 1,
  configuration: "Machined",
  selected: 2,
  features: Array.from({ length: 60 }, (_, i) => ({
    name: `Feature${i + 1}`,
    type: i % 2 ? "Fillet" : "Extrusion",
  })),
};
function solidworksState(overrides: Record<string, unknown> = {}) {
  return { solidworks: { running: true, revision: "32.1.0", activeDoc: PART, ...overrides } };
}

describe("SolidWorks through the COM runner (simulator)", () => {
  let solidworks: ComRunnerSimulator;
  let hostId: string;

  beforeAll(async () => {
    solidworks = start({ app: "solidworks", state: solidworksState(), name: "solidworks-sim" });
    hostId = await waitForHost(fixture, solidworks, "solidworks-sim");
  });
  afterEach(() => solidworks.setState(solidworksState()));

  const runSw = (code: string) => fixture.run({ host: hostId, code });

  it("says hello as a SolidWorks host speaking Python, with the revision and the open document", async () => {
    const hosts = (await (await fixture.api("/api/hosts")).json()) as Record<string, unknown>[];
    expect(hosts.find((h) => h.id === hostId)).toMatchObject({
      app: "solidworks",
      appVersion: "32.1.0",
      language: "python",
      document: PART.path,
    });
  });

  it("runs Python kit-wrapped code with swApp, win32com and pythoncom bound; logs come back", async () => {
    const result = await runSw(
      [
        "doc = swApp.ActiveDoc",
        "print('renaming', doc.GetTitle())",
        'doc.SetTitle2("Bracket-v2")',
        "[doc.GetTitle(), doc.GetType(), win32com.client.__name__, pythoncom.__name__]",
      ].join("\n"),
    );
    expect(result).toMatchObject({
      outcome: "ok",
      value: ["Bracket-v2", 1, "win32com.client", "pythoncom"],
      logs: "renaming Bracket.SLDPRT\n",
    });
    expect(events(solidworks.journal(), "ModelDoc2.SetTitle2")).toEqual([
      { event: "ModelDoc2.SetTitle2", title: "Bracket-v2" },
    ]);
  });

  it("maps an error to the line in the script", async () => {
    const result = await runSw("doc = swApp.ActiveDoc\n\ndoc.NoSuchMethod()");
    expect(result.outcome).toBe("error");
    expect(result.error).toMatchObject({ type: "AttributeError", line: 3 });
    expect(result.error.message).toMatch(/NoSuchMethod/);
  });

  it("state probe: document, type, configuration, a bounded feature list, selection count", async () => {
    const res = await fixture.api(`/api/hosts/${hostId}/state`);
    const state = (await res.json()) as { outcome: string; value: Record<string, unknown> };
    expect(state.outcome).toBe("ok");
    expect(state.value).toEqual({
      revision: "32.1.0",
      document: {
        title: expect.any(String),
        path: PART.path,
        type: "part",
        unsavedChanges: expect.any(Boolean),
        configuration: "Machined",
        topLevelFeatureCount: 60,
        features: PART.features.slice(0, 50),
        moreFeatures: true,
        selectedCount: 2,
      },
    });
  });

  it("state probe under late binding (zero-argument methods answer on access) reads the same", async () => {
    solidworks.setState(solidworksState({ lateBound: true }));
    const lateBound = (await (await fixture.api(`/api/hosts/${hostId}/state`)).json()) as { value: unknown };
    solidworks.setState(solidworksState());
    const early = (await (await fixture.api(`/api/hosts/${hostId}/state`)).json()) as { value: unknown };
    expect(lateBound.value).toEqual(early.value);
    expect(lateBound.value).toMatchObject({
      revision: "32.1.0",
      document: { type: "part", path: PART.path },
    });
  });

  it("state probe for a drawing has no configuration; with no document open, document is null", async () => {
    solidworks.setState(solidworksState({ activeDoc: { title: "Sheet", path: "", type: 3, features: [] } }));
    const drawing = (await (await fixture.api(`/api/hosts/${hostId}/state`)).json()) as { value: unknown };
    expect(drawing.value).toMatchObject({
      document: { type: "drawing", configuration: null, path: null, features: [], moreFeatures: false },
    });
    solidworks.setState(solidworksState({ activeDoc: null }));
    const empty = (await (await fixture.api(`/api/hosts/${hostId}/state`)).json()) as { value: unknown };
    expect(empty.value).toEqual({ revision: "32.1.0", document: null });
  });

  it("SolidWorks closed: the run says it is not running; reopened, the next run attaches again", async () => {
    solidworks.setState({ solidworks: { running: false } });
    const closed = await runSw("swApp.ActiveDoc.GetTitle()");
    expect(closed.outcome).toBe("error");
    expect(closed.error.message).toMatch(
      /^prelude failed: SolidWorks is not running, or not reachable through COM/,
    );
    expect(closed.error.type).toBe("AppNotRunning");
    solidworks.setState(solidworksState());
    expect(await runSw("swApp.ActiveDoc.GetTitle()")).toMatchObject({ outcome: "ok", value: PART.title });
  });
});

describe("SolidWorks runner start-up (simulator)", () => {
  it("--start launches SolidWorks (Dispatch) when it is not running", async () => {
    const runner = start({
      app: "solidworks",
      state: { solidworks: { running: false, revision: "31.0.0" } },
      name: "solidworks-started",
      args: ["--start"],
    });
    const id = await waitForHost(fixture, runner, "solidworks-started");
    expect(events(runner.journal(), "Dispatch")).toEqual([
      { event: "Dispatch", progId: "SldWorks.Application" },
    ]);
    expect(await fixture.run({ host: id, code: "[swApp.Visible, swApp.ActiveDoc]" })).toMatchObject({
      outcome: "ok",
      value: [true, null],
    });
  });
});

describe.skipIf(!languageKits.get("vba"))("the VBA kit and the Excel runner agree", () => {
  it("on the entry point the runner calls", () => {
    const runner = readFileSync(packagePath("panels", "windows-com", "scriptwright_excel.py"), "utf8");
    const entry = /^ENTRY_POINT = "(\w+)"$/m.exec(runner)?.[1];
    expect(entry).toBe("ScriptwrightRun");
    const module = languageKits.get("vba")!.wrap("Result = 1").code;
    expect(module.split("\n").filter((line) => line === `Public Function ${entry}() As String`)).toHaveLength(
      1,
    );
  });
});

describe("the COM simulator itself", () => {
  it("refuses calls from a thread that did not create the object, as an STA proxy does", () => {
    const script = [
      "import threading, pythoncom, win32com.client",
      "pythoncom.CoInitialize()",
      'app = win32com.client.GetActiveObject("SldWorks.Application")',
      "errors = []",
      "def other():",
      "    pythoncom.CoInitialize()",
      "    try:",
      "        app.Visible",
      "    except pythoncom.com_error as error:",
      "        errors.append(error.hresult)",
      "t = threading.Thread(target=other); t.start(); t.join()",
      "print(app.Visible, errors)",
    ].join("\n");
    const dir = mkdtempSync(join(tmpdir(), "sw-com-sim-self-"));
    try {
      writeFileSync(join(dir, "state.json"), JSON.stringify(solidworksState()));
      const out = execFileSync("python3", ["-c", script], {
        env: {
          ...process.env,
          PYTHONPATH: COM_SIMULATOR_DIR,
          PYTHONDONTWRITEBYTECODE: "1",
          SCRIPTWRIGHT_COM_SIMULATOR_STATE: join(dir, "state.json"),
        },
        encoding: "utf8",
      });
      // 0x8001010E RPC_E_WRONG_THREAD, as a signed 32-bit int.
      expect(out.trim()).toBe("True [-2147417842]");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
