// Full-text search over one doc tree: one search document per entry and per member,
// ranked with BM25 (minisearch), with exact and partial symbol matches boosted.
//
// Speed comes from how few postings a question touches (Blender: 15k documents). So the
// index holds no stored fields (what a hit shows and what ranking needs live in plain arrays
// beside it), the dotted symbol is not indexed apart from its name and owner, and a word most
// descriptions use ("object" in Blender) is looked up in names only, as are synonyms.
import MiniSearch, { type AsPlainObject, type Query } from "minisearch";
import type { DocSet } from "../../adapters/shared/docs-model.js";
import type { RenderedEntry } from "./render.js";
import { summaryOf } from "./render.js";
import { processTerm, queryTerms, synonymsOf, tokenize } from "./tokens.js";

export interface SearchHit {
  /** Where to read: `classes/CompItem.md#layers`. */
  path: string;
  symbol: string;
  score: number;
  snippet: string;
}

interface SearchDocument {
  id: number;
  name: string;
  owner: string;
  signature: string;
  description: string;
}

/** What a hit shows and what ranking knows of one document, by document id. */
interface DocumentFacts {
  path: string;
  symbol: string;
  snippet: string;
  flags: number;
  /** The whole name and owner as search terms (see documentBoost). */
  nameTerm: string;
  ownerTerm: string;
}

const ENUM_VALUE = 1;
const INTERNAL = 2;
/** The entry is one of the app's most used types (or a member of one). */
const COMMON = 4;
/** An ALL_CAPS constant. */
const CONSTANT = 8;

const SNIPPET_MAX = 300;
/** The file's layout: written by buildSearchIndex; a bare MiniSearch index is the older one. */
const LAYOUT = 2;

const FIELD_BOOST = { name: 5, owner: 3.5, signature: 1, description: 2 };
/** Where words that do not tell documents apart are looked up: a name says more than prose. */
const NAME_FIELDS = ["name", "owner", "signature"];
/**
 * Synonym expansions count less than the user's own words. They are looked up in names only,
 * where a match is good evidence ("png" finding the `render` operator), so not much less.
 */
const synonymBoost = Object.fromEntries(
  Object.entries(FIELD_BOOST).map(([field, boost]) => [field, boost * 0.8]),
);
/**
 * A word in more descriptions than this share of a tree's documents (and at least
 * COMMON_TERM_MIN of them) is searched in names only: it adds little to BM25 there (its IDF is
 * low) and costs the most postings. Blender: "object", "modifier", "add"; small trees: none.
 */
const COMMON_TERM_SHARE = 0.02;
const COMMON_TERM_MIN = 150;

const OPTIONS = {
  fields: Object.keys(FIELD_BOOST),
  tokenize,
  processTerm,
  searchOptions: {
    boost: FIELD_BOOST,
    prefix: (term: string) => term.length >= 4,
    fuzzy: (term: string) => (term.length >= 7 ? 0.15 : false),
  },
};

/** A query's terms, already processed, passed to MiniSearch as they are. */
const TERMS_AS_GIVEN = { tokenize: (text: string) => text.split(" "), processTerm: (term: string) => term };

/** One document's facts as a row of search-index.json: path, symbol, snippet, flags, name and owner term. */
type FactsRow = [string, string, string, number, string, string];

const rowOf = (f: DocumentFacts): FactsRow => [f.path, f.symbol, f.snippet, f.flags, f.nameTerm, f.ownerTerm];
const factsOf = ([path, symbol, snippet, flags, nameTerm, ownerTerm]: FactsRow): DocumentFacts => ({
  path,
  symbol,
  snippet,
  flags,
  nameTerm,
  ownerTerm,
});

/** What is written to search-index.json. */
interface SearchIndexFile {
  layout: typeof LAYOUT;
  /** Per document id. */
  documents: FactsRow[];
  commonTerms: string[];
  index: AsPlainObject;
}

