// `scriptwright panel doctor excel|solidworks` against an install simulator: a temp folder as
// %LOCALAPPDATA% (the runner copied there or not), the Windows command simulator answering
// py/python/reg, and a real in-process bridge with protocol hosts standing in for runners.
// No Python, registry, Excel or SolidWorks is involved.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type PanelEnv, panelDoctor } from "../bridge/cli/panel.js";
import { copyRunner } from "../bridge/panels/com-install.js";
import { comRunnerSource, runnerFiles } from "../bridge/panels/com-targets.js";
import type { DoctorCheck } from "../bridge/panels/doctor.js";
import { type HostOs, panelSourceDir, type TargetOs } from "../bridge/panels/targets.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { ProtocolHost } from "./helpers/protocol-host.js";
import { type WindowsMachine, windowsCommandSimulator } from "./helpers/windows-command-simulator.js";

const source = comRunnerSource();
const HEALTHY: WindowsMachine = {
  pythons: { py: "3.12" },
  pywin32: true,
  officeVersions: ["16.0"],
  accessVbom: { "16.0": 1 },
  reachable: ["Excel.Application", "SldWorks.Application"],
};

let fx: BridgeFixture;
const homes: string[] = [];
const hosts: ProtocolHost[] = [];
beforeAll(async () => {
  fx = await startBridge();
});
afterEach(async () => {
  for (const host of hosts.splice(0)) {
    const closed = host.closed();
    host.close();
    await closed;
  }
  // The bridge forgets a host when it sees the close: wait for that before the next test.
  while (fx.bridge.pool.list().length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
});
afterAll(async () => {
  await fx?.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function simulator(current: HostOs, machine: WindowsMachine, options: { installed: boolean }) {
  const home = mkdtempSync(join(tmpdir(), "sw-com-doctor-"));
  homes.push(home);
  const localAppData = join(home, "AppData", "Local");
  const target = join(localAppData, "Scriptwright", "com-runner");
  if (options.installed) copyRunner(source, target, runnerFiles(source));
  const { runner, calls } = windowsCommandSimulator(machine);
  const out: string[] = [];
  const env: PanelEnv = {
    current,
    folders: (os: TargetOs) =>
      os === "win"
        ? { home, appData: join(home, "AppData", "Roaming"), localAppData, native: true }
        : { home, native: true },
    runner,
    source: panelSourceDir(),
    out: (t) => out.push(t),
    err: () => {},
  };
  return { target, calls, out, env };
}

async function doctor(sim: ReturnType<typeof simulator>, app: string, dataDir = fx.dataDir) {
  const code = await panelDoctor(app, { json: true, dataDir }, sim.env);
  const report = JSON.parse(sim.out.join("\n")) as { ok: boolean; checks: DoctorCheck[] };
  return { code, report, byId: Object.fromEntries(report.checks.map((c) => [c.id, c])) };
}

async function connectRunner(app: string): Promise<void> {
  hosts.push(await ProtocolHost.connect({ url: fx.url, token: fx.token, app, name: `${app}-runner` }));
}

describe("panel doctor excel|solidworks on Windows (install simulator)", () => {
  it("all good: every check ok, exit 0", async () => {
    await connectRunner("excel");
    const sim = simulator("win", HEALTHY, { installed: true });
    const { code, report, byId } = await doctor(sim, "excel");
    expect(report.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      "python:ok",
      "pywin32:ok",
      "runner-files:ok",
      "vba-trust:ok",
      "app-running:ok",
      "bridge:ok",
      "host-connected:ok",
    ]);
    expect(code).toBe(0);
    expect(byId["vba-trust"]?.detail).toMatch(/AccessVBOM = 1 for Office 16\.0/);
    expect(byId["host-connected"]?.detail).toBe("Connected: excel-runner (Excel 1.0).");
    expect(sim.calls).toContainEqual([
      "py",
      "-3",
      "-c",
      'import win32com.client; win32com.client.GetActiveObject("Excel.Application")',
    ]);
  });

  it("nothing set up: each failure says what to change, checks that need an earlier one are skipped", async () => {
    const sim = simulator("win", { pythons: {} }, { installed: false });
    const { code, byId } = await doctor(sim, "excel");
    expect(code).toBe(1);
    expect(byId.python).toMatchObject({
      status: "fail",
      detail: "No Python 3.8 or later to run the runner with (py -3: not found; python: not found).",
      fix: expect.stringContaining("https://www.python.org/downloads/windows/"),
    });
    expect(byId.pywin32).toMatchObject({ status: "skip" });
    expect(byId["runner-files"]).toMatchObject({
      status: "fail",
      fix: "run: scriptwright panel install excel",
    });
    expect(byId["vba-trust"]).toMatchObject({
      status: "fail",
      fix: expect.stringContaining(
        'File › Options › Trust Center › Trust Center Settings › Macro Settings › "Trust access to the VBA project object model"',
      ),
    });
    expect(byId["vba-trust"]?.fix).toContain("scriptwright panel install excel --trust-vba-access");
    expect(byId["app-running"]).toMatchObject({ status: "skip" });
    expect(byId["host-connected"]).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/^start the runner: py -3 ".*scriptwright_com\.py" excel$/),
    });
  });

  it("pywin32 missing: the fix is the pip command for the Python found", async () => {
    const sim = simulator("win", { ...HEALTHY, pywin32: false }, { installed: true });
    const { byId } = await doctor(sim, "solidworks");
    expect(byId.pywin32).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("ModuleNotFoundError: No module named 'win32com'"),
      fix: "run: py -3 -m pip install pywin32",
    });
    expect(byId["app-running"]).toMatchObject({ status: "skip" });
  });

  it("an installed runner that differs from this version asks for a reinstall", async () => {
    const sim = simulator("win", HEALTHY, { installed: true });
    writeFileSync(join(sim.target, "windows-com", "scriptwright_excel.py"), "# older\n");
    const { byId } = await doctor(sim, "excel");
    expect(byId["runner-files"]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(
        /^1 of \d+ files in .* are missing or differ from this Scriptwright \(windows-com\/scriptwright_excel\.py\)\.$/,
      ),
      fix: "reinstall: run: scriptwright panel install excel",
    });
  });

  it("AccessVBOM off by group policy: says that the user cannot change it", async () => {
    const sim = simulator("win", { ...HEALTHY, policy: { "16.0": 0 } }, { installed: true });
    const { byId } = await doctor(sim, "excel");
    expect(byId["vba-trust"]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/group policy turns it off for Office 16\.0/),
    });
  });

  it("SolidWorks: no VBA check; not reachable through COM → start it or use --start", async () => {
    await connectRunner("excel");
    const sim = simulator("win", { ...HEALTHY, reachable: [] }, { installed: true });
    const { code, report, byId } = await doctor(sim, "solidworks");
    expect(code).toBe(1);
    expect(report.checks.map((c) => c.id)).not.toContain("vba-trust");
    expect(byId["app-running"]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(
        /^SolidWorks does not answer through COM \(pywintypes\.com_error: \(-2147221021/,
      ),
      fix: "start SolidWorks, or start the runner with --start to launch it",
    });
    // An Excel runner is connected, not a SolidWorks one.
    expect(byId["host-connected"]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/No solidworks host/),
    });
  });
});

