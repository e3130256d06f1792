// `scriptwright panel install|doctor|pack premiere`: the UXP plugin as a .ccx built for the
// bridge's port (its layout read with Python's zipfile, as any zip reader would), the steps that
// install, load or pair it, the checks the doctor can make from here, the CEP panel still there
// for Premiere before 25.6, and what `serve` says when its port is taken. Premiere and Creative
// Cloud cannot run here: nothing installs the .ccx into an app.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { premiereUxpPlugin } from "../adapters/premiere/panel.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { runCli, startServe } from "./helpers/cli.js";
import { runProcess } from "./helpers/run-process.js";

const INSPECT_CCX = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    print(json.dumps({
        "corrupt": archive.testzip(),
        "names": archive.namelist(),
        "manifest": json.loads(archive.read("manifest.json")),
        "portFile": archive.read("bridge-config.js").decode("utf-8"),
        "runtime": archive.read("host-runtime.js").decode("utf-8"),
    }))
`;

interface Inspection {
  corrupt: string | null;
  names: string[];
  manifest: {
    manifestVersion: number;
    id: string;
    version: string;
    main: string;
    host: { app: string; minVersion: string };
    requiredPermissions: { network: { domains: string[] }; allowCodeGenerationFromStrings: boolean };
  };
  portFile: string;
  runtime: string;
}

async function inspect(ccx: string): Promise<Inspection> {
  const result = await runProcess("python3", ["-c", INSPECT_CCX, ccx]);
  if (result.code !== 0) throw new Error(`reading the .ccx failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Inspection;
}

const source = premiereUxpPlugin.source;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function bridgeIn(dataDir?: string): Promise<BridgeFixture> {
  const fx = await startBridge(dataDir === undefined ? {} : { dataDir });
  cleanups.push(() => fx.close());
  return fx;
}

