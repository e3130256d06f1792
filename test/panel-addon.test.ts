// `scriptwright panel install|doctor|pack blender` through the compiled CLI, against the real
// Blender installed here (3.4 on Debian; CI may have 4.2+, where the same zip goes in as an
// extension). Each test gives Blender its own user folders (BLENDER_USER_*) in a temp
// directory, never the real ones. The doctor's "Blender connected" check sees a protocol host
// standing in for Blender's UI; that the installed add-on connects from a real Blender UI is
// test/blender-addon-install.test.ts's part.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { blenderAddonVersion, blenderAddonZipName } from "../adapters/blender/addon-package.js";
import { adapters, languageKits } from "../adapters/registry.js";
import type { DoctorCheck } from "../bridge/panels/doctor.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { runCli } from "./helpers/cli.js";
import { ProtocolHost } from "./helpers/protocol-host.js";
import { requireBinary } from "./helpers/require-binary.js";
import { runProcess } from "./helpers/run-process.js";

const blender = requireBinary("blender", "apt-get install blender");
const BLENDER_TIMEOUT = 240_000;

const shipped = blenderAddonVersion();
const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** A temp home: Blender's user folders and the bridge's data dir in it, nothing else. */
function freshHome(blenderPath = blender.path ?? "/nonexistent/blender") {
  const home = mkdtempSync(join(tmpdir(), "sw-panel-addon-"));
  homes.push(home);
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    BLENDER_USER_CONFIG: join(home, "config"),
    BLENDER_USER_SCRIPTS: join(home, "scripts"),
    BLENDER_USER_EXTENSIONS: join(home, "extensions"),
    SCRIPTWRIGHT_BLENDER: blenderPath,
  };
  return { home, env };
}

async function doctor(env: NodeJS.ProcessEnv, dataDir: string) {
  const r = await runCli(["panel", "doctor", "blender", "--json", "--data-dir", dataDir], { env });
  const report = JSON.parse(r.stdout) as { ok: boolean; checks: DoctorCheck[] };
  return { code: r.code, report, byId: Object.fromEntries(report.checks.map((c) => [c.id, c])) };
}

async function install(env: NodeJS.ProcessEnv) {
  const r = await runCli(["panel", "install", "blender", "--json"], { env });
  return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout) };
}

/** Runs Python in the test's Blender with its user preferences (no --factory-startup). */
async function blenderPython(env: NodeJS.ProcessEnv, code: string): Promise<void> {
  const result = await runProcess(blender.path!, ["-b", "--python-exit-code", "1", "--python-expr", code], {
    env,
  });
  if (result.code !== 0) throw new Error(`blender failed (exit ${result.code}):\n${result.stderr}`);
}

