// `scriptwright panel doctor` against an install simulator: a temp home (panel folder), a fake
// runner answering `defaults read` / `reg query`, and a real in-process bridge for the
// reachability check. No Adobe app or OS setting is involved.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PanelEnv, panelDoctor } from "../bridge/cli/panel.js";
import { ensurePrivateDir } from "../bridge/data-dir.js";
import { writeBridgeFile } from "../bridge/discovery.js";
import { type DoctorCheck, fetchHealth } from "../bridge/panels/doctor.js";
import type { CommandRunner } from "../bridge/panels/runner.js";
import { type HostOs, panelSourceDir, panelTargetDir, type TargetOs } from "../bridge/panels/targets.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let fx: BridgeFixture;
const homes: string[] = [];
beforeAll(async () => {
  fx = await startBridge();
});
afterAll(async () => {
  await fx?.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** Answers like `defaults read` (macOS) and `reg query` (Windows) for the CSXS versions in `set`. */
function settingsRunner(set: number[], calls: string[][]): CommandRunner {
  return async (file, args) => {
    calls.push([file, ...args]);
    const n = Number(/CSXS\.(\d+)/.exec(args.join(" "))?.[1]);
    if (!set.includes(n)) {
      return file === "defaults"
        ? {
            code: 1,
            stdout: "",
            stderr: `The domain/default pair of (com.adobe.CSXS.${n}, PlayerDebugMode) does not exist\n`,
          }
        : {
            code: 1,
            stdout: "",
            stderr: "ERROR: The system was unable to find the specified registry key or value.\n",
          };
    }
    return file === "defaults"
      ? { code: 0, stdout: "1\n", stderr: "" }
      : {
          code: 0,
          stdout: `\r\nHKEY_CURRENT_USER\\Software\\Adobe\\CSXS.${n}\r\n    PlayerDebugMode    REG_SZ    1\r\n\r\n`,
          stderr: "",
        };
  };
}

function simulator(current: HostOs, opts: { installed: boolean; debugSet: number[] }) {
  const home = mkdtempSync(join(tmpdir(), "sw-doctor-home-"));
  homes.push(home);
  const folders = (os: TargetOs) =>
    os === "win" ? { home, appData: join(home, "AppData", "Roaming"), native: true } : { home, native: true };
  if (opts.installed && (current === "mac" || current === "win")) {
    cpSync(panelSourceDir(), panelTargetDir(current, folders(current)), { recursive: true });
  }
  const calls: string[][] = [];
  const out: string[] = [];
  const env: PanelEnv = {
    current,
    folders,
    runner: settingsRunner(opts.debugSet, calls),
    source: panelSourceDir(),
    out: (t) => out.push(t),
    err: () => {},
  };
  return { home, folders, calls, out, env };
}

async function doctorJson(
  sim: ReturnType<typeof simulator>,
  app: string,
  options: { os?: string; dataDir?: string; kind?: string } = {},
) {
  const code = await panelDoctor(app, { json: true, dataDir: fx.dataDir, ...options }, sim.env);
  const report = JSON.parse(sim.out.join("\n")) as { ok: boolean; checks: DoctorCheck[] };
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  return { code, report, byId };
}

describe("panel doctor (install simulator)", () => {
  it("macOS, all good: exit 0, each check ok, the AE scripting preference as info", async () => {
    const sim = simulator("mac", { installed: true, debugSet: [9, 10, 11, 12] });
    const { code, report, byId } = await doctorJson(sim, "aftereffects");
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([
      "panel-folder",
      "no-debug-file",
      "debug-mode",
      "bridge",
      "scripting-pref",
    ]);
    expect(byId["panel-folder"]).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/AEFT \[24\.0,99\.9\]/),
    });
    expect(byId["debug-mode"]).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/CSXS\.9, CSXS\.10, CSXS\.11, CSXS\.12/),
    });
    expect(byId.bridge).toMatchObject({ status: "ok", detail: expect.stringContaining(fx.url) });
    expect(byId["scripting-pref"]).toMatchObject({
      status: "info",
      detail: expect.stringContaining("Allow Scripts to Write Files and Access Network"),
    });
    expect(sim.calls).toContainEqual(["defaults", "read", "com.adobe.CSXS.12", "PlayerDebugMode"]);
  });

  it("Windows, nothing installed: each failure says why and how to fix it, exit 1", async () => {
    const sim = simulator("win", { installed: false, debugSet: [] });
    const { code, byId } = await doctorJson(sim, "premiere", { kind: "cep" });
    expect(code).toBe(1);
    expect(byId["panel-folder"]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/not installed/),
      fix: "run: scriptwright panel install premiere --kind cep",
    });
    expect(byId["debug-mode"]).toMatchObject({
      status: "fail",
      fix: expect.stringContaining(
        "reg add HKCU\\Software\\Adobe\\CSXS.12 /v PlayerDebugMode /t REG_SZ /d 1 /f",
      ),
    });
    expect(byId["premiere-uxp"]).toMatchObject({
      status: "info",
      detail: expect.stringMatching(
        /25\.6 and later use the UXP plugin: scriptwright panel install premiere$/,
      ),
    });
    expect(sim.calls).toContainEqual([
      "reg",
      "query",
      "HKCU\\Software\\Adobe\\CSXS.12",
      "/v",
      "PlayerDebugMode",
    ]);
  });

  it("Windows: a registry value of 1 for CSXS.12 is enough", async () => {
    const sim = simulator("win", { installed: true, debugSet: [12] });
    const { code, byId } = await doctorJson(sim, "aftereffects");
    expect(byId["debug-mode"]?.status).toBe("ok");
    expect(code).toBe(0);
  });

  it("a .debug file in the installed panel fails the check", async () => {
    const sim = simulator("mac", { installed: true, debugSet: [12] });
    writeFileSync(join(panelTargetDir("mac", sim.folders("mac")), ".debug"), "<ExtensionList/>");
    const { code, byId } = await doctorJson(sim, "aftereffects");
    expect(code).toBe(1);
    expect(byId["no-debug-file"]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/remote-debug port/),
    });
  });

  it("a broken manifest fails the folder check", async () => {
    const sim = simulator("mac", { installed: true, debugSet: [12] });
    writeFileSync(join(panelTargetDir("mac", sim.folders("mac")), "CSXS", "manifest.xml"), "<html/>");
    const { byId } = await doctorJson(sim, "aftereffects");
    expect(byId["panel-folder"]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/cannot be used/),
    });
  });

  it("no bridge.json / a bridge that stopped → fail with the start hint", async () => {
    const sim = simulator("mac", { installed: true, debugSet: [12] });
    const empty = join(sim.home, "no-bridge");
    const { code, byId } = await doctorJson(sim, "aftereffects", { dataDir: empty });
    expect(code).toBe(1);
    expect(byId.bridge).toMatchObject({ status: "fail", fix: "start the bridge: scriptwright serve" });
    expect(byId.bridge?.detail).toMatch(/no bridge is running/);
  });

  it("a bridge.json left by a bridge that stopped → bridge not reachable at …", async () => {
    const sim = simulator("mac", { installed: true, debugSet: [12] });
    const port = await closedPort();
    const stale = join(sim.home, "stale");
    writeBridgeFile(ensurePrivateDir(stale), {
      url: `http://127.0.0.1:${port}`,
      port,
      token: "t",
      pid: 1,
      version: "0",
    });
    const { code, byId } = await doctorJson(sim, "aftereffects", { dataDir: stale });
    expect(code).toBe(1);
    expect(byId.bridge?.detail).toBe(
      `bridge not reachable at http://127.0.0.1:${port} (ECONNREFUSED); bridge.json may be left from a bridge that stopped.`,
    );
    await expect(fetchHealth(fx.url)).resolves.toMatchObject({ ok: true });
  });

  it("Linux: the folder fails (no Adobe apps), PlayerDebugMode cannot be checked, no command runs", async () => {
    const sim = simulator("linux", { installed: false, debugSet: [] });
    const { code, byId } = await doctorJson(sim, "aftereffects");
    expect(code).toBe(1);
    expect(byId["panel-folder"]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/do not run on Linux/),
    });
    expect(byId["debug-mode"]).toMatchObject({ status: "skip", detail: "cannot check on this OS" });
    expect(byId.bridge?.status).toBe("ok");
    expect(sim.calls).toEqual([]);
  });

  it("text output: one line per check, fixes indented", async () => {
    const sim = simulator("linux", { installed: false, debugSet: [] });
    expect(await panelDoctor("aftereffects", { os: "mac", dataDir: fx.dataDir }, sim.env)).toBe(1);
    const text = sim.out.join("\n");
    expect(text).toMatch(/^\[skip\] panel folder: cannot check a macOS install from Linux$/m);
    expect(text).toMatch(/^\[ok {2}\] bridge reachable: /m);
    expect(text).toMatch(/^\[info\] scripting preference: /m);
  });
});