export function buildSearchIndex(docSet: DocSet, rendered: readonly RenderedEntry[]): SearchIndexFile {
  const index = new MiniSearch<SearchDocument>(OPTIONS);
  const searchDocuments: SearchDocument[] = [];
  const facts: SearchIndexFile["documents"] = [];
  const add = (document: Omit<SearchDocument, "id">, fact: DocumentFacts) => {
    searchDocuments.push({ id: searchDocuments.length, ...document });
    facts.push(rowOf(fact));
  };
  docSet.entries.forEach((entry, i) => {
    const file = rendered[i]!;
    const shortName = entry.name.split(".").pop() ?? entry.name;
    const common = entry.common === true;
    add(
      {
        name: shortName,
        owner: "",
        signature: `${entry.kind} ${entry.name}${entry.extends?.length ? ` extends ${entry.extends.join(", ")}` : ""}`,
        description: entry.description ?? "",
      },
      {
        path: file.path,
        symbol: entry.name,
        snippet: clip(
          `${entry.kind} ${entry.name}${entry.description ? ` — ${summaryOf(entry.description, 250)}` : ""}`,
        ),
        ...ranking(entry.kind, entry.name, shortName, "", common),
      },
    );
    entry.members.forEach((member, j) => {
      const values = member.values?.map((v) => v.name).join(" ") ?? "";
      const params = member.params?.map((p) => `${p.name} ${p.description ?? ""}`).join(" ") ?? "";
      // A function entry's one member is the function itself: `writeLn`, not `writeLn.writeLn`.
      const symbol = member.name === entry.name ? entry.name : `${entry.name}.${member.name}`;
      add(
        {
          name: member.name,
          owner: shortName,
          signature: member.signature,
          description: `${member.description ?? ""} ${params} ${values}`.trim(),
        },
        {
          path: `${file.path}#${file.anchors[j]}`,
          symbol,
          snippet: clip(
            `${member.signature}${member.description ? ` — ${summaryOf(member.description, 250)}` : ""}`,
          ),
          ...ranking(member.kind, symbol, member.name, shortName, common),
        },
      );
    });
  });
  index.addAll(searchDocuments);
  return {
    layout: LAYOUT,
    documents: facts,
    commonTerms: commonTermsOf(searchDocuments.map((d) => d.description)),
    index: index.toJSON(),
  };
}

