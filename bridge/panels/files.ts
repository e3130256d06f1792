// Copying the panel: everything under panels/cep except a `.debug` file, which would open a
// Chromium remote-debug port on the user's machine.
import { cpSync, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative, sep } from "node:path";
import { manifestPath, readManifest } from "./manifest.js";
import { BUNDLE_ID } from "./targets.js";

export function isExcluded(path: string): boolean {
  const name = basename(path);
  return name === ".debug" || name === ".DS_Store";
}

/** Relative paths (with `/`) of the files a copy would contain, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const full = join(current, name);
      if (isExcluded(full)) continue;
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** Every `.debug` under dir (should be none). */
export function findDebugFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const full = join(current, name);
      if (name === ".debug") out.push(full);
      else if (statSync(full).isDirectory()) walk(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/**
 * Replaces `to` with a copy of the panel. An existing folder is replaced only if it is empty
 * or holds this panel (same bundle id): never someone else's extension.
 */
export function copyPanel(from: string, to: string): string[] {
  if (!isAbsolute(to)) throw new Error(`refusing to copy to ${to}: not an absolute path`);
  if (!existsSync(manifestPath(from))) throw new Error(`${from} has no CSXS/manifest.xml`);
  if (existsSync(to) && readdirSync(to).length > 0) {
    let ours = false;
    try {
      ours = readManifest(to).bundleId === BUNDLE_ID;
    } catch {
      ours = false;
    }
    if (!ours) throw new Error(`${to} exists and is not the Scriptwright panel; move it away first`);
    rmSync(to, { recursive: true, force: true });
  }
  cpSync(from, to, { recursive: true, filter: (source) => !isExcluded(source) });
  return listFiles(to);
}
