// A doc tree on disk: <data-dir>/docs/<tree>/<version>/ with one Markdown file per entry,
// index.md, meta.json and the serialised search index; <app>/latest names the version
// used by default: the newest one built, so building an older one later does not change it.
// Versions live side by side. <tree> is the app, or `<app>.<language>` for a reference in
// another language than the app's first (Premiere's UXP one beside its ExtendScript one).
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, posix, sep } from "node:path";
import { DocsError } from "../../adapters/shared/docs-errors.js";
import type { DocSet } from "../../adapters/shared/docs-model.js";
import { fileNameFor, type RenderedEntry, renderEntry, summaryOf } from "./render.js";
import { buildSearchIndex } from "./search-index.js";

/**
 * Bumped when the layout or the index format changes. Trees are written in DOCS_FORMAT and
 * read in any of READABLE_FORMATS; others must be rebuilt. 3: the search index file holds the
 * hits' facts beside a MiniSearch index (format 2's bare index is still read). A bridge that
 * knows only format 2 finds a format-3 tree stale and rebuilds it, rather than misreading it.
 */
export const DOCS_FORMAT = 3;
const READABLE_FORMATS: ReadonlySet<number> = new Set([2, 3]);
export const PAGE_CHARS = 8000;

export interface TreeMeta {
  format: number;
  app: string;
  version: string;
  source: string;
  builtAt: string;
  entries: number;
  members: number;
  /** Entry files with their one-line summaries, by group, for `ls`. */
  groups: Record<string, Array<{ file: string; symbol: string; summary: string }>>;
}

export interface WrittenTree {
  root: string;
  meta: TreeMeta;
  indexMs: number;
  /** The version `latest` names after this write: this one, or a newer one built before. */
  latest: string;
}

/** An app's version as a docs folder name: "4.2.0 Alpha" and the like become usable as one. */
export function docsVersion(appVersion: string): string {
  return appVersion.trim().replace(/[^A-Za-z0-9._-]+/g, "-");
}

export function docsRoot(dataDir: string): string {
  return join(dataDir, "docs");
}

/** Renders and indexes a DocSet, then swaps it into place so readers never see half a tree. */
export function writeDocTree(
  dataDir: string,
  docSet: DocSet,
  title: string,
  tree: string = docSet.app,
): WrittenTree {
  const appDir = join(docsRoot(dataDir), tree);
  mkdirSync(appDir, { recursive: true, mode: 0o700 });
  const staging = join(appDir, `.${docSet.version}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });

  const rendered = renderAll(docSet, title);
  for (const file of rendered) {
    const target = join(staging, ...file.path.split("/"));
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(target, file.markdown);
  }
  const meta = metaFor(docSet, rendered);
  writeFileSync(join(staging, "index.md"), renderIndex(meta, title));
  const started = performance.now();
  const index = buildSearchIndex(docSet, rendered);
  writeFileSync(join(staging, "search-index.json"), JSON.stringify(index));
  const indexMs = performance.now() - started;
  writeFileSync(join(staging, "meta.json"), `${JSON.stringify(meta)}\n`);

  const finalDir = join(appDir, docSet.version);
  const old = `${finalDir}.old-${process.pid}`;
  if (existsSync(finalDir)) renameSync(finalDir, old);
  renameSync(staging, finalDir);
  rmSync(old, { recursive: true, force: true });
  const latest = newestVersion(appDir, docSet.version);
  writeFileSync(join(appDir, "latest"), `${latest}\n`);
  return { root: finalDir, meta, indexMs, latest };
}

/** The newest usable tree, `written` among them: half-written or older-format trees do not count. */
function newestVersion(appDir: string, written: string): string {
  const usable = listVersions(appDir).filter((version) => {
    try {
      return READABLE_FORMATS.has(readMeta(join(appDir, version, "meta.json")).format);
    } catch {
      return false;
    }
  });
  return [written, ...usable].sort(compareVersions).at(-1)!;
}

function renderAll(docSet: DocSet, title: string): RenderedEntry[] {
  const taken = new Set<string>();
  const paths = docSet.entries.map((entry) => {
    let path = `${entry.group}/${fileNameFor(entry.name)}`;
    for (let n = 2; taken.has(path.toLowerCase()); n++)
      path = `${entry.group}/${fileNameFor(`${entry.name}-${n}`)}`;
    taken.add(path.toLowerCase());
    return path;
  });
  const byName = new Map<string, string>();
  docSet.entries.forEach((entry, i) => {
    if (!byName.has(entry.name)) byName.set(entry.name, paths[i]!);
  });
  return docSet.entries.map((entry, i) => {
    const from = posix.dirname(paths[i]!);
    const linkFor = (name: string) => {
      const target = byName.get(name);
      return target ? posix.relative(from, target) : null;
    };
    return renderEntry(entry, paths[i]!, `${title} ${docSet.version}`, linkFor);
  });
}

function metaFor(docSet: DocSet, rendered: readonly RenderedEntry[]): TreeMeta {
  const groups: TreeMeta["groups"] = {};
  docSet.entries.forEach((entry, i) => {
    const file = rendered[i]!.path.split("/").pop()!;
    groups[entry.group] ??= [];
    groups[entry.group]!.push({
      file,
      symbol: entry.name,
      summary: summaryOf(entry.description, 100),
    });
  });
  for (const list of Object.values(groups)) list.sort((a, b) => a.symbol.localeCompare(b.symbol));
  return {
    format: DOCS_FORMAT,
    app: docSet.app,
    version: docSet.version,
    source: docSet.source,
    builtAt: new Date().toISOString(),
    entries: docSet.entries.length,
    members: docSet.entries.reduce((n, entry) => n + entry.members.length, 0),
    groups,
  };
}

function renderIndex(meta: TreeMeta, title: string): string {
  const lines = [
    `# ${title} ${meta.version} — API reference`,
    "",
    `${meta.entries} entries, ${meta.members} members. Source: ${meta.source}.`,
    "",
  ];
  for (const [group, files] of Object.entries(meta.groups).sort()) {
    lines.push(`- [${group}/](${group}/) — ${files.length} files`);
  }
  return `${lines.join("\n")}\n`;
}

