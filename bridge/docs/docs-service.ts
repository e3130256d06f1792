// The one place docs are built, synced, searched, read and listed. The CLI, the HTTP API
// and the agent's search_docs / read_doc / list_docs tools all call these functions.
import { readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { DocsError } from "../../adapters/shared/docs-errors.js";
import { DocSet } from "../../adapters/shared/docs-model.js";
import { runOffThread } from "../../adapters/shared/off-thread.js";
import type { Adapter, DocsSource } from "../../adapters/types.js";
import { compileLinear, type LinearRegExp, UnsupportedPatternError } from "../security/linear-regex.js";
import { docsSourcesOf } from "./doc-languages.js";
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
import { type SearchHit, SearchIndex } from "./search-index.js";

export type SearchMode = "text" | "literal" | "regex";

/** Which tree: a version (default: the latest built) and a language (default: the app's own). */
export interface TreeOptions {
  version?: string;
  /** The language of the reference; unknown for the app → DocsError("unknown-language"). */
  language?: string;
}

export interface SearchOptions extends TreeOptions {
  limit?: number;
  mode?: SearchMode;
}

/** One of an app's references: the tree folder it lives in, the language it is for, its source. */
export interface DocsTree {
  /** `app`, or `app.language` for a reference in another language than the app's first. */
  name: string;
  /** The app whose reference it is (another app's, for an app that reads that one's). */
  owner: Adapter;
  language: string;
  source: DocsSource;
  /** The app has references in several languages: commands name the language. */
  several: boolean;
}

export interface SearchAnswer {
  app: string;
  language: string;
  version: string;
  mode: SearchMode;
  hits: SearchHit[];
}

export interface ReadAnswer {
  app: string;
  language: string;
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
  language: string;
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
  language: string;
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
export type MissingTreeHandler = (
  app: string,
  version: string | undefined,
  language: string | undefined,
) => Promise<void>;

const MAX_LIMIT = 50;
const MAX_QUERY = 500;
const CACHED_INDEXES = 4;

export class DocsService {
  private readonly indexes = new Map<string, SearchIndex>();
  private onMissing: MissingTreeHandler | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly adapters: ReadonlyMap<string, Adapter>,
  ) {}

  /**
   * Builds an app's reference from its dependency, or from the user's files at `from` (no app
   * needed). An aborted `signal` (the bridge stopped) leaves the data dir as it was.
   */
  async build(
    app: string,
    version?: string,
    from?: string,
    signal?: AbortSignal,
    language?: string,
  ): Promise<BuildAnswer> {
    const adapter = this.adapter(app);
    const tree = this.tree(app, language);
    const source = tree.owner === adapter ? tree.source : adapter.docs!;
    if (from !== undefined || (source.buildFrom && !source.build)) {
      return this.buildFrom(adapter, version, from);
    }
    if (!source.build) {
      const from = source.readsDocsOf ? "another app's reference" : "the running app";
      throw new DocsError(
        "no-source",
        `${adapter.displayName} docs come from ${from}: ${this.howToBuild(adapter, language)}`,
      );
    }
    const started = performance.now();
    let docSet: DocSet;
    try {
      docSet = DocSet.parse(await source.build(version));
    } catch (error) {
      if (error instanceof DocsError) throw error;
      throw new DocsError("unknown-version", (error as Error).message);
    }
    return this.writeOffThread(adapter, docSet, started, signal, tree.language);
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
  write(adapter: Adapter, docSet: DocSet, started = performance.now(), language?: string): BuildAnswer {
    const tree = this.tree(adapter.app, language);
    const marked = markCommon(docSet, tree.source.commonTypes);
    const written = writeDocTree(this.dataDir, marked, this.title(adapter, tree), tree.name);
    return this.answer(written, docSet, started, tree.language);
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
    language?: string,
  ): Promise<BuildAnswer> {
    const tree = this.tree(adapter.app, language);
    const written = await runOffThread<WrittenTree>(
      ["bridge", "docs", "doc-tree.js"],
      "writeDocTree",
      [this.dataDir, markCommon(docSet, tree.source.commonTypes), this.title(adapter, tree), tree.name],
      signal,
    );
    return this.answer(written, docSet, started, tree.language);
  }

  /** "Premiere Pro" or, beside other languages, "Premiere Pro (UXP JavaScript)": the tree's headings. */
  private title(adapter: Adapter, tree: DocsTree): string {
    return tree.several ? `${adapter.displayName} (${tree.language})` : adapter.displayName;
  }

  private answer(written: WrittenTree, docSet: DocSet, started: number, language: string): BuildAnswer {
    return {
      app: docSet.app,
      language,
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
  async ready(app: string, version?: string, language?: string): Promise<void> {
    if (this.onMissing && this.missing(app, version, language)) await this.onMissing(app, version, language);
  }

  /** Why the tree a docs call would open is not usable, or null when it is. */
  missing(app: string, version?: string, language?: string): DocsError | null {
    try {
      this.open(app, version, language);
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
    const tree = this.open(app, options.version, options.language);
    const hits = mode === "text" ? this.index(tree).search(trimmed, limit) : grep(tree, trimmed, mode, limit);
    return { app, language: tree.language, version: tree.version, mode, hits };
  }

  /** One page (≤ 8 KB) of a file; `path#anchor` starts at that member. */
  read(app: string, path: string, options: TreeOptions & { offset?: number } = {}): ReadAnswer {
    const tree = this.open(app, options.version, options.language);
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
      language: tree.language,
      version: tree.version,
      path: relative(tree.root, absolute).split(sep).join("/"),
      offset,
      nextOffset: end < text.length ? end : null,
      totalChars: text.length,
      text: text.slice(offset, end),
    };
  }

  ls(app: string, path = "", options: TreeOptions & { offset?: number } = {}): ListAnswer {
    const tree = this.open(app, options.version, options.language);
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
      language: tree.language,
      version: tree.version,
      versions: this.versions(app, options.language),
      path: where,
      items: page,
      offset,
      nextOffset: next < items.length ? next : null,
      total: items.length,
    };
  }

  versions(app: string, language?: string): string[] {
    return listVersionsOf(this.dataDir, this.tree(app, language).name);
  }

  /**
   * Every reference `app` has, in the tree's own folder: the one in its own language (or the
   * first it declares) first. An app that reads another's reference has that one's.
   */
  trees(app: string): DocsTree[] {
    const adapter = this.adapter(app);
    const stand = adapter.docs?.readsDocsOf;
    if (stand) return this.trees(stand);
    const sources = docsSourcesOf(adapter);
    const several = sources.length > 1;
    return sources.map(({ source, language }, i) => ({
      name: i === 0 ? adapter.app : `${adapter.app}.${source.language}`,
      owner: adapter,
      language,
      source,
      several,
    }));
  }

  /** The reference in `language`, or by default the app's own language's (else its first). */
  tree(app: string, language?: string): DocsTree {
    const trees = this.trees(app);
    if (language === undefined) {
      const own = this.adapter(app).language;
      return trees.find((tree) => tree.language === own) ?? trees[0]!;
    }
    const found = trees.find((tree) => tree.language === language);
    if (found) return found;
    throw new DocsError(
      "unknown-language",
      `no ${this.adapter(app).displayName} docs in "${language}" (its docs are in: ${trees.map((t) => t.language).join(", ")})`,
    );
  }

  /**
   * The docs language for a host, session or call that speaks `language`: that one when the app
   * has a reference in it, else undefined (the app's default: a LibreOffice host speaking
   * Python still reads the VBA reference).
   */
  languageFor(app: string, language: string | undefined): string | undefined {
    if (language === undefined) return undefined;
    return this.trees(app).some((tree) => tree.language === language) ? language : undefined;
  }

  /**
   * The tree of `app` made for a host reporting `appVersion`, when one is built: a session on
   * an older Blender reads its own version's docs, not the newest. Apps reading another app's
   * reference have no versions of their own to match.
   */
  versionFor(app: string, appVersion: string, language?: string): string | undefined {
    if (this.docsApp(app) !== app) return undefined;
    const version = docsVersion(appVersion);
    return this.versions(app, language).includes(version) && !this.missing(app, version, language)
      ? version
      : undefined;
  }

  /** The command that makes this app's docs (in `language`), for messages. */
  howToBuild(adapter: Adapter, language?: string): string {
    const stand = adapter.docs?.readsDocsOf;
    if (stand)
      return `${this.howToBuild(this.adapter(stand), language)}; ${adapter.displayName} reads that reference`;
    const tree = this.tree(adapter.app, language);
    const source = tree.source;
    const which = tree.several ? ` --language ${tree.language}` : "";
    if (source.build) return `scriptwright docs build --app ${adapter.app}${which}`;
    if (source.buildFrom) {
      return `scriptwright docs build --app ${adapter.app}${which} --from ${source.fromHint ?? "<path>"}`;
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

  private open(app: string, version?: string, language?: string): OpenTree & { language: string } {
    const tree = this.tree(app, language);
    const how = this.howToBuild(this.adapter(app), language);
    return { ...openDocTree(this.dataDir, tree.name, version, how), language: tree.language };
  }

  /** Whose tree this app reads: its own, or the one its adapter stands in with. */
  docsApp(app: string): string {
    return this.adapter(app).docs?.readsDocsOf ?? app;
  }

  private index(tree: OpenTree): SearchIndex {
    const key = `${tree.app}@${tree.version}@${tree.meta.builtAt}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = SearchIndex.load(readFileSync(join(tree.root, "search-index.json"), "utf8"));
      this.indexes.set(key, index);
      if (this.indexes.size > CACHED_INDEXES) this.indexes.delete(this.indexes.keys().next().value!);
    }
    return index;
  }
}

/** The DocSet with its source's most used types marked, for search to rank them higher. */
function markCommon(docSet: DocSet, commonTypes: readonly string[] | undefined): DocSet {
  if (!commonTypes?.length) return docSet;
  const common = new Set(commonTypes);
  return {
    ...docSet,
    entries: docSet.entries.map((entry) => (common.has(entry.name) ? { ...entry, common: true } : entry)),
  };
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