describe("panel pack premiere: the .ccx", () => {
  it("is a zip of the plugin folder with manifest.json at its root, built for the port asked for", async () => {
    const out = temp("sw-ccx-");
    const r = await runCli([
      "panel",
      "pack",
      "premiere",
      "--out",
      out,
      "--port",
      "9123",
      "--json",
      "--data-dir",
      out,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const { package: pkg } = JSON.parse(r.stdout) as {
      package: { ccx: string; folder: string; version: string };
    };
    const sourceManifest = JSON.parse(readFileSync(join(source, "manifest.json"), "utf8"));
    expect(pkg.ccx).toBe(join(out, `scriptwright-premiere-${sourceManifest.version}.ccx`));
    const ccx = await inspect(pkg.ccx);
    expect(ccx.corrupt).toBeNull();
    // The plugin's own files, at the root; not the package.json that only Node's tests need.
    const shipped = readdirSync(source).filter((name) => name !== "package.json");
    expect([...ccx.names].sort()).toEqual([...shipped].sort());
    expect(ccx.names).toEqual(
      expect.arrayContaining(["manifest.json", "index.html", "main.js", "host-runtime.js"]),
    );
    expect(ccx.manifest).toMatchObject({
      manifestVersion: 5,
      id: sourceManifest.id,
      version: sourceManifest.version,
      main: "index.html",
      host: { app: "premierepro", minVersion: "25.6.0" },
      requiredPermissions: { allowCodeGenerationFromStrings: true },
    });
    expect([...ccx.manifest.requiredPermissions.network.domains].sort()).toEqual(
      ["http://127.0.0.1:9123", "http://localhost:9123", "ws://127.0.0.1:9123", "ws://localhost:9123"].sort(),
    );
    // The runtime inside is the one shipped; the port file names the manifest's port.
    expect(ccx.runtime).toBe(readFileSync(join(source, "host-runtime.js"), "utf8"));
    expect(ccx.portFile).toContain("module.exports = { port: 9123 };");
    // The same files unpacked, for the UXP Developer Tool.
    expect(readdirSync(pkg.folder).sort()).toEqual([...ccx.names].sort());
    expect(JSON.parse(readFileSync(join(pkg.folder, "manifest.json"), "utf8"))).toEqual(ccx.manifest);
  });

  it("without --port, takes the running bridge's port; without a bridge, 7821", async () => {
    const dataDir = temp("sw-ccx-data-");
    const out = temp("sw-ccx-out-");
    const none = await runCli(["panel", "pack", "premiere", "--out", out, "--json", "--data-dir", dataDir]);
    expect(JSON.parse(none.stdout)).toMatchObject({ package: { port: 7821 }, portSource: "the default" });
    const fx = await bridgeIn(dataDir);
    const running = await runCli([
      "panel",
      "pack",
      "premiere",
      "--out",
      out,
      "--json",
      "--data-dir",
      dataDir,
    ]);
    expect(JSON.parse(running.stdout)).toMatchObject({
      package: { port: fx.bridge.port },
      portSource: "the running bridge",
    });
    expect((await inspect(JSON.parse(running.stdout).package.ccx)).portFile).toContain(
      `module.exports = { port: ${fx.bridge.port} };`,
    );
  });

  it("refuses a port it cannot build for, and --port for a panel that finds the bridge itself", async () => {
    const out = temp("sw-ccx-bad-");
    const zero = await runCli(["panel", "pack", "premiere", "--out", out, "--port", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain(
      '--port takes the bridge\'s port, 1 to 65535 (the plugin reaches only that one), got "0"',
    );
    const cep = await runCli(["panel", "install", "aftereffects", "--dry-run", "--port", "9000"]);
    expect(cep.code).toBe(2);
    expect(cep.stderr).toContain(
      "--port is for panels built for one bridge port (premiere); aftereffects's cep panel finds the bridge by itself",
    );
    expect(readdirSync(out)).toEqual([]);
  });
});

describe("panel install premiere", () => {
  it("builds the .ccx into the data dir for the running bridge's port and says every step", async () => {
    const dataDir = temp("sw-uxp-install-");
    const fx = await bridgeIn(dataDir);
    const r = await runCli(["panel", "install", "premiere", "--data-dir", dataDir]);
    expect(r.code).toBe(0);
    const version = JSON.parse(readFileSync(join(source, "manifest.json"), "utf8")).version as string;
    const ccx = join(dataDir, "panels", `scriptwright-premiere-${version}.ccx`);
    expect(existsSync(ccx)).toBe(true);
    expect((await inspect(ccx)).manifest.requiredPermissions.network.domains).toContain(
      `ws://127.0.0.1:${fx.bridge.port}`,
    );
    const text = r.stdout;
    expect(text).toContain(`Built ${ccx}`);
    // Linux runs no Adobe app: the steps for both systems, and where to copy the file.
    expect(text).toContain("Premiere Pro does not run on Linux: copy");
    expect(text).toContain('open "scriptwright-premiere-');
    expect(text).toContain("choose Install locally");
    expect(text).toContain(
      '"/Library/Application Support/Adobe/Adobe Desktop Common/RemoteComponents/UPI/UnifiedPluginInstallerAgent/UnifiedPluginInstallerAgent.app/Contents/MacOS/UnifiedPluginInstallerAgent" --install',
    );
    expect(text).toContain(
      '"C:\\Program Files\\Common Files\\Adobe\\Adobe Desktop Common\\RemoteComponents\\UPI\\UnifiedPluginInstallerAgent\\UnifiedPluginInstallerAgent.exe" /install',
    );
    expect(text).toContain("then open Window › UXP Plugins › Scriptwright");
    expect(text).toContain("Pair it once: run `scriptwright panel pair`");
    expect(text).toContain("Settings › Plugins › Enable developer mode");
    expect(text).toContain(
      `in Adobe's UXP Developer Tool press Add Plugin, pick ${ccx.slice(0, -4)}/manifest.json`,
    );
    expect(text).toContain("it is gone when Premiere Pro restarts, so load it again each time");
    expect(text).toContain(
      `Built for the bridge on port ${fx.bridge.port} (the running bridge). The plugin reaches no other port`,
    );
    expect(text).toContain("`scriptwright panel install premiere --port N`");
    expect(text).toContain("Premiere Pro before 25.6: scriptwright panel install premiere --kind cep");
  });

  it("--dry-run --os mac writes nothing and gives the macOS commands only", async () => {
    const dataDir = temp("sw-uxp-dry-");
    const r = await runCli([
      "panel",
      "install",
      "premiere",
      "--dry-run",
      "--os",
      "mac",
      "--data-dir",
      dataDir,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Would build .*nothing was written\./);
    expect(r.stdout).toContain(`open "${join(dataDir, "panels")}/scriptwright-premiere-`);
    expect(r.stdout).not.toContain("UnifiedPluginInstallerAgent.exe");
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it("--kind cep is the CEP panel for Premiere before 25.6; a kind the app lacks is a usage error", async () => {
    const cep = await runCli([
      "panel",
      "install",
      "premiere",
      "--kind",
      "cep",
      "--dry-run",
      "--os",
      "win",
      "--json",
    ]);
    expect(cep.code).toBe(0);
    expect(JSON.parse(cep.stdout).plan).toMatchObject({
      app: "premiere",
      target: expect.stringContaining("CEP"),
    });
    const wrong = await runCli(["panel", "install", "premiere", "--kind", "addon"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("premiere has no addon panel: --kind takes uxp or cep");
  });
});

describe("panel doctor premiere", () => {
  it("checks what it can from here and says what it cannot", async () => {
    const dataDir = temp("sw-uxp-doctor-");
    const before = await runCli(["panel", "doctor", "premiere", "--json", "--data-dir", dataDir]);
    expect(before.code).toBe(1);
    const checks = (r: { stdout: string }) =>
      Object.fromEntries(
        (JSON.parse(r.stdout).checks as { id: string; status: string; detail: string; fix?: string }[]).map(
          (c) => [c.id, c],
        ),
      );
    const first = checks(before);
    expect(Object.keys(first)).toEqual([
      "plugin-source",
      "plugin-package",
      "bridge",
      "bridge-port",
      "pairings",
      "host-connected",
      "in-app",
    ]);
    expect(first["plugin-source"]).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/premierepro 25\.6\.0/),
    });
    expect(first["plugin-package"]).toMatchObject({
      status: "fail",
      fix: "run: scriptwright panel install premiere",
    });
    expect(first["bridge-port"]).toMatchObject({ status: "skip" });
    expect(first.pairings).toMatchObject({
      status: "info",
      detail: expect.stringMatching(/No Premiere Pro panel is paired yet/),
    });
    expect(first["in-app"]).toMatchObject({
      status: "info",
      detail: expect.stringMatching(
        /whether Creative Cloud installed the plugin.*--list all.*gone after Premiere Pro restarts/,
      ),
    });

    // Built for 7821, but the bridge runs elsewhere: the doctor says so and how to fix it.
    expect(
      (await runCli(["panel", "install", "premiere", "--port", "7821", "--data-dir", dataDir])).code,
    ).toBe(0);
    const fx = await bridgeIn(dataDir);
    const after = checks(await runCli(["panel", "doctor", "premiere", "--json", "--data-dir", dataDir]));
    expect(after["plugin-package"]).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/port 7821\.$/),
    });
    expect(after.bridge).toMatchObject({ status: "ok" });
    expect(after["bridge-port"]).toMatchObject({
      status: "fail",
      detail: `The plugin reaches only port 7821, but the bridge listens on ${fx.bridge.port}.`,
      fix: `rebuild it for ${fx.bridge.port} (scriptwright panel install premiere --port ${fx.bridge.port}) and install the new .ccx, or restart the bridge with --port 7821`,
    });
  });
});

describe("serve and its port", () => {
  it("a taken port: says which process holds it, --port, and that the Premiere plugin then needs rebuilding", async () => {
    // It answers nothing: each connection (the bridge's look at who is there) is dropped.
    const blocker = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as { port: number }).port;
    const r = await runCli(["serve", "--port", String(port), "--data-dir", temp("sw-port-")]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`port ${port} is already in use: held by pid ${process.pid} (`);
    expect(r.stderr).toContain(
      `start the bridge on another port: scriptwright serve --port ${port + 1} (or --port 0 for any free one)`,
    );
    expect(r.stderr).toContain(
      "Premiere Pro's plugin reaches only the port it was built for (7821 unless rebuilt): on another port, rebuild it (scriptwright panel install premiere --port N)",
    );
  });

  it("another bridge on the port is named as one", async () => {
    const other = await bridgeIn();
    const r = await runCli(["serve", "--port", String(other.bridge.port), "--data-dir", temp("sw-port-")]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/already in use: another Scriptwright bridge \(version [^)]+\) listens there/);
  });

  it("a bridge on another port than 7821 says which plugin to rebuild for it", async () => {
    const started = await startServe(temp("sw-port-note-"), [], 60_000);
    cleanups.push(() => started.stop());
    // Printed just after bridge.json is written; the bound only ends a test that would hang.
    await expect
      .poll(() => started.output(), { timeout: 30_000, interval: 50 })
      .toContain(
        `Note: Premiere Pro's plugin reaches only the port it was built for (7821 unless rebuilt): for a bridge on ${started.info.port}, rebuild it (scriptwright panel install premiere --port ${started.info.port})`,
      );
  });
});
