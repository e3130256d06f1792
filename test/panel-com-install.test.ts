// `scriptwright panel install excel|solidworks`: the Windows plan printed from here, and its
// execution against an install simulator (a temp folder as %LOCALAPPDATA% and the Windows
// command simulator answering py/python/reg/tasklist). No Python, registry or app is touched.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type PanelEnv, panelInstall } from "../bridge/cli/panel.js";
import { buildComInstallPlan } from "../bridge/panels/com-install.js";
import { comRunnerSource, runnerFiles } from "../bridge/panels/com-targets.js";
import { type HostOs, panelSourceDir, type TargetOs, userFolders } from "../bridge/panels/targets.js";
import { type WindowsMachine, windowsCommandSimulator } from "./helpers/windows-command-simulator.js";

const source = comRunnerSource();
const GOOD_MACHINE: WindowsMachine = {
  pythons: { py: "3.12", python: "3.12" },
  pywin32: true,
  officeVersions: ["16.0"],
};

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

function simulator(current: HostOs, machine: WindowsMachine = GOOD_MACHINE) {
  const home = mkdtempSync(join(tmpdir(), "sw-com-install-"));
  homes.push(home);
  const { runner, calls } = windowsCommandSimulator(machine);
  const out: string[] = [];
  const err: string[] = [];
  const localAppData = join(home, "AppData", "Local");
  const env: PanelEnv = {
    current,
    // native: the simulated Windows folders live on this (POSIX) file system.
    folders: (os: TargetOs) =>
      os === "win"
        ? { home, appData: join(home, "AppData", "Roaming"), localAppData, native: true }
        : { home, native: true },
    runner,
    source: panelSourceDir(),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  };
  const target = join(localAppData, "Scriptwright", "com-runner");
  return { home, target, calls, out, err, env, report: () => JSON.parse(out.join("\n")) };
}

describe("COM runner install plan", () => {
  it("Windows plan from here: %LOCALAPPDATA% target, the runner's two folders, Python and pywin32 checks, how to start", () => {
    const plan = buildComInstallPlan({ app: "excel", folders: userFolders("win", "linux"), source });
    expect(plan.target).toBe("%LOCALAPPDATA%\\Scriptwright\\com-runner");
    const copy = plan.steps[0]!;
    expect(copy.kind === "copy" && copy.files).toEqual(runnerFiles(source));
    const files = copy.kind === "copy" ? copy.files : [];
    expect(files).toContain("windows-com/scriptwright_com.py");
    expect(files).toContain("windows-com/scriptwright_excel.py");
    expect(files).toContain("python-common/scriptwright_host.py");
    expect(files.some((f) => /__pycache__|\.pyc$|simulator/.test(f))).toBe(false);
    expect(plan.steps.map((s) => s.kind)).toEqual(["copy", "python", "pywin32", "vba-trust", "start"]);
    expect(plan.steps.find((s) => s.kind === "vba-trust")).toMatchObject({
      consent: false,
      display:
        "reg add HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Security /v AccessVBOM /t REG_DWORD /d 1 /f",
    });
    expect(plan.steps.at(-1)?.title).toBe(
      'start the runner with the bridge running (scriptwright serve): py -3 "%LOCALAPPDATA%\\Scriptwright\\com-runner\\windows-com\\scriptwright_com.py" excel',
    );
  });

  it("SolidWorks: no VBA trust step", () => {
    const plan = buildComInstallPlan({ app: "solidworks", folders: userFolders("win", "linux"), source });
    expect(plan.steps.map((s) => s.kind)).toEqual(["copy", "python", "pywin32", "start"]);
    expect(plan.notes.join(" ")).toMatch(/VBA macros \(\.swp\) are not used/);
  });
});

