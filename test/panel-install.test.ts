// `scriptwright panel install`: plans for macOS and Windows, and their execution against an
// install simulator (a temp folder as the home directory and a fake command runner that
// records calls and answers like reg/defaults/killall). No Adobe app or OS setting is touched.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../bridge/cli/exit-codes.js";
import { type PanelEnv, panelInstall } from "../bridge/cli/panel.js";
import { listFiles } from "../bridge/panels/files.js";
import { buildInstallPlan, type InstallPlan } from "../bridge/panels/install-plan.js";
import { executePlan } from "../bridge/panels/install-run.js";
import type { CommandResult, CommandRunner } from "../bridge/panels/runner.js";
import { type HostOs, panelSourceDir, type TargetOs, userFolders } from "../bridge/panels/targets.js";

const source = panelSourceDir();

function commands(plan: InstallPlan) {
  return plan.steps.flatMap((s) => (s.kind === "command" ? [s.display] : []));
}

describe("install plans", () => {
  it("macOS: copy to ~/Library/…/CEP/extensions/scriptwright, defaults write for CSXS 9–12, killall cfprefsd", () => {
    const plan = buildInstallPlan({
      app: "aftereffects",
      os: "mac",
      folders: userFolders("mac", "linux"),
      source,
    });
    expect(plan.target).toBe("~/Library/Application Support/Adobe/CEP/extensions/scriptwright");
    expect(plan.steps[0]).toMatchObject({ kind: "copy", from: source, to: plan.target });
    expect(commands(plan)).toEqual([
      "defaults write com.adobe.CSXS.9 PlayerDebugMode 1",
      "defaults write com.adobe.CSXS.10 PlayerDebugMode 1",
      "defaults write com.adobe.CSXS.11 PlayerDebugMode 1",
      "defaults write com.adobe.CSXS.12 PlayerDebugMode 1",
      "killall cfprefsd",
    ]);
    expect(plan.steps.at(-1)).toEqual({
      kind: "manual",
      title: "restart After Effects; the panel is under Window › Extensions › Scriptwright",
    });
    expect(plan.notes.join(" ")).not.toMatch(/UXP/);
  });

  it("Windows: copy to %APPDATA%\\Adobe\\CEP\\extensions\\scriptwright, reg add for CSXS 9–12", () => {
    const plan = buildInstallPlan({
      app: "aftereffects",
      os: "win",
      folders: userFolders("win", "linux"),
      source,
    });
    expect(plan.target).toBe("%APPDATA%\\Adobe\\CEP\\extensions\\scriptwright");
    expect(commands(plan)).toEqual(
      [9, 10, 11, 12].map(
        (n) => `reg add HKCU\\Software\\Adobe\\CSXS.${n} /v PlayerDebugMode /t REG_SZ /d 1 /f`,
      ),
    );
    const reg = plan.steps.find((s) => s.kind === "command");
    // An argument list for execFile, never a shell string.
    expect(reg).toMatchObject({
      file: "reg",
      args: [
        "add",
        "HKCU\\Software\\Adobe\\CSXS.9",
        "/v",
        "PlayerDebugMode",
        "/t",
        "REG_SZ",
        "/d",
        "1",
        "/f",
      ],
    });
    expect(plan.steps.at(-1)?.kind).toBe("manual");
  });

  it("the copy never includes a .debug file", () => {
    const plan = buildInstallPlan({ app: "aftereffects", os: "mac", folders: { home: "/Users/x" }, source });
    const copy = plan.steps[0]!;
    expect(copy.kind === "copy" && copy.files).toContain("CSXS/manifest.xml");
    expect(copy.kind === "copy" && copy.files.some((f) => f.endsWith(".debug"))).toBe(false);
  });

  it("premiere before 25.6: the same CEP panel, plus the note that 25.6+ use the UXP plugin", () => {
    const plan = buildInstallPlan({
      app: "premiere",
      os: "win",
      folders: { home: "C:\\Users\\x", appData: "C:\\Users\\x\\AppData\\Roaming" },
      source,
    });
    expect(plan.target).toBe("C:\\Users\\x\\AppData\\Roaming\\Adobe\\CEP\\extensions\\scriptwright");
    expect(plan.notes[0]).toBe(
      "This CEP panel is for Premiere Pro before 25.6; 25.6 and later use the UXP plugin: scriptwright panel install premiere",
    );
    expect(plan.steps.at(-1)?.title).toMatch(/restart Premiere Pro/);
  });
});

