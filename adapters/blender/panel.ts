// How the Blender add-on is installed into a person's Blender: the zip (addon-package.ts),
// installed by Blender itself so it lands where that Blender looks (its user folders, which
// BLENDER_USER_* can move): 4.2 and later as an extension, 3.x as an add-on. Both run without
// --factory-startup, so the user's own preferences are read and saved with the add-on enabled.
import type { AddonPanelSpec, AddonStatus } from "../panel-spec.js";
import {
  BLENDER_ADDON_MODULE,
  blenderAddonVersion,
  blenderAddonZipName,
  packBlenderAddon,
} from "./addon-package.js";
import { findBlender } from "./find.js";

/** Blender 4.2 brought extensions (blender_manifest.toml); earlier ones install add-ons (bl_info). */
export function installsExtensions(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 4 || (major === 4 && minor >= 2);
}

const module = JSON.stringify(BLENDER_ADDON_MODULE);
const STATUS_MARK = "SCRIPTWRIGHT_ADDON_STATUS ";

// Run by `blender -b`: every installed copy (the add-on "scriptwright" or the extension
// "bl_ext.<repository>.scriptwright"), its folder and version, and which of them are enabled.
// Enabled modules are also looked up in sys.modules, in case addon_utils lists extensions apart.
const statusScript = `import json, os, re, sys
import addon_utils, bpy
def ours(name):
    return name == ${module} or name.endswith("." + ${module})
def version_in(folder, mod):
    try:
        with open(os.path.join(folder, "blender_manifest.toml"), encoding="utf-8") as f:
            found = re.search(r'^version\\s*=\\s*"([^"]+)"', f.read(), re.M)
        if found:
            return found.group(1)
    except OSError:
        pass
    version = addon_utils.module_bl_info(mod).get("version") if mod else None
    return ".".join(str(part) for part in version) if version else None
enabled = [addon.module for addon in bpy.context.preferences.addons if ours(addon.module)]
modules = {mod.__name__: mod for mod in addon_utils.modules() if ours(mod.__name__)}
for name in enabled:
    if name not in modules and name in sys.modules:
        modules[name] = sys.modules[name]
installed = []
for name, mod in sorted(modules.items()):
    folder = os.path.dirname(getattr(mod, "__file__", None) or "")
    installed.append({"module": name, "path": folder, "version": version_in(folder, mod)})
print(${JSON.stringify(STATUS_MARK)} + json.dumps({"installed": installed, "enabled": enabled}))`;

function parseStatus(output: string): AddonStatus | null {
  const line = output.split(/\r?\n/).find((text) => text.startsWith(STATUS_MARK));
  if (line === undefined) return null;
  try {
    const status = JSON.parse(line.slice(STATUS_MARK.length)) as AddonStatus;
    return {
      installed: status.installed.map(({ module, path, version }) => ({
        module,
        path,
        ...(version ? { version } : {}),
      })),
      enabled: status.enabled,
    };
  } catch {
    return null;
  }
}

/** How to install the zip by hand (what `panel pack blender` and `npm run pack:blender` print). */
export function blenderAddonInstallHelp(zip: string): string[] {
  return [
    "Blender 4.2 and later: Edit › Preferences › Get Extensions › Install from Disk… (menu at the top right), or",
    `  blender --command extension install-file -r user_default --enable ${zip}`,
    "Blender 3.4 to 4.1: Edit › Preferences › Add-ons › Install…, then tick Scriptwright.",
  ];
}

export const blenderAddonPanel: AddonPanelSpec = {
  kind: "addon",
  find: () => findBlender(),
  findFix:
    "install Blender (https://www.blender.org/download/), or set SCRIPTWRIGHT_BLENDER to its executable",
  versionArgs: ["--version"],
  parseVersion: (output) => /Blender (\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1] ?? null,
  addonVersion: () => blenderAddonVersion(),
  zipName: () => blenderAddonZipName(),
  pack: (outDir) => packBlenderAddon(outDir),
  install: (zip, appVersion) =>
    installsExtensions(appVersion)
      ? {
          title: "install and enable the zip as an extension in the user repository",
          args: ["--command", "extension", "install-file", "-r", "user_default", "--enable", zip],
        }
      : {
          // The user's preferences are loaded (no --factory-startup) and saved with it enabled.
          title: "install and enable the zip as an add-on, and save the preferences",
          args: [
            "-b",
            "--python-exit-code",
            "1",
            "--python-expr",
            [
              "import bpy",
              `assert bpy.ops.preferences.addon_install(filepath=${JSON.stringify(zip)}) == {'FINISHED'}, 'addon_install failed'`,
              `assert bpy.ops.preferences.addon_enable(module=${module}) == {'FINISHED'}, 'addon_enable failed'`,
              "bpy.ops.wm.save_userpref()",
            ].join("; "),
          ],
        },
  statusArgs: ["-b", "--python-exit-code", "1", "--python-expr", statusScript],
  parseStatus,
  enableHint: "in Blender: Edit › Preferences › Add-ons, tick Scriptwright, then save the preferences",
  connectHint:
    "start Blender: the add-on connects when Blender starts (or press Connect in the Scriptwright tab of the 3D view's sidebar)",
  notes: [
    "Start the bridge (scriptwright serve), then start Blender, or restart it if it was open: the add-on finds the bridge through bridge.json; its tab is Scriptwright in the 3D view's sidebar.",
  ],
  installHelp: blenderAddonInstallHelp,
};
