// What every session tried, searchable: each script a session proposed (its description, its
// code, how it ended and its error) with the request that started the session, ranked with BM25
// (minisearch) on the docs' tokenizer (snake_case and camelCase split, plurals folded). Read
// from the JSONL transcripts; a long-lived index (the bridge's) re-reads only transcripts that
// changed since the last search.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import MiniSearch from "minisearch";
import { processTerm, tokenize } from "../docs/tokens.js";
import { sessionsDir, textOf } from "./transcript.js";

export interface HistoryHit {
  sessionId: string;
  /** When the script ran. */
  at: string;
  app: string;
  scriptId: string;
  description: string;
  /** ok, error, timeout, …; "not approved" when a person denied it. */
  outcome: string;
  /** The error's message, when it failed. */
  error?: string;
  /** The lines of its code that match, else its first lines. */
  snippet: string;
  score: number;
}

export interface HistorySearchOptions {
  app?: string;
  limit?: number;
  /** Leave this session out (the agent's own). */
  excludeSession?: string;
}

interface ScriptDoc {
  id: string;
  sessionId: string;
  app: string;
  at: string;
  scriptId: string;
  description: string;
  code: string;
  outcome: string;
  error: string;
  prompt: string;
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  docs: ScriptDoc[];
}

const ID_FILE = /^(\d{8}-\d{6}-[a-f0-9]{6})\.jsonl$/;
const SNIPPET_LINES = 4;

export class HistoryIndex {
  private readonly files = new Map<string, CachedFile>();
  private index: MiniSearch<ScriptDoc> | null = null;
  private byId = new Map<string, ScriptDoc>();

  constructor(private readonly dataDir: string) {}

  search(query: string, options: HistorySearchOptions = {}): HistoryHit[] {
    const terms = tokenize(query)
      .map(processTerm)
      .filter((term): term is string => Boolean(term));
    if (!terms.length) return [];
    const index = this.refresh();
    const limit = options.limit ?? 10;
    const results = index.search(terms.join(" "), {
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
      boost: { description: 2, code: 1, error: 1, prompt: 0.5 },
      filter: (result) => {
        const doc = this.byId.get(result.id as string);
        if (!doc) return false;
        if (options.app && doc.app !== options.app) return false;
        return doc.sessionId !== options.excludeSession;
      },
    });
    return results.slice(0, limit).map((result) => {
      const doc = this.byId.get(result.id as string)!;
      return {
        sessionId: doc.sessionId,
        at: doc.at,
        app: doc.app,
        scriptId: doc.scriptId,
        description: doc.description,
        outcome: doc.outcome,
        ...(doc.error ? { error: doc.error } : {}),
        snippet: snippet(doc.code, new Set(terms)),
        score: Math.round(result.score * 1000) / 1000,
      };
    });
  }

  /** Re-reads transcripts that changed, and rebuilds the index when any did. */
  private refresh(): MiniSearch<ScriptDoc> {
    const dir = sessionsDir(this.dataDir);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    let changed = this.index === null;
    const seen = new Set<string>();
    for (const name of names) {
      const match = ID_FILE.exec(name);
      if (!match) continue;
      const path = join(dir, name);
      seen.add(path);
      let stat: { mtimeMs: number; size: number };
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      const cached = this.files.get(path);
      if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) continue;
      this.files.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, docs: readScripts(path, match[1]!) });
      changed = true;
    }
    for (const path of [...this.files.keys()]) {
      if (!seen.has(path)) {
        this.files.delete(path);
        changed = true;
      }
    }
    if (changed || !this.index) {
      const index = new MiniSearch<ScriptDoc>({
        fields: ["description", "code", "error", "prompt"],
        tokenize,
        processTerm,
      });
      this.byId = new Map();
      for (const file of this.files.values())
        for (const doc of file.docs) {
          this.byId.set(doc.id, doc);
          index.add(doc);
        }
      this.index = index;
    }
    return this.index;
  }
}

/** The scripts of one transcript, read without parsing the lines that cannot be one. */
function readScripts(path: string, sessionId: string): ScriptDoc[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  let app = "";
  let prompt = "";
  const docs: ScriptDoc[] = [];
  for (const line of text.split("\n")) {
    // Records are written with `type` first: most lines (model messages, usage) are skipped unread.
    const head = line.slice(0, 24);
    const isScript = head.startsWith('{"type":"script"');
    const isSession = head.startsWith('{"type":"session"');
    const isFirstPrompt = !prompt && head.startsWith('{"type":"message"');
    if (!isScript && !isSession && !isFirstPrompt) continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a line cut short by a crash
    }
    if (isSession) app = String(record.app ?? "");
    else if (isFirstPrompt) {
      const message = record.message as { role?: string } | undefined;
      if (message?.role === "user") prompt = textOf(message as Parameters<typeof textOf>[0]).slice(0, 500);
    } else {
      const approved = record.approved === true;
      docs.push({
        id: `${sessionId}#${String(record.scriptId)}#${docs.length}`,
        sessionId,
        app,
        at: String(record.at ?? ""),
        scriptId: String(record.scriptId ?? ""),
        description: String(record.description ?? ""),
        code: String(record.code ?? ""),
        outcome: approved ? String(record.outcome ?? "unknown") : "not approved",
        error: typeof record.error === "string" ? record.error : "",
        prompt,
      });
    }
  }
  return docs;
}

/** The code lines that hold a query term (with the next line), else the first lines. */
function snippet(code: string, terms: Set<string>): string {
  const lines = code.split("\n");
  const hits = lines
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => tokenize(line).some((token) => terms.has(processTerm(token) ?? "")));
  const chosen = hits.length ? hits.slice(0, SNIPPET_LINES).map((hit) => hit.i) : [0, 1, 2, 3];
  const shown = [...new Set(chosen)].filter((i) => i < lines.length).sort((a, b) => a - b);
  const text = shown.map((i) => lines[i]!.trimEnd()).join("\n");
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}