/** The install simulator: a temp home, a runner that records commands and answers like the OS. */
function simulator(
  current: HostOs,
  answer: (file: string, args: readonly string[]) => CommandResult = () => ({
    code: 0,
    stdout: "",
    stderr: "",
  }),
) {
  const home = mkdtempSync(join(tmpdir(), "sw-panel-home-"));
  const calls: string[][] = [];
  const out: string[] = [];
  const err: string[] = [];
  const runner: CommandRunner = async (file, args) => {
    calls.push([file, ...args]);
    return answer(file, args);
  };
  const env: PanelEnv = {
    current,
    // native: the simulated Windows folders live on this (POSIX) file system.
    folders: (os: TargetOs) =>
      os === "win"
        ? { home, appData: join(home, "AppData", "Roaming"), native: true }
        : { home, native: true },
    runner,
    source,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  };
  return { home, calls, out, err, env };
}

describe("executing a plan (install simulator)", () => {
  let sim: ReturnType<typeof simulator>;
  afterEach(() => rmSync(sim.home, { recursive: true, force: true }));

  it("macOS: copies the panel into the temp home and runs defaults/killall", async () => {
    sim = simulator("mac");
    const code = await panelInstall("aftereffects", {}, sim.env);
    expect(code).toBe(0);
    const target = join(
      sim.home,
      "Library",
      "Application Support",
      "Adobe",
      "CEP",
      "extensions",
      "scriptwright",
    );
    expect(listFiles(target)).toEqual(listFiles(source));
    expect(readFileSync(join(target, "CSXS", "manifest.xml"), "utf8")).toBe(
      readFileSync(join(source, "CSXS", "manifest.xml"), "utf8"),
    );
    expect(sim.calls).toEqual([
      ["defaults", "write", "com.adobe.CSXS.9", "PlayerDebugMode", "1"],
      ["defaults", "write", "com.adobe.CSXS.10", "PlayerDebugMode", "1"],
      ["defaults", "write", "com.adobe.CSXS.11", "PlayerDebugMode", "1"],
      ["defaults", "write", "com.adobe.CSXS.12", "PlayerDebugMode", "1"],
      ["killall", "cfprefsd"],
    ]);
    const report = sim.out.join("\n");
    expect(report).toMatch(/\[ok {2}\] copy the panel/);
    expect(report).toMatch(
      /\[TODO\] restart After Effects; the panel is under Window › Extensions › Scriptwright/,
    );
    expect(report).toMatch(/Done\./);
  });

  it("Windows: reg add for each CSXS version, JSON report of every step", async () => {
    sim = simulator("win");
    const code = await panelInstall("premiere", { json: true, kind: "cep" }, sim.env);
    expect(code).toBe(0);
    expect(sim.calls.map((c) => c.slice(0, 2))).toEqual([9, 10, 11, 12].map(() => ["reg", "add"]));
    expect(sim.calls.map((c) => c[2])).toEqual(
      [9, 10, 11, 12].map((n) => `HKCU\\Software\\Adobe\\CSXS.${n}`),
    );
    const report = JSON.parse(sim.out.join("\n"));
    expect(report.ok).toBe(true);
    expect(report.results.map((r: { status: string }) => r.status)).toEqual([
      "ok",
      "ok",
      "ok",
      "ok",
      "ok",
      "todo",
    ]);
    expect(report.plan.notes[0]).toMatch(/UXP/);
    expect(
      existsSync(
        join(sim.home, "AppData", "Roaming", "Adobe", "CEP", "extensions", "scriptwright", "index.html"),
      ),
    ).toBe(true);
  });

  it("a failing command is reported with its output and exit code 1; killall without cfprefsd is fine", async () => {
    sim = simulator("mac", (file, args) =>
      args[1] === "com.adobe.CSXS.11"
        ? { code: 1, stdout: "", stderr: "Could not write domain\n" }
        : file === "killall"
          ? { code: 1, stdout: "", stderr: "No matching processes belonging to you were found\n" }
          : { code: 0, stdout: "", stderr: "" },
    );
    const code = await panelInstall("aftereffects", {}, sim.env);
    expect(code).toBe(1);
    const report = sim.out.join("\n");
    expect(report).toMatch(
      /\[FAIL\] allow unsigned panels for CEP 11[\s\S]*exit 1\): Could not write domain/,
    );
    expect(report).toMatch(/no cfprefsd was running/);
    expect(report).toMatch(/Some steps failed/);
  });

  it("never includes a .debug file and replaces an older copy of the panel", async () => {
    sim = simulator("mac");
    const src = join(sim.home, "src");
    cpSync(source, src, { recursive: true });
    writeFileSync(join(src, ".debug"), "<ExtensionList/>");
    const plan = buildInstallPlan({
      app: "aftereffects",
      os: "mac",
      folders: { home: sim.home },
      source: src,
    });
    mkdirSync(plan.target, { recursive: true });
    cpSync(source, plan.target, { recursive: true });
    writeFileSync(join(plan.target, "stale.js"), "");
    const results = await executePlan(plan, { runner: sim.env.runner });
    expect(results[0]).toMatchObject({ status: "ok" });
    expect(existsSync(join(plan.target, ".debug"))).toBe(false);
    expect(existsSync(join(plan.target, "stale.js"))).toBe(false);
  });

  it("refuses to overwrite a folder that is not the Scriptwright panel", async () => {
    sim = simulator("mac");
    const plan = buildInstallPlan({ app: "aftereffects", os: "mac", folders: { home: sim.home }, source });
    mkdirSync(plan.target, { recursive: true });
    writeFileSync(join(plan.target, "someone-else.txt"), "keep me");
    const results = await executePlan(plan, { runner: sim.env.runner });
    expect(results[0]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/not the Scriptwright panel/),
    });
    expect(readFileSync(join(plan.target, "someone-else.txt"), "utf8")).toBe("keep me");
  });
});

