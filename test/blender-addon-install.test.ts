// The built add-on zip installed the way a person installs it into a real Blender with its own
// user folders: Blender 3.x as an add-on (Preferences › Add-ons › Install), Blender 4.2+ as an
// extension (Install from Disk). Then Blender starts with its UI (under Xvfb), the installed
// copy connects to a real bridge through bridge.json, and the bridge runs a script in it.
// Which of the two runs depends on the Blender installed; the other is skipped, saying why.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLENDER_ADDON_MODULE, packBlenderAddon } from "../adapters/blender/addon-package.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { requireBinary } from "./helpers/require-binary.js";
import { runProcess } from "./helpers/run-process.js";

const blender = requireBinary("blender", "apt-get install blender");
const xvfb = requireBinary("xvfb-run", "apt-get install xvfb xauth");

function blenderVersion(path: string): [number, number] {
  const text = execFileSync(path, ["--version"], { encoding: "utf8" });
  const match = /Blender (\d+)\.(\d+)/.exec(text);
  if (!match) throw new Error(`cannot read Blender's version from: ${text.slice(0, 200)}`);
  return [Number(match[1]), Number(match[2])];
}

const version = blender.path ? blenderVersion(blender.path) : null;
const extensions = version !== null && (version[0] > 4 || (version[0] === 4 && version[1] >= 2));
if (version) {
  const shown = version.join(".");
  console.log(
    extensions
      ? `[skip] Blender ${shown}: the zip is installed as an extension; the Blender 3.x add-on install is skipped (that Blender installs extensions)`
      : `[skip] Blender ${shown}: the zip is installed as an add-on; the extension install is skipped (it needs Blender 4.2 or later)`,
  );
}

interface Installation {
  /** What Blender needs to find its user folders in the test's own directory. */
  env: NodeJS.ProcessEnv;
  /** The folder Blender extracted the add-on into. */
  installed: string;
  /** The add-on's module name once installed. */
  module: string;
}

/** Blender's user folders (config, scripts, extensions) in `home`, never the real ones. */
function userFolders(home: string): NodeJS.ProcessEnv {
  return {
    BLENDER_USER_CONFIG: join(home, "config"),
    BLENDER_USER_SCRIPTS: join(home, "scripts"),
    BLENDER_USER_EXTENSIONS: join(home, "extensions"),
  };
}

async function runBlender(args: string[], env: NodeJS.ProcessEnv, what: string): Promise<string> {
  const result = await runProcess(blender.path!, args, { env });
  if (result.code !== 0) {
    throw new Error(`${what} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout + result.stderr;
}

/** Blender 3.x: Preferences › Add-ons › Install…, enable it, save the preferences. */
async function installAsAddon(zip: string, home: string): Promise<Installation> {
  const env = userFolders(home);
  await runBlender(
    [
      "-b",
      "--python-exit-code",
      "1",
      "--python-expr",
      [
        "import bpy",
        `assert bpy.ops.preferences.addon_install(filepath=${JSON.stringify(zip)}) == {'FINISHED'}`,
        `assert bpy.ops.preferences.addon_enable(module=${JSON.stringify(BLENDER_ADDON_MODULE)}) == {'FINISHED'}`,
        "bpy.ops.wm.save_userpref()",
      ].join("\n"),
    ],
    env,
    "installing the add-on",
  );
  return {
    env,
    installed: join(home, "scripts", "addons", BLENDER_ADDON_MODULE),
    module: BLENDER_ADDON_MODULE,
  };
}

/** Blender 4.2+: Install from Disk into the user repository, enabled (preferences saved). */
async function installAsExtension(zip: string, home: string): Promise<Installation> {
  const env = userFolders(home);
  await runBlender(
    ["--command", "extension", "install-file", "-r", "user_default", "--enable", zip],
    env,
    "installing the extension",
  );
  return {
    env,
    installed: join(home, "extensions", "user_default", BLENDER_ADDON_MODULE),
    module: `bl_ext.user_default.${BLENDER_ADDON_MODULE}`,
  };
}

function describeInstall(title: string, skip: boolean, install: typeof installAsAddon): void {
  describe.skipIf(skip)(title, () => {
    let home: string;
    let fixture: BridgeFixture;
    let installation: Installation;
    let ui: ChildProcess | undefined;
    let uiOutput = "";

    beforeAll(async () => {
      home = mkdtempSync(join(tmpdir(), "sw-blender-install-"));
      const { zip } = packBlenderAddon(join(home, "dist"));
      installation = await install(zip, home);
      fixture = await startBridge({ adapters, kits: languageKits });
      // Blender with its UI and the user's (here: the test's) preferences, as a person starts it.
      ui = spawn(xvfb.path!, ["-a", blender.path!], {
        env: { ...process.env, ...installation.env, SCRIPTWRIGHT_HOME: fixture.dataDir },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true, // its own process group: afterAll ends Xvfb and Blender together
      });
      ui.stdout?.on("data", (chunk) => {
        uiOutput += chunk;
      });
      ui.stderr?.on("data", (chunk) => {
        uiOutput += chunk;
      });
      const deadline = Date.now() + 90_000;
      while (!fixture.bridge.pool.list().some((host) => host.app === "blender")) {
        if (Date.now() > deadline || ui.exitCode !== null) {
          throw new Error(`the installed add-on never connected:\n${uiOutput}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 180_000);

    afterAll(async () => {
      if (ui?.pid && ui.exitCode === null) {
        try {
          process.kill(-ui.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await fixture?.close();
      if (home) rmSync(home, { recursive: true, force: true });
    });

    it("put the package, with its own copy of the runtime, into Blender's user folder", () => {
      expect(
        readdirSync(installation.installed)
          .filter((name) => name.endsWith(".py"))
          .sort(),
      ).toEqual(["__init__.py", "blender_host.py", "scriptwright_host.py", "ui.py"]);
    });

    it("connects to the bridge through bridge.json and runs a script from the installed copy", async () => {
      const result = await fixture.run({
        app: "blender",
        code: [
          "import importlib",
          `addon = importlib.import_module(${JSON.stringify(installation.module)})`,
          "enabled = [a.module for a in bpy.context.preferences.addons if a.module.endswith('scriptwright')]",
          "{'background': bpy.app.background, 'enabled': enabled, 'objects': len(D.objects),",
          " 'files': [addon.__file__, addon.scriptwright_host.__file__]}",
        ].join("\n"),
      });
      expect(result.error).toBeUndefined();
      expect(result.outcome).toBe("ok");
      expect(result.value).toEqual({
        background: false,
        enabled: [installation.module],
        objects: 3,
        files: [
          join(installation.installed, "__init__.py"),
          join(installation.installed, "scriptwright_host.py"),
        ],
      });
    });
  });
}

describeInstall(
  "Blender 3.x: the zip installed as an add-on, in the UI",
  blender.skip || xvfb.skip || extensions,
  installAsAddon,
);
describeInstall(
  "Blender 4.2+: the zip installed as an extension, in the UI",
  blender.skip || xvfb.skip || !extensions,
  installAsExtension,
);