/** Terms in more descriptions than COMMON_TERM_SHARE of them and COMMON_TERM_MIN. */
function commonTermsOf(descriptions: readonly string[]): string[] {
  const documentFrequency = new Map<string, number>();
  for (const description of descriptions) {
    const terms = new Set(tokenize(description).map(processTerm));
    for (const term of terms) if (term) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const threshold = Math.max(COMMON_TERM_MIN, descriptions.length * COMMON_TERM_SHARE);
  return [...documentFrequency].filter(([, count]) => count > threshold).map(([term]) => term);
}

export class SearchIndex {
  private readonly facts: DocumentFacts[];
  private readonly symbolsLower: string[];
  private readonly commonTerms: ReadonlySet<string>;

  private constructor(
    private readonly index: MiniSearch<SearchDocument>,
    facts: DocumentFacts[],
    commonTerms: readonly string[],
  ) {
    this.facts = facts;
    this.symbolsLower = facts.map((fact) => fact.symbol.toLowerCase());
    this.commonTerms = new Set(commonTerms);
  }

  static load(json: string): SearchIndex {
    const file = JSON.parse(json) as SearchIndexFile | AsPlainObject;
    if ("layout" in file && file.layout === LAYOUT) {
      const facts = file.documents.map(factsOf);
      return new SearchIndex(MiniSearch.loadJS(file.index, OPTIONS), facts, file.commonTerms);
    }
    return SearchIndex.loadOlderLayout(file as AsPlainObject);
  }

  /**
   * Trees written before the layout above: a MiniSearch index whose stored fields hold the
   * facts. Still searched, on the fields both layouts index.
   */
  private static loadOlderLayout(plain: AsPlainObject): SearchIndex {
    const index = MiniSearch.loadJS<SearchDocument>(plain, OPTIONS);
    const facts: DocumentFacts[] = [];
    for (let id = 0; id < index.documentCount; id++) {
      const stored = index.getStoredFields(id) ?? {};
      facts.push({
        path: String(stored.path),
        symbol: String(stored.symbol),
        snippet: String(stored.snippet),
        flags: flagsOf({
          enumValue: stored.kind === "enum-value",
          internal: stored.internal === true,
          common: stored.common === true,
          constant: stored.constant === true,
        }),
        nameTerm: String(stored.nameTerm ?? ""),
        ownerTerm: String(stored.ownerTerm ?? ""),
      });
    }
    return new SearchIndex(index, facts, []);
  }

  search(query: string, limit: number): SearchHit[] {
    const wanted = query.trim().toLowerCase();
    // A query that names a symbol (`CompItem.layers`, `addText`) should find it first.
    const symbolQuery = /^[\w.$]+$/.test(wanted) ? wanted : null;
    const boostDocument = (id: number, term: string) => this.documentBoost(id, term, symbolQuery);
    const results = this.index.search(this.querySpec(query, symbolQuery !== null), {
      boostDocument,
    });
    const ranked = preferAskedVerb(results, query, this.facts);
    return ranked.slice(0, limit).map(({ id, score }) => {
      const fact = this.facts[id]!;
      return {
        path: fact.path,
        symbol: fact.symbol,
        score: Math.round(score * 1000) / 1000,
        snippet: fact.snippet,
      };
    });
  }

  /** The user's rarer words in every field, common ones and synonyms in names only. */
  private querySpec(query: string, symbolLike: boolean): Query {
    const terms = queryTerms(query);
    const rare = terms.filter((term) => !this.commonTerms.has(term));
    const common = terms.filter((term) => this.commonTerms.has(term));
    const queries: Query[] = [];
    if (rare.length) queries.push({ queries: [rare.join(" ")], ...TERMS_AS_GIVEN });
    if (common.length) queries.push({ queries: [common.join(" ")], ...TERMS_AS_GIVEN, fields: NAME_FIELDS });
    // An identifier asks for itself: its words' synonyms would only match (and score) thousands more.
    const synonyms = symbolLike ? [] : synonymsOf(terms);
    if (synonyms.length) {
      // Synonyms match whole terms only: prefix and fuzzy matching on them cost more than they find.
      queries.push({
        queries: synonyms,
        boost: synonymBoost,
        prefix: false,
        fuzzy: false,
        fields: NAME_FIELDS,
      });
    }
    return { combineWith: "OR", queries };
  }

  /**
   * Ranking knowledge BM25 does not have: a query word that is a whole name ("camera" for
   * `Camera.lens`) beats one that is only part of a longer name (`MovieTrackingCamera`);
   * enum values and `_`-prefixed internals are rarely what a question is after.
   */
  private documentBoost(id: number, term: string, symbolQuery: string | null): number {
    const fact = this.facts[id]!;
    let factor = 1;
    if (symbolQuery !== null) {
      const symbol = this.symbolsLower[id]!;
      if (symbol === symbolQuery) return 20;
      if (symbol.endsWith(`.${symbolQuery}`)) return 10;
      if (symbol.includes(symbolQuery)) factor *= 3;
    }
    // Enum values and ALL_CAPS constants (UXP's `TRACKITEMTYPE_CLIP`) answer few questions.
    if (fact.flags & (ENUM_VALUE | CONSTANT)) factor *= 0.5;
    if (fact.flags & INTERNAL) factor *= 0.5;
    if (fact.flags & COMMON) factor *= COMMON_BOOST;
    if (term === fact.nameTerm || term === fact.ownerTerm) factor *= 1.5;
    return factor;
  }
}

/** Accessor verbs are stop words (they are in every other name) but still tell get from set. */
const ACCESSOR_VERBS = ["get", "set"];

/**
 * "get the active sequence" should put `getActiveSequence` before `setActiveSequence`: among
 * results, names that start with a verb the query asked for rank higher.
 */
function preferAskedVerb(
  results: ReadonlyArray<{ id: number; score: number }>,
  query: string,
  facts: readonly DocumentFacts[],
): ReadonlyArray<{ id: number; score: number }> {
  const words = new Set(query.toLowerCase().split(/[^a-z]+/));
  const asked = ACCESSOR_VERBS.filter((verb) => words.has(verb));
  if (!asked.length) return results;
  const other = ACCESSOR_VERBS.filter((verb) => !asked.includes(verb));
  const factor = (id: number) => {
    const name = facts[id]!.symbol.split(".").pop()!.toLowerCase();
    if (asked.some((verb) => name.startsWith(verb))) return 1.5;
    return other.some((verb) => name.startsWith(verb)) ? 0.75 : 1;
  };
  return results
    .map((result) => ({ id: result.id, score: result.score * factor(result.id) }))
    .sort((a, b) => b.score - a.score);
}

/** How much more a most-used type's entry and members count (DocsSource.commonTypes). */
const COMMON_BOOST = 1.8;

function ranking(kind: string, symbol: string, name: string, owner: string, common: boolean) {
  const internal = owner.startsWith("_") || name.startsWith("_") || symbol.includes("._");
  const constant = /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(name);
  return {
    flags: flagsOf({ enumValue: kind === "enum-value", internal, common, constant }),
    nameTerm: processTerm(name) ?? "",
    ownerTerm: processTerm(owner) ?? "",
  };
}

function flagsOf(is: { enumValue: boolean; internal: boolean; common: boolean; constant: boolean }): number {
  return (
    (is.enumValue ? ENUM_VALUE : 0) |
    (is.internal ? INTERNAL : 0) |
    (is.common ? COMMON : 0) |
    (is.constant ? CONSTANT : 0)
  );
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > SNIPPET_MAX ? `${flat.slice(0, SNIPPET_MAX - 1)}…` : flat;
}
