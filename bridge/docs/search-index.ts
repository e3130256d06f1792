// Full-text search over one doc tree: one search document per entry and per member,
// ranked with BM25 (minisearch), with exact and partial symbol matches boosted.
import MiniSearch, { type SearchResult } from "minisearch";
import type { DocSet } from "./model.js";
import type { RenderedEntry } from "./render.js";
import { summaryOf } from "./render.js";
import { processTerm, tokenize } from "./tokens.js";

export interface SearchHit {
  /** Where to read: `classes/CompItem.md#layers`. */
  path: string;
  symbol: string;
  score: number;
  snippet: string;
}

interface SearchDocument {
  id: number;
  path: string;
  symbol: string;
  name: string;
  owner: string;
  signature: string;
  description: string;
  snippet: string;
}

const SNIPPET_MAX = 300;

const OPTIONS = {
  fields: ["name", "symbol", "owner", "signature", "description"],
  storeFields: ["path", "symbol", "snippet"],
  tokenize,
  processTerm,
  searchOptions: {
    boost: { name: 4, symbol: 3, owner: 1.5, signature: 1, description: 1 },
    prefix: (term: string) => term.length >= 4,
    fuzzy: (term: string) => (term.length >= 7 ? 0.15 : false),
  },
};

export function buildSearchIndex(
  docSet: DocSet,
  rendered: readonly RenderedEntry[],
): MiniSearch<SearchDocument> {
  const index = new MiniSearch<SearchDocument>(OPTIONS);
  const documents: SearchDocument[] = [];
  docSet.entries.forEach((entry, i) => {
    const file = rendered[i]!;
    const shortName = entry.name.split(".").pop() ?? entry.name;
    documents.push({
      id: documents.length,
      path: file.path,
      symbol: entry.name,
      name: shortName,
      owner: "",
      signature: `${entry.kind} ${entry.name}${entry.extends?.length ? ` extends ${entry.extends.join(", ")}` : ""}`,
      description: entry.description ?? "",
      snippet: clip(
        `${entry.kind} ${entry.name}${entry.description ? ` — ${summaryOf(entry.description, 250)}` : ""}`,
      ),
    });
    entry.members.forEach((member, j) => {
      const values = member.values?.map((v) => v.name).join(" ") ?? "";
      const params = member.params?.map((p) => `${p.name} ${p.description ?? ""}`).join(" ") ?? "";
      documents.push({
        id: documents.length,
        path: `${file.path}#${file.anchors[j]}`,
        symbol: `${entry.name}.${member.name}`,
        name: member.name,
        owner: shortName,
        signature: member.signature,
        description: `${member.description ?? ""} ${params} ${values}`.trim(),
        snippet: clip(
          `${member.signature}${member.description ? ` — ${summaryOf(member.description, 250)}` : ""}`,
        ),
      });
    });
  });
  index.addAll(documents);
  return index;
}

export function loadSearchIndex(json: string): MiniSearch<SearchDocument> {
  return MiniSearch.loadJSON<SearchDocument>(json, OPTIONS);
}

export function searchIndex(index: MiniSearch<SearchDocument>, query: string, limit: number): SearchHit[] {
  const wanted = query.trim().toLowerCase();
  // A query that names a symbol (`CompItem.layers`, `addText`) should find it first.
  const symbolLike = /^[\w.$]+$/.test(wanted);
  const results = index.search(query, {
    boostDocument: symbolLike
      ? (_id, _term, stored) => {
          const symbol = String(stored?.symbol ?? "").toLowerCase();
          if (symbol === wanted) return 20;
          if (symbol.endsWith(`.${wanted}`)) return 10;
          if (symbol.includes(wanted)) return 3;
          return 1;
        }
      : undefined,
  });
  return results.slice(0, limit).map(toHit);
}

function toHit(result: SearchResult): SearchHit {
  return {
    path: String(result.path),
    symbol: String(result.symbol),
    score: Math.round(result.score * 1000) / 1000,
    snippet: String(result.snippet),
  };
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > SNIPPET_MAX ? `${flat.slice(0, SNIPPET_MAX - 1)}…` : flat;
}