describe("panel install excel|solidworks away from Windows (here)", () => {
  it("--os win prints the Windows plan only, runs nothing, exit 0", async () => {
    const sim = simulator("linux");
    expect(await panelInstall("excel", { os: "win", json: true }, sim.env)).toBe(0);
    expect(sim.report()).toMatchObject({ dryRun: true, plan: { app: "excel", os: "win" } });
    expect(sim.err.join("\n")).toMatch(/printing the Windows plan only, nothing was installed/);
    expect(sim.calls).toEqual([]);
    expect(existsSync(join(sim.home, "AppData"))).toBe(false);
  });

  it("without --os: says it runs on Windows only, prints the plan, exit 2", async () => {
    const sim = simulator("linux");
    expect(await panelInstall("solidworks", {}, sim.env)).toBe(2);
    expect(sim.err.join("\n")).toMatch(/SolidWorks runs on Windows only: nothing was installed/);
    expect(sim.out.join("\n")).toMatch(/^Install the Scriptwright COM runner for SolidWorks on Windows:/);
    expect(sim.calls).toEqual([]);
  });

  it("--os mac and --trust-vba-access for SolidWorks or a CEP app are usage errors", async () => {
    const sim = simulator("linux");
    await expect(panelInstall("excel", { os: "mac", dryRun: true }, sim.env)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/on Windows only/),
    });
    await expect(
      panelInstall("solidworks", { trustVbaAccess: true, dryRun: true }, sim.env),
    ).rejects.toMatchObject({
      exitCode: 2,
    });
    await expect(
      panelInstall("aftereffects", { trustVbaAccess: true, dryRun: true }, sim.env),
    ).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe("panel install excel|solidworks on Windows (install simulator)", () => {
  it("copies the runner, finds Python and pywin32, explains trust access without changing it", async () => {
    const sim = simulator("win");
    expect(await panelInstall("excel", { json: true }, sim.env)).toBe(0);
    for (const file of runnerFiles(source)) {
      expect(readFileSync(join(sim.target, ...file.split("/")), "utf8")).toBe(
        readFileSync(join(source, ...file.split("/")), "utf8"),
      );
    }
    const { ok, results } = sim.report();
    expect(ok).toBe(true);
    expect(results.map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`)).toEqual([
      "copy:ok",
      "python:ok",
      "pywin32:ok",
      "vba-trust:todo",
      "start:todo",
    ]);
    expect(results[1].detail).toBe("Python 3.12 (C:\\Python312\\python.exe) via py -3");
    expect(results[3].detail).toMatch(/Trust access to the VBA project object model.*--trust-vba-access/);
    // Without consent nothing touches the registry.
    expect(sim.calls.filter((c) => c[0] === "reg" || c[0] === "tasklist")).toEqual([]);
    expect(results[4].title).toContain(
      `py -3 "${join(sim.target, "windows-com", "scriptwright_com.py")}" excel`,
    );
  });

  it("--trust-vba-access with Excel closed sets AccessVBOM for each Office version found", async () => {
    const sim = simulator("win", { ...GOOD_MACHINE, officeVersions: ["16.0", "15.0"] });
    expect(await panelInstall("excel", { trustVbaAccess: true }, sim.env)).toBe(0);
    expect(sim.calls.filter((c) => c[0] === "reg" && c[1] === "add")).toEqual(
      ["16.0", "15.0"].map((v) => [
        "reg",
        "add",
        `HKCU\\Software\\Microsoft\\Office\\${v}\\Excel\\Security`,
        "/v",
        "AccessVBOM",
        "/t",
        "REG_DWORD",
        "/d",
        "1",
        "/f",
      ]),
    );
    expect(sim.out.join("\n")).toMatch(
      /\[ok {2}\] turn on trust access[\s\S]*restart Excel for it to take effect/,
    );
  });

  it("--trust-vba-access with no Excel settings yet: sets it for 16.0", async () => {
    const sim = simulator("win", { ...GOOD_MACHINE, officeVersions: [] });
    expect(await panelInstall("excel", { trustVbaAccess: true }, sim.env)).toBe(0);
    expect(sim.calls.filter((c) => c[1] === "add").map((c) => c[2])).toEqual([
      "HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Security",
    ]);
  });

  it("--trust-vba-access while Excel runs: asks to close it first and changes nothing", async () => {
    const sim = simulator("win", { ...GOOD_MACHINE, excelProcess: true });
    expect(await panelInstall("excel", { trustVbaAccess: true }, sim.env)).toBe(1);
    expect(sim.out.join("\n")).toMatch(
      /\[FAIL\] turn on trust access[\s\S]*Excel is running: close it first/,
    );
    expect(sim.calls.filter((c) => c[1] === "add")).toEqual([]);
  });

  it("a failing reg add is reported with its output", async () => {
    const sim = simulator("win", { ...GOOD_MACHINE, regAddFails: "ERROR: Access is denied.\r\n" });
    expect(await panelInstall("excel", { trustVbaAccess: true }, sim.env)).toBe(1);
    expect(sim.out.join("\n")).toMatch(
      /AccessVBOM \/t REG_DWORD \/d 1 \/f failed \(exit 1\): ERROR: Access is denied\./,
    );
  });

  it("no py launcher: falls back to python, and the start command names it", async () => {
    const sim = simulator("win", { ...GOOD_MACHINE, pythons: { python: "3.11" } });
    expect(await panelInstall("solidworks", { json: true }, sim.env)).toBe(0);
    const { results } = sim.report();
    expect(results[1].detail).toMatch(/^Python 3\.11 .* via python$/);
    expect(results.at(-1).title).toMatch(/: python ".*scriptwright_com\.py" solidworks$/);
  });

  it("no Python 3: the step fails with where to get it, pywin32 is skipped, exit 1", async () => {
    const sim = simulator("win", { pythons: { python: "2.7" } });
    expect(await panelInstall("solidworks", { json: true }, sim.env)).toBe(1);
    const { ok, results } = sim.report();
    expect(ok).toBe(false);
    expect(results[1]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(
        /py -3: not found; python: Python 2\.7 is too old .*fix: install Python 3 from https:\/\/www\.python\.org/,
      ),
    });
    expect(results[2]).toMatchObject({ kind: "pywin32", status: "skip" });
  });

  it("pywin32 missing: says how to install it with the Python that was found", async () => {
    const sim = simulator("win", { ...GOOD_MACHINE, pywin32: false });
    expect(await panelInstall("excel", { json: true }, sim.env)).toBe(1);
    expect(sim.report().results[2]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/No module named 'win32com'.*fix: py -3 -m pip install pywin32$/),
    });
  });

  it("the installed copy runs on its own: it finds python-common next to it", async () => {
    const sim = simulator("win");
    expect(await panelInstall("solidworks", {}, sim.env)).toBe(0);
    const entry = join(sim.target, "windows-com", "scriptwright_com.py");
    const help = spawnSync("python3", [entry, "--help"], {
      encoding: "utf8",
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/\{excel,solidworks\}/);

    rmSync(join(sim.target, "python-common"), { recursive: true });
    const broken = spawnSync("python3", [entry, "excel"], { encoding: "utf8" });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(
      /python-common.*scriptwright_host\.py is missing.*scriptwright panel install/,
    );
  });

  it("replaces an older copy of the runner, refuses a folder that is someone else's", async () => {
    const sim = simulator("win");
    mkdirSync(join(sim.target, "windows-com"), { recursive: true });
    cpSync(join(source, "windows-com"), join(sim.target, "windows-com"), { recursive: true });
    writeFileSync(join(sim.target, "windows-com", "stale.py"), "");
    expect(await panelInstall("excel", {}, sim.env)).toBe(0);
    expect(existsSync(join(sim.target, "windows-com", "stale.py"))).toBe(false);
    expect(existsSync(join(sim.target, "python-common", "scriptwright_host.py"))).toBe(true);

    const other = simulator("win");
    mkdirSync(other.target, { recursive: true });
    writeFileSync(join(other.target, "notes.txt"), "keep me");
    expect(await panelInstall("excel", { json: true }, other.env)).toBe(1);
    expect(other.report().results[0]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/is not the Scriptwright COM runner; move it away first/),
    });
    expect(readFileSync(join(other.target, "notes.txt"), "utf8")).toBe("keep me");
  });
});
