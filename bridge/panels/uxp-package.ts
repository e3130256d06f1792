// A UXP plugin as a `.ccx`: a zip of the plugin folder with manifest.json at its root, which
// Creative Cloud installs (double-click, or Adobe's Unified Plugin Installer Agent), plus the
// same files as a folder the UXP Developer Tool can load. UXP lets a plugin open only the
// addresses its manifest lists, so both are built for one bridge port: the manifest's network
// domains and the plugin's port file say the same port.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { UxpPanelSpec } from "../../adapters/panel-spec.js";
import { type ZipEntry, zip } from "../../adapters/zip.js";

export const MANIFEST = "manifest.json";

/** What a UXP v5 manifest must say for the package to load (the rest is passed through as is). */
export interface UxpManifest {
  manifestVersion: number;
  id: string;
  name: string;
  version: string;
  main: string;
  host: { app: string; minVersion: string };
  requiredPermissions: { network: { domains: string[] }; allowCodeGenerationFromStrings?: boolean };
  [key: string]: unknown;
}

export class UxpManifestError extends Error {}

/** The loopback addresses a plugin needs to reach the bridge on `port` (UXP takes no wildcard port). */
export function loopbackDomains(port: number): string[] {
  return ["127.0.0.1", "localhost"].flatMap((host) => [`ws://${host}:${port}`, `http://${host}:${port}`]);
}

/** Reads and checks a plugin folder's manifest.json. */
export function readUxpManifest(folder: string): UxpManifest {
  const path = join(folder, MANIFEST);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UxpManifestError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const m = value as Partial<UxpManifest> | null;
  const problem = manifestProblem(m);
  if (problem) throw new UxpManifestError(`${path}: ${problem}`);
  return m as UxpManifest;
}

function manifestProblem(m: Partial<UxpManifest> | null): string | null {
  if (typeof m !== "object" || m === null) return "not a JSON object";
  if (m.manifestVersion !== 5) return `manifestVersion is ${String(m.manifestVersion)}, not 5`;
  for (const field of ["id", "name", "version", "main"] as const) {
    if (typeof m[field] !== "string" || m[field] === "") return `no ${field}`;
  }
  // One host as an object: a package installs into one app (a host list is for development).
  if (typeof m.host?.app !== "string" || typeof m.host.minVersion !== "string")
    return "host must be one {app, minVersion}";
  if (!Array.isArray(m.requiredPermissions?.network?.domains))
    return "no requiredPermissions.network.domains";
  return null;
}

/** The one bridge port the manifest's network domains allow, or null when they name none or several. */
export function manifestPort(manifest: UxpManifest): number | null {
  const ports = new Set(
    manifest.requiredPermissions.network.domains.map(
      (domain) => /^(?:ws|http):\/\/[^/]+:(\d+)$/.exec(domain)?.[1],
    ),
  );
  if (ports.size !== 1) return null;
  const [port] = ports;
  return port === undefined ? null : Number(port);
}

/** The port file's text: the plugin reads it with require(). */
export function portFileText(port: number): string {
  return [
    "// The port of the bridge this plugin reaches (UXP allows only the addresses in manifest.json).",
    "// scriptwright panel install|pack writes it together with the manifest's network domains.",
    '"use strict";',
    `module.exports = { port: ${port} };`,
    "",
  ].join("\n");
}

/** The port a port file says, or null. */
export function readPortFile(text: string): number | null {
  const match = /module\.exports\s*=\s*\{\s*port:\s*(\d{1,5})\s*\}/.exec(text);
  return match ? Number(match[1]) : null;
}

/** The plugin's version: the package is named after it. */
export function packageFileName(spec: UxpPanelSpec, version: string): string {
  return `${spec.packageName}-${version}.ccx`;
}

/** Files only the Node tests use (package.json makes the .js files CommonJS there); dotfiles. */
function isLeftOut(name: string): boolean {
  return name === "package.json" || name.startsWith(".");
}

/** The package's files, built for `port`: the folder's own, with the manifest and port file rewritten. */
export function uxpPluginEntries(
  spec: UxpPanelSpec,
  port: number,
): { manifest: UxpManifest; entries: ZipEntry[] } {
  const manifest = readUxpManifest(spec.source);
  if (!existsSync(join(spec.source, spec.portFile))) {
    throw new UxpManifestError(`${spec.source} has no ${spec.portFile}`);
  }
  const built: UxpManifest = {
    ...manifest,
    requiredPermissions: {
      ...manifest.requiredPermissions,
      network: { ...manifest.requiredPermissions.network, domains: loopbackDomains(port) },
    },
  };
  const entries: ZipEntry[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (isLeftOut(name)) continue;
      const full = join(dir, name);
      const path = `${prefix}${name}`;
      if (statSync(full).isDirectory()) walk(full, `${path}/`);
      else if (path === MANIFEST)
        entries.push({ name: path, data: Buffer.from(`${JSON.stringify(built, null, 2)}\n`) });
      else if (path === spec.portFile) entries.push({ name: path, data: Buffer.from(portFileText(port)) });
      else entries.push({ name: path, data: readFileSync(full) });
    }
  };
  walk(spec.source, "");
  return { manifest: built, entries };
}

export interface UxpPackage {
  /** The .ccx written. */
  ccx: string;
  /** The same files unpacked, for the UXP Developer Tool. */
  folder: string;
  version: string;
  port: number;
  pluginId: string;
  hostApp: string;
  minVersion: string;
  /** Paths inside the package, sorted. */
  files: string[];
}

function describe(
  spec: UxpPanelSpec,
  port: number,
  outDir: string,
  manifest: UxpManifest,
  entries: ZipEntry[],
): UxpPackage {
  const ccx = resolve(outDir, packageFileName(spec, manifest.version));
  return {
    ccx,
    folder: ccx.slice(0, -".ccx".length),
    version: manifest.version,
    port,
    pluginId: manifest.id,
    hostApp: manifest.host.app,
    minVersion: manifest.host.minVersion,
    files: entries.map((entry) => entry.name).sort(),
  };
}

/** What writeUxpPackage writes, without writing it (for --dry-run). */
export function planUxpPackage(spec: UxpPanelSpec, port: number, outDir: string): UxpPackage {
  const { manifest, entries } = uxpPluginEntries(spec, port);
  return describe(spec, port, outDir, manifest, entries);
}

/** The package folder is replaced only when it is empty or holds this plugin: never other files. */
function clearFolder(folder: string, pluginId: string): void {
  if (!existsSync(folder)) return;
  if (readdirSync(folder).length > 0) {
    let id: string | undefined;
    try {
      id = readUxpManifest(folder).id;
    } catch {
      id = undefined;
    }
    if (id !== pluginId)
      throw new UxpManifestError(`${folder} exists and is not this plugin; move it away first`);
  }
  rmSync(folder, { recursive: true, force: true });
}

/** Writes `<outDir>/<name>-<version>.ccx` and the folder beside it, replacing earlier ones of that name. */
export function writeUxpPackage(spec: UxpPanelSpec, port: number, outDir: string): UxpPackage {
  const { manifest, entries } = uxpPluginEntries(spec, port);
  const built = describe(spec, port, outDir, manifest, entries);
  clearFolder(built.folder, built.pluginId);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(built.ccx, zip(entries));
  for (const entry of entries) {
    const path = join(built.folder, ...entry.name.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, entry.data);
  }
  return built;
}