describe("panel install on Linux (here)", () => {
  let sim: ReturnType<typeof simulator>;
  beforeEach(() => {
    sim = simulator("linux");
  });
  afterEach(() => rmSync(sim.home, { recursive: true, force: true }));

  it("without --dry-run: says Adobe apps do not run on Linux, prints the plan, exits 2, touches nothing", async () => {
    const code = await panelInstall("aftereffects", {}, sim.env);
    expect(code).toBe(2);
    expect(sim.err.join("\n")).toMatch(/Adobe apps do not run on Linux: nothing was installed/);
    expect(sim.out.join("\n")).toMatch(/defaults write com\.adobe\.CSXS\.12 PlayerDebugMode 1/);
    expect(sim.calls).toEqual([]);
    expect(existsSync(join(sim.home, "Library"))).toBe(false);
  });

  it("--dry-run --os win --json prints the Windows plan", async () => {
    const code = await panelInstall("aftereffects", { dryRun: true, os: "win", json: true }, sim.env);
    expect(code).toBe(0);
    const { plan } = JSON.parse(sim.out.join("\n"));
    expect(plan.os).toBe("win");
    expect(plan.steps.filter((s: { kind: string }) => s.kind === "command")).toHaveLength(4);
    expect(sim.calls).toEqual([]);
  });

  it("a dry run on a Mac for Windows runs nothing; a real install for another OS is refused", async () => {
    const mac = simulator("mac");
    try {
      expect(await panelInstall("premiere", { dryRun: true, os: "win", kind: "cep" }, mac.env)).toBe(0);
      expect(mac.out.join("\n")).toMatch(/reg add HKCU\\Software\\Adobe\\CSXS\.9/);
      await expect(panelInstall("premiere", { os: "win", kind: "cep" }, mac.env)).rejects.toThrow(CliError);
      expect(mac.calls).toEqual([]);
    } finally {
      rmSync(mac.home, { recursive: true, force: true });
    }
  });

  it("unknown app or OS is a usage error", async () => {
    await expect(panelInstall("photoshop", {}, sim.env)).rejects.toMatchObject({ exitCode: 2 });
    await expect(panelInstall("aftereffects", { os: "linux", dryRun: true }, sim.env)).rejects.toMatchObject({
      exitCode: 2,
    });
  });
});