describe("panel doctor excel|solidworks away from Windows (here)", () => {
  it("skips what only Windows can answer, runs no command, still checks the bridge and the host", async () => {
    await connectRunner("solidworks");
    const sim = simulator("linux", HEALTHY, { installed: false });
    const { code, report, byId } = await doctor(sim, "solidworks");
    expect(code).toBe(1);
    expect(report.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      "python:skip",
      "pywin32:skip",
      "runner-files:skip",
      "app-running:skip",
      "bridge:ok",
      "host-connected:ok",
    ]);
    expect(byId.python?.detail).toBe("cannot check on Linux: SolidWorks and its runner run on Windows");
    expect(sim.calls).toEqual([]);
  });

  it("no bridge: the host check is skipped, the bridge check says how to start it", async () => {
    const sim = simulator("linux", HEALTHY, { installed: false });
    const { byId } = await doctor(sim, "excel", join(homes.at(-1)!, "no-bridge"));
    expect(byId.bridge).toMatchObject({ status: "fail", fix: "start the bridge: scriptwright serve" });
    expect(byId["host-connected"]).toMatchObject({ status: "skip" });
  });

  it("--os mac is a usage error", async () => {
    const sim = simulator("linux", HEALTHY, { installed: false });
    await expect(panelDoctor("excel", { os: "mac", dataDir: fx.dataDir }, sim.env)).rejects.toMatchObject({
      exitCode: 2,
    });
  });
});