export interface OpenTree {
  app: string;
  version: string;
  root: string;
  meta: TreeMeta;
}

/** The tree for `version` (default: latest), or a DocsError saying how to build it. */
export function openDocTree(
  dataDir: string,
  app: string,
  version: string | undefined,
  howToBuild: string,
): OpenTree {
  const appDir = join(docsRoot(dataDir), app);
  const chosen = version ?? readLatest(appDir);
  if (!chosen) throw new DocsError("no-docs", `no docs for ${app} yet; build them with: ${howToBuild}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(chosen))
    throw new DocsError("bad-path", `"${chosen}" is not a version`);
  const root = join(appDir, chosen);
  let meta: TreeMeta;
  try {
    meta = readMeta(join(root, "meta.json"));
  } catch {
    const have = listVersions(appDir);
    if (version && have.length) {
      throw new DocsError(
        "unknown-version",
        `no docs for ${app} ${version}; built: ${have.join(", ")} (or: ${howToBuild})`,
      );
    }
    throw new DocsError(
      "no-docs",
      `the docs tree for ${app} ${chosen} is missing or incomplete; rebuild it with: ${howToBuild}`,
    );
  }
  if (!READABLE_FORMATS.has(meta.format)) {
    const which =
      meta.format > DOCS_FORMAT ? "a newer format (from a later Scriptwright)" : "an older format";
    throw new DocsError(
      "stale-docs",
      `the docs tree for ${app} ${chosen} has ${which}; rebuild it with: ${howToBuild}`,
    );
  }
  return { app, version: chosen, root, meta };
}

// meta.json is read on every request: keep the parsed copy while the file is unchanged.
const metaCache = new Map<string, { mtimeMs: number; meta: TreeMeta }>();

function readMeta(path: string): TreeMeta {
  const { mtimeMs } = statSync(path);
  const cached = metaCache.get(path);
  if (cached && cached.mtimeMs === mtimeMs) return cached.meta;
  const meta = JSON.parse(readFileSync(path, "utf8")) as TreeMeta;
  metaCache.set(path, { mtimeMs, meta });
  if (metaCache.size > 16) metaCache.delete(metaCache.keys().next().value!);
  return meta;
}

export function listVersions(appDir: string): string[] {
  try {
    return readdirSync(appDir).filter(
      (name) => !name.startsWith(".") && statSync(join(appDir, name)).isDirectory(),
    );
  } catch {
    return [];
  }
}

function readLatest(appDir: string): string | null {
  try {
    return readFileSync(join(appDir, "latest"), "utf8").trim() || null;
  } catch {
    const versions = listVersions(appDir);
    return versions.length ? versions.sort(compareVersions).at(-1)! : null;
  }
}

export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

/**
 * A user-supplied path inside the tree → an absolute path, never outside it: no absolute
 * paths, no `..`, no backslashes or NULs, and the real path must stay under the root.
 */
export function resolveInTree(root: string, userPath: string): string {
  const path = userPath.trim();
  if (path === "" || path === "/" || path === ".") return root;
  if (path.includes("\0") || path.includes("\\") || path.startsWith("/") || /^[A-Za-z]:/.test(path)) {
    throw new DocsError("bad-path", `"${userPath}" is not a path inside the docs tree`);
  }
  const parts = path.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.some((part) => part === ".." || part.startsWith("."))) {
    throw new DocsError("bad-path", `"${userPath}" is not a path inside the docs tree`);
  }
  const absolute = join(root, ...parts);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    throw new DocsError("not-found", `no ${path} in the docs tree (try docs ls)`);
  }
  const realRoot = realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new DocsError("bad-path", `"${userPath}" is not a path inside the docs tree`);
  }
  return real;
}
