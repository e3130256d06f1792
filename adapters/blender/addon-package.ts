// The Blender add-on as one zip, built from one source: the package panels/blender/scriptwright
// plus the shared host runtime it imports (panels/python-common/scriptwright_host.py), in one
// folder. Blender 3.x installs the zip as an add-on (bl_info in __init__.py), 4.2+ as an
// extension (blender_manifest.toml, found in a single top folder); each ignores the other's file.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { packagePath } from "../shared/package-path.js";
import { type ZipEntry, zip } from "../zip.js";

/** The add-on's module name (3.x) and extension id (4.2+). */
export const BLENDER_ADDON_MODULE = "scriptwright";
export const blenderAddonSource = packagePath("panels", "blender", BLENDER_ADDON_MODULE);
export const SHARED_RUNTIME_FILE = "scriptwright_host.py";
const sharedRuntime = packagePath("panels", "python-common", SHARED_RUNTIME_FILE);

export interface BlenderAddonPack {
  /** Absolute path of the zip written. */
  zip: string;
  /** The manifest's version. */
  version: string;
  /** Paths inside the zip, sorted. */
  files: string[];
}

/** The `version = "…"` of the add-on's blender_manifest.toml. */
export function blenderAddonVersion(source = blenderAddonSource): string {
  const manifest = readFileSync(join(source, "blender_manifest.toml"), "utf8");
  const version = /^version\s*=\s*"([^"]+)"\s*$/m.exec(manifest)?.[1];
  if (!version) throw new Error(`${source}/blender_manifest.toml has no version`);
  return version;
}

function isBuildLeftover(name: string): boolean {
  return name === "__pycache__" || name.endsWith(".pyc") || name.startsWith(".");
}

/** The zip's files: the package's own, then the shared runtime, all under `scriptwright/`. */
export function blenderAddonEntries(source = blenderAddonSource, runtime = sharedRuntime): ZipEntry[] {
  const entries: ZipEntry[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (isBuildLeftover(name)) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else entries.push({ name: `${prefix}${name}`, data: readFileSync(full) });
    }
  };
  walk(source, `${BLENDER_ADDON_MODULE}/`);
  const runtimeName = `${BLENDER_ADDON_MODULE}/${SHARED_RUNTIME_FILE}`;
  if (entries.some((entry) => entry.name === runtimeName)) {
    throw new Error(
      `${source} holds a copy of ${SHARED_RUNTIME_FILE}: remove it, the build adds the shared one`,
    );
  }
  entries.push({ name: runtimeName, data: readFileSync(runtime) });
  return entries;
}

export function blenderAddonZipName(version = blenderAddonVersion()): string {
  return `scriptwright-blender-${version}.zip`;
}

/** Writes `<outDir>/scriptwright-blender-<version>.zip` (replacing one of that name). */
export function packBlenderAddon(outDir: string): BlenderAddonPack {
  const version = blenderAddonVersion();
  const entries = blenderAddonEntries();
  mkdirSync(outDir, { recursive: true });
  const path = resolve(outDir, blenderAddonZipName(version));
  writeFileSync(path, zip(entries));
  return { zip: path, version, files: entries.map((entry) => entry.name).sort() };
}