describe.skipIf(blender.skip)("panel install|doctor blender (real Blender)", () => {
  const version = blender.path
    ? /Blender (\d+\.\d+(?:\.\d+)?)/.exec(
        execFileSync(blender.path, ["--version"], { encoding: "utf8" }),
      )![1]!
    : "";
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const extensions = major > 4 || (major === 4 && minor >= 2);

  let fx: BridgeFixture;
  const hosts: ProtocolHost[] = [];
  beforeAll(async () => {
    fx = await startBridge({ adapters, kits: languageKits });
  });
  afterEach(async () => {
    for (const host of hosts.splice(0)) {
      const closed = host.closed();
      host.close();
      await closed;
    }
    while (fx.bridge.pool.list().length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  });
  afterAll(async () => {
    await fx?.close();
  });

  it(
    "doctor before install: Blender found with its version, the add-on missing with the fix, exit 1",
    async () => {
      const { env } = freshHome();
      const { code, report, byId } = await doctor(env, fx.dataDir);
      expect(code).toBe(1);
      expect(report.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
        "app-found:ok",
        "addon-installed:fail",
        "addon-enabled:skip",
        "bridge:ok",
        "host-connected:fail",
      ]);
      expect(byId["app-found"]?.detail).toBe(`Blender ${version} (${blender.path}).`);
      expect(byId["addon-installed"]).toMatchObject({
        detail: "Blender lists no Scriptwright add-on among its installed ones.",
        fix: "run: scriptwright panel install blender",
      });
      expect(byId["host-connected"]).toMatchObject({
        detail: expect.stringMatching(/^No blender host is connected to the bridge at /),
        fix: expect.stringMatching(/^start Blender/),
      });
    },
    BLENDER_TIMEOUT,
  );

  it(
    "--dry-run prints the plan for this Blender and changes nothing",
    async () => {
      const { home, env } = freshHome();
      const text = await runCli(["panel", "install", "blender", "--dry-run"], { env });
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(
        `Install the Scriptwright add-on into Blender ${version} (${blender.path}):`,
      );
      const json = await runCli(["panel", "install", "blender", "--dry-run", "--json"], { env });
      expect(json.code).toBe(0);
      const { dryRun, plan } = JSON.parse(json.stdout);
      expect(dryRun).toBe(true);
      expect(plan).toMatchObject({ executable: blender.path, appVersion: version, addonVersion: shipped });
      expect(plan.steps.map((s: { kind: string }) => s.kind)).toEqual(["pack", "command", "verify"]);
      expect(plan.zip.endsWith(blenderAddonZipName())).toBe(true);
      const command = plan.steps[1];
      expect(command.file).toBe(blender.path);
      if (extensions) {
        expect(command.args).toEqual([
          "--command",
          "extension",
          "install-file",
          "-r",
          "user_default",
          "--enable",
          plan.zip,
        ]);
      } else {
        expect(command.args.slice(0, 4)).toEqual(["-b", "--python-exit-code", "1", "--python-expr"]);
        expect(command.args[4]).toContain(`addon_install(filepath=${JSON.stringify(plan.zip)})`);
      }
      expect(text.stdout).toContain(command.display);
      // Nothing written: no user folders, no zip.
      expect(readdirSync(home)).toEqual([]);
      expect(existsSync(dirname(plan.zip))).toBe(false);
    },
    BLENDER_TIMEOUT,
  );

  it(
    "install puts the add-on into Blender's user folders, enabled; then every doctor check passes",
    async () => {
      const { home, env } = freshHome();
      const installed = await install(env);
      expect(installed.code).toBe(0);
      expect(installed.report.ok).toBe(true);
      expect(
        installed.report.results.map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`),
      ).toEqual(["pack:ok", "command:ok", "verify:ok"]);
      const folder = extensions
        ? join(home, "extensions", "user_default", "scriptwright")
        : join(home, "scripts", "addons", "scriptwright");
      expect(readFileSync(join(folder, "__init__.py"), "utf8")).toContain("Scriptwright");
      // The zip's temporary folder is gone.
      expect(existsSync(dirname(installed.report.plan.zip))).toBe(false);

      hosts.push(
        await ProtocolHost.connect({ url: fx.url, token: fx.token, app: "blender", name: "blender-ui" }),
      );
      const { code, report, byId } = await doctor(env, fx.dataDir);
      expect(report.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
        "app-found:ok",
        "addon-installed:ok",
        "addon-enabled:ok",
        "bridge:ok",
        "host-connected:ok",
      ]);
      expect(code).toBe(0);
      expect(byId["addon-installed"]?.detail).toBe(
        `Installed in ${folder} (version ${shipped}, the same as this Scriptwright's).`,
      );
      expect(byId["addon-enabled"]?.detail).toMatch(/^Enabled \((bl_ext\.user_default\.)?scriptwright\)/);
      expect(byId["host-connected"]?.detail).toBe("Connected: blender-ui (Blender 1.0).");
    },
    BLENDER_TIMEOUT,
  );

  it(
    "a disabled add-on and an older copy each fail with their fix; installing again mends both",
    async () => {
      const { home, env } = freshHome();
      expect((await install(env)).code).toBe(0);
      await blenderPython(
        env,
        [
          "import bpy",
          "for name in [a.module for a in bpy.context.preferences.addons if a.module.endswith('scriptwright')]:",
          "    bpy.ops.preferences.addon_disable(module=name)",
          "bpy.ops.wm.save_userpref()",
        ].join("\n"),
      );
      const folder = extensions
        ? join(home, "extensions", "user_default", "scriptwright")
        : join(home, "scripts", "addons", "scriptwright");
      const manifest = join(folder, "blender_manifest.toml");
      writeFileSync(
        manifest,
        readFileSync(manifest, "utf8").replace(/^version = ".*"$/m, 'version = "0.0.1"'),
      );

      const broken = await doctor(env, fx.dataDir);
      expect(broken.code).toBe(1);
      expect(broken.byId["addon-installed"]).toMatchObject({
        status: "fail",
        detail: `${folder} holds version 0.0.1; this Scriptwright ships ${shipped}.`,
        fix: "reinstall: run: scriptwright panel install blender",
      });
      expect(broken.byId["addon-enabled"]).toMatchObject({
        status: "fail",
        detail: "Installed but not enabled: Blender does not load it.",
        fix: expect.stringMatching(/tick Scriptwright.* — or run: scriptwright panel install blender$/),
      });

      expect((await install(env)).code).toBe(0);
      const mended = await doctor(env, fx.dataDir);
      expect(mended.byId["addon-installed"]?.status).toBe("ok");
      expect(mended.byId["addon-enabled"]?.status).toBe("ok");
    },
    BLENDER_TIMEOUT,
  );
});

describe("panel install|doctor|pack blender without a Blender", () => {
  it("install and doctor say no Blender was found and how to get one; install changes nothing", async () => {
    const { home, env } = freshHome("/nonexistent/blender");
    const installed = await runCli(["panel", "install", "blender"], { env });
    expect(installed.code).toBe(1);
    expect(installed.stderr).toMatch(
      /No Blender was found\. Nothing was installed; install Blender .*SCRIPTWRIGHT_BLENDER/,
    );
    const r = await runCli(["panel", "doctor", "blender", "--json", "--data-dir", join(home, "data")], {
      env,
    });
    expect(r.code).toBe(1);
    const { checks } = JSON.parse(r.stdout) as { checks: DoctorCheck[] };
    expect(checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      "app-found:fail",
      "addon-installed:skip",
      "addon-enabled:skip",
      "bridge:fail",
      "host-connected:skip",
    ]);
    expect(checks[0]?.fix).toMatch(/set SCRIPTWRIGHT_BLENDER to its executable/);
    expect(readdirSync(home)).toEqual([]);
  });

  it("--os is a usage error: the add-on goes into the Blender on this machine", async () => {
    const { env } = freshHome("/nonexistent/blender");
    const r = await runCli(["panel", "install", "blender", "--os", "win", "--dry-run"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--os is not for blender/);
  });

  it("pack blender --out writes the zip and says how to install it", async () => {
    const { home, env } = freshHome("/nonexistent/blender");
    const out = join(home, "out");
    const r = await runCli(["panel", "pack", "blender", "--out", out], { env });
    expect(r.code).toBe(0);
    const zip = join(out, blenderAddonZipName());
    expect(readFileSync(zip).subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
    expect(r.stdout).toContain(`Wrote ${zip} (`);
    expect(r.stdout).toContain(`blender --command extension install-file -r user_default --enable ${zip}`);
    expect(r.stdout).toContain("scriptwright panel install blender");
    const json = await runCli(["panel", "pack", "blender", "--out", out, "--json"], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ zip, version: shipped });
  });
});
