// The one place docs are built, synced, searched, read and listed. The CLI, the HTTP API
// and the agent's search_docs / read_doc / list_docs tools all call these functions.
import { readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type MiniSearch from "minisearch";
import { DocsError } from "../../adapters/shared/docs-errors.js";
import { DocSet } from "../../adapters/shared/docs-model.js";
import { runOffThread } from "../../adapters/shared/off-thread.js";
import type { Adapter } from "../../adapters/types.js";
import { compileLinear, type LinearRegExp, UnsupportedPatternError } from "../security/linear-regex.js";
import {
  docsRoot,
  docsVersion,
  listVersions,
  type OpenTree,
  openDocTree,
  PAGE_CHARS,
  resolveInTree,
  type WrittenTree,
  writeDocTree,
} from "./doc-tree.js";
import { loadSearchIndex, type SearchHit, searchIndex } from "./search-index.js";

export type SearchMode = "text" | "literal" | "regex";

export interface SearchOptions {
  limit?: number;
  version?: string;
  mode?: SearchMode;
}

export interface SearchAnswer {
  app: string;
  version: string;
  mode: SearchMode;
  hits: SearchHit[];
}

export interface ReadAnswer {
  app: string;
  version: string;
  path: string;
  offset: number;
  /** Where the next page starts, or null at the end. */
  nextOffset: number | null;
  totalChars: number;
  text: string;
}

export interface ListItem {
  path: string;
  type: "folder" | "file";
  symbol?: string;
  summary?: string;
  files?: number;
}

export interface ListAnswer {
  app: string;
  version: string;
  versions: string[];
  path: string;
  items: ListItem[];
  offset: number;
  nextOffset: number | null;
  total: number;
}

export interface BuildAnswer {
  app: string;
  version: string;
  source: string;
  entries: number;
  members: number;
  ms: number;
  /** The version used by default after this build: the newest built, not necessarily this one. */
  latest: string;
}

/**
 * Makes a missing tree when the bridge can (auto-docs.ts): resolves once the build it started
 * or found in progress has ended, or rejects with a DocsError saying why there is none.
 */
export type MissingTreeHandler = (app: string, version: string | undefined) => Promise<void>;

const MAX_LIMIT = 50;
const MAX_QUERY = 500;
const CACHED_INDEXES = 4;

export class DocsService {
  private readonly indexes = new Map<string, MiniSearch>();
  private onMissing: MissingTreeHandler | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly adapters: ReadonlyMap<string, Adapter>,
  ) {}

  /**
   * Builds an app's reference from its dependency, or from the user's files at `from` (no app
   * needed). An aborted `signal` (the bridge stopped) leaves the data dir as it was.
   */
  async build(app: string, version?: string, from?: string, signal?: AbortSignal): Promise<BuildAnswer> {
    const adapter = this.adapter(app);
    if (from !== undefined || (adapter.docs?.buildFrom && !adapter.docs.build)) {
      return this.buildFrom(adapter, version, from);
    }
    if (!adapter.docs?.build) {
      const from = adapter.docs?.readsDocsOf ? "another app's reference" : "the running app";
      throw new DocsError(
        "no-source",
        `${adapter.displayName} docs come from ${from}: ${this.howToBuild(adapter)}`,
      );
    }
    const started = performance.now();
    let docSet: DocSet;
    try {
      docSet = DocSet.parse(await adapter.docs.build(version));
    } catch (error) {
      throw new DocsError("unknown-version", (error as Error).message);
    }
    return this.writeOffThread(adapter, docSet, started, signal);
  }

  private async buildFrom(
    adapter: Adapter,
    version: string | undefined,
    from: string | undefined,
  ): Promise<BuildAnswer> {
    const buildFrom = adapter.docs?.buildFrom;
    if (!buildFrom) {
      throw new DocsError(
        "bad-source",
        `${adapter.displayName} docs are not built from files: ${this.howToBuild(adapter)}`,
      );
    }
    if (from === undefined) {
      throw new DocsError(
        "bad-source",
        `${adapter.displayName} docs are built from your own copy of its help: ${this.howToBuild(adapter)}`,
      );
    }
    const started = performance.now();
    const docSet = DocSet.parse(await buildFrom(from, version));
    return this.writeOffThread(adapter, docSet, started);
  }

  /** Writes a DocSet made elsewhere (live introspection) as this app's tree, in this thread. */
  write(adapter: Adapter, docSet: DocSet, started = performance.now()): BuildAnswer {
    return this.answer(writeDocTree(this.dataDir, docSet, adapter.displayName), docSet, started);
  }

  /**
   * The same in a worker thread: rendering and indexing a large reference takes seconds
   * (Blender: ~5 s on a busy machine), which the bridge's event loop must not spend.
   */
  async writeOffThread(
    adapter: Adapter,
    docSet: DocSet,
    started = performance.now(),
    signal?: AbortSignal,
  ): Promise<BuildAnswer> {
    const written = await runOffThread<WrittenTree>(
      ["bridge", "docs", "doc-tree.js"],
      "writeDocTree",
      [this.dataDir, docSet, adapter.displayName],
      signal,
    );
    return this.answer(written, docSet, started);
  }

  private answer(written: WrittenTree, docSet: DocSet, started: number): BuildAnswer {
    return {
      app: docSet.app,
      version: docSet.version,
      source: docSet.source,
      entries: written.meta.entries,
      members: written.meta.members,
      ms: Math.round(performance.now() - started),
      latest: written.latest,
    };
  }

  /** Lets the bridge build trees on first need (see ready). */
  whenMissing(handler: MissingTreeHandler | null): void {
    this.onMissing = handler;
  }

  /**
   * Before a docs call in the bridge: a missing tree is built or synced first when the bridge
   * can, or the answer says why not. Without a handler the call itself says how to build it.
   */
  async ready(app: string, version?: string): Promise<void> {
    if (this.onMissing && this.missing(app, version)) await this.onMissing(app, version);
  }

  /** Why the tree a docs call would open is not usable, or null when it is. */
  missing(app: string, version?: string): DocsError | null {
    try {
      this.open(app, version);
      return null;
    } catch (error) {
      if (error instanceof DocsError && ["no-docs", "stale-docs", "unknown-version"].includes(error.code))
        return error;
      throw error;
    }
  }

  search(app: string, query: string, options: SearchOptions = {}): SearchAnswer {
    const trimmed = query.trim();
    if (!trimmed) throw new DocsError("bad-query", "the query is empty");
    if (trimmed.length > MAX_QUERY)
      throw new DocsError("bad-query", `the query is longer than ${MAX_QUERY} characters`);
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit ?? 10)));
    const mode = options.mode ?? "text";
    const tree = this.open(app, options.version);
    const hits =
      mode === "text" ? searchIndex(this.index(tree), trimmed, limit) : grep(tree, trimmed, mode, limit);
    return { app, version: tree.version, mode, hits };
  }

  /** One page (≤ 8 KB) of a file; `path#anchor` starts at that member. */
  read(app: string, path: string, options: { offset?: number; version?: string } = {}): ReadAnswer {
    const tree = this.open(app, options.version);
    const [filePart, anchor] = splitAnchor(path);
    const absolute = resolveInTree(tree.root, filePart);
    if (statSync(absolute).isDirectory()) {
      throw new DocsError("bad-path", `${filePart || "/"} is a folder; list it with docs ls`);
    }
    if (!absolute.endsWith(".md"))
      throw new DocsError("not-found", `no ${filePart} in the docs tree (try docs ls)`);
    const text = readFileSync(absolute, "utf8");
    let offset = Math.max(0, Math.floor(options.offset ?? 0));
    if (anchor && options.offset === undefined) {
      const at = text.indexOf(`<a id="${anchor}"></a>`);
      if (at < 0) throw new DocsError("not-found", `no member #${anchor} in ${filePart}`);
      offset = at;
    }
    if (offset > text.length)
      throw new DocsError("bad-path", `offset ${offset} is past the end (${text.length} characters)`);
    const end = pageEnd(text, offset);
    return {
      app,
      version: tree.version,
      path: relative(tree.root, absolute).split(sep).join("/"),
      offset,
      nextOffset: end < text.length ? end : null,
      totalChars: text.length,
      text: text.slice(offset, end),
    };
  }

  ls(app: string, path = "", options: { offset?: number; version?: string } = {}): ListAnswer {
    const tree = this.open(app, options.version);
    const absolute = resolveInTree(tree.root, path);
    const where = relative(tree.root, absolute).split(sep).join("/");
    let items: ListItem[];
    if (where === "") {
      items = [
        { path: "index.md", type: "file", summary: "overview of this reference" },
        ...Object.entries(tree.meta.groups)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([group, files]): ListItem => ({ path: `${group}/`, type: "folder", files: files.length })),
      ];
    } else {
      const files = tree.meta.groups[where];
      if (!files) throw new DocsError("bad-path", `${where} is a file; read it with docs read`);
      items = files.map((file) => ({
        path: `${where}/${file.file}`,
        type: "file",
        symbol: file.symbol,
        summary: file.summary,
      }));
    }
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const page: ListItem[] = [];
    let chars = 0;
    for (let i = offset; i < items.length; i++) {
      chars += JSON.stringify(items[i]).length;
      if (chars > PAGE_CHARS && page.length) break;
      page.push(items[i]!);
    }
    const next = offset + page.length;
    return {
      app,
      version: tree.version,
      versions: this.versions(app),
      path: where,
      items: page,
      offset,
      nextOffset: next < items.length ? next : null,
      total: items.length,
    };
  }

  versions(app: string): string[] {
    return listVersionsOf(this.dataDir, this.docsApp(app));
  }

  /**
   * The tree of `app` made for a host reporting `appVersion`, when one is built: a session on
   * an older Blender reads its own version's docs, not the newest. Apps reading another app's
   * reference have no versions of their own to match.
   */
  versionFor(app: string, appVersion: string): string | undefined {
    if (this.docsApp(app) !== app) return undefined;
    const version = docsVersion(appVersion);
    return this.versions(app).includes(version) && !this.missing(app, version) ? version : undefined;
  }

  /** The command that makes this app's docs, for messages. */
  howToBuild(adapter: Adapter): string {
    const stand = adapter.docs?.readsDocsOf;
    if (stand) return `${this.howToBuild(this.adapter(stand))}; ${adapter.displayName} reads that reference`;
    if (adapter.docs?.build) return `scriptwright docs build --app ${adapter.app}`;
    if (adapter.docs?.buildFrom) {
      return `scriptwright docs build --app ${adapter.app} --from ${adapter.docs.fromHint ?? "<path>"}`;
    }
    return `scriptwright docs sync --app ${adapter.app} (with ${adapter.displayName} connected to the bridge)`;
  }

  adapter(app: string): Adapter {
    const adapter = this.adapters.get(app);
    if (!adapter?.docs) {
      const known = [...this.adapters.values()].filter((a) => a.docs).map((a) => a.app);
      throw new DocsError(
        "unknown-app",
        `no docs for an app called "${app}" (apps with docs: ${known.join(", ")})`,
      );
    }
    return adapter;
  }

  private open(app: string, version?: string): OpenTree {
    return openDocTree(this.dataDir, this.docsApp(app), version, this.howToBuild(this.adapter(app)));
  }

  /** Whose tree this app reads: its own, or the one its adapter stands in with. */
  docsApp(app: string): string {
    return this.adapter(app).docs?.readsDocsOf ?? app;
  }

  private index(tree: OpenTree): MiniSearch {
    const key = `${tree.app}@${tree.version}@${tree.meta.builtAt}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = loadSearchIndex(readFileSync(join(tree.root, "search-index.json"), "utf8"));
      this.indexes.set(key, index);
      if (this.indexes.size > CACHED_INDEXES) this.indexes.delete(this.indexes.keys().next().value!);
    }
    return index;
  }
}

function listVersionsOf(dataDir: string, app: string): string[] {
  return listVersions(join(docsRoot(dataDir), app)).sort((a, b) =>
    b.localeCompare(a, undefined, { numeric: true }),
  );
}

function splitAnchor(path: string): [string, string | null] {
  const at = path.indexOf("#");
  if (at < 0) return [path, null];
  const anchor = path.slice(at + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(anchor))
    throw new DocsError("bad-path", `"#${anchor}" is not a member anchor`);
  return [path.slice(0, at), anchor];
}

/** Ends a page at a line break when one is near, so Markdown is not cut mid-line. */
function pageEnd(text: string, offset: number): number {
  const hard = Math.min(text.length, offset + PAGE_CHARS);
  if (hard === text.length) return hard;
  const lineBreak = text.lastIndexOf("\n", hard);
  return lineBreak > offset + PAGE_CHARS / 2 ? lineBreak + 1 : hard;
}

/**
 * Literal or regex search over the tree's Markdown, line by line, pointing at the nearest member.
 * Regexes run on RE2 (linear time): a query must never be able to freeze the bridge.
 */
function grep(tree: OpenTree, query: string, mode: "literal" | "regex", limit: number): SearchHit[] {
  let test: (line: string) => boolean;
  if (mode === "regex") {
    let pattern: LinearRegExp;
    try {
      pattern = compileLinear(query, { ignoreCase: true });
    } catch (error) {
      if (error instanceof UnsupportedPatternError) throw new DocsError("bad-query", error.message);
      throw error;
    }
    test = (line) => pattern.test(line);
  } else {
    const needle = query.toLowerCase();
    test = (line) => line.toLowerCase().includes(needle);
  }
  const hits: SearchHit[] = [];
  for (const [group, files] of Object.entries(tree.meta.groups)) {
    for (const file of files) {
      const path = `${group}/${file.file}`;
      let anchor: string | null = null;
      let member: string | null = null;
      for (const line of readFileSync(join(tree.root, group, file.file), "utf8").split("\n")) {
        const anchorMatch = /^<a id="([^"]+)"><\/a>$/.exec(line);
        if (anchorMatch) {
          anchor = anchorMatch[1]!;
          continue;
        }
        if (line.startsWith("### ")) member = line.slice(4).split(" ")[0] ?? null;
        if (line.length > 2000 || !test(line)) continue;
        hits.push({
          path: anchor ? `${path}#${anchor}` : path,
          symbol: member ? `${file.symbol}.${member}` : file.symbol,
          score: 0,
          snippet: line.trim().slice(0, 300),
        });
        if (hits.length >= limit) return hits;
      }
    }
  }
  return hits;
}
