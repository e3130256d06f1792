// Full-text search over one doc tree: one search document per entry and per member,
// ranked with BM25 (minisearch), with exact and partial symbol matches boosted.
import MiniSearch, { type SearchResult } from "minisearch";
import type { DocSet } from "../../adapters/shared/docs-model.js";
import type { RenderedEntry } from "./render.js";
import { summaryOf } from "./render.js";
import { expandQuery, processTerm, tokenize } from "./tokens.js";

export interface SearchHit {
  /** Where to read: `classes/CompItem.md#layers`. */
  path: string;
  symbol: string;
  score: number;
  snippet: string;
}

interface SearchDocument {
  id: number;
  kind: string;
  /** Precomputed for ranking (see documentBoost): the whole name and owner as search terms. */
  nameTerm: string;
  ownerTerm: string;
  symbolLower: string;
  internal: boolean;
  /** The entry is one of the app's most used types (or a member of one). */
  common: boolean;
  /** An ALL_CAPS constant. */
  constant: boolean;
  path: string;
  symbol: string;
  name: string;
  owner: string;
  signature: string;
  description: string;
  snippet: string;
}

const SNIPPET_MAX = 300;

const FIELD_BOOST = { name: 3, symbol: 2, owner: 1.5, signature: 1, description: 2 };
/** Synonym expansions count half as much as the user's own words. */
const halfBoost = Object.fromEntries(Object.entries(FIELD_BOOST).map(([field, boost]) => [field, boost / 2]));

const OPTIONS = {
  fields: ["name", "symbol", "owner", "signature", "description"],
  storeFields: [
    "path",
    "symbol",
    "snippet",
    "kind",
    "nameTerm",
    "ownerTerm",
    "symbolLower",
    "internal",
    "common",
    "constant",
  ],
  tokenize,
  processTerm,
  searchOptions: {
    boost: FIELD_BOOST,
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
      kind: entry.kind,
      ...rankingFields(entry.name, shortName, ""),
      common: entry.common === true,
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
      // A function entry's one member is the function itself: `writeLn`, not `writeLn.writeLn`.
      const symbol = member.name === entry.name ? entry.name : `${entry.name}.${member.name}`;
      documents.push({
        id: documents.length,
        kind: member.kind,
        ...rankingFields(symbol, member.name, shortName),
        common: entry.common === true,
        path: `${file.path}#${file.anchors[j]}`,
        symbol,
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
  const boostDocument = (_id: unknown, term: string, stored?: Record<string, unknown>) =>
    documentBoost(term, stored ?? {}, symbolLike ? wanted : null);
  // An identifier asks for itself: its words' synonyms would only match (and score) thousands more.
  const synonyms = symbolLike ? [] : expandQuery(query);
  const results = synonyms.length
    ? index.search(
        {
          combineWith: "OR",
          // Synonyms match whole terms only: prefix and fuzzy matching on them cost more than they find.
          queries: [query, { queries: synonyms, boost: halfBoost, prefix: false, fuzzy: false }],
        },
        { boostDocument },
      )
    : index.search(query, { boostDocument });
  return preferAskedVerb(results, query).slice(0, limit).map(toHit);
}

/** Accessor verbs are stop words (they are in every other name) but still tell get from set. */
const ACCESSOR_VERBS = ["get", "set"];

/**
 * "get the active sequence" should put `getActiveSequence` before `setActiveSequence`: among
 * results, names that start with a verb the query asked for rank higher.
 */
function preferAskedVerb(results: SearchResult[], query: string): SearchResult[] {
  const words = new Set(query.toLowerCase().split(/[^a-z]+/));
  const asked = ACCESSOR_VERBS.filter((verb) => words.has(verb));
  if (!asked.length) return results;
  const other = ACCESSOR_VERBS.filter((verb) => !asked.includes(verb));
  const factor = (result: SearchResult) => {
    const name = String(result.symbol).split(".").pop()!.toLowerCase();
    if (asked.some((verb) => name.startsWith(verb))) return 1.5;
    return other.some((verb) => name.startsWith(verb)) ? 0.75 : 1;
  };
  return results
    .map((result) => ({ ...result, score: result.score * factor(result) }))
    .sort((a, b) => b.score - a.score);
}

/**
 * Ranking knowledge BM25 does not have: a query word that is a whole name ("camera" for
 * `Camera.lens`) beats one that is only part of a longer name (`MovieTrackingCamera`);
 * enum values and `_`-prefixed internals are rarely what a question is after.
 */
function documentBoost(term: string, stored: Record<string, unknown>, symbolQuery: string | null): number {
  const symbol = stored.symbolLower as string;
  let factor = 1;
  if (symbolQuery !== null) {
    if (symbol === symbolQuery) return 20;
    if (symbol.endsWith(`.${symbolQuery}`)) return 10;
    if (symbol.includes(symbolQuery)) factor *= 3;
  }
  // Enum values and ALL_CAPS constants (UXP's `TRACKITEMTYPE_CLIP`) answer few questions.
  if (stored.kind === "enum-value" || stored.constant) factor *= 0.5;
  if (stored.internal) factor *= 0.5;
  if (stored.common) factor *= COMMON_BOOST;
  if (term === stored.nameTerm || term === stored.ownerTerm) factor *= 1.5;
  return factor;
}

/** How much more a most-used type's entry and members count (DocsSource.commonTypes). */
const COMMON_BOOST = 1.8;

function rankingFields(symbol: string, name: string, owner: string) {
  return {
    nameTerm: processTerm(name) ?? "",
    ownerTerm: processTerm(owner) ?? "",
    symbolLower: symbol.toLowerCase(),
    internal: owner.startsWith("_") || name.startsWith("_") || symbol.includes("._"),
    constant: /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(name),
  };
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
