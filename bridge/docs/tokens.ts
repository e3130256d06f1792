// How API text is cut into search terms: identifiers are kept whole and also split at
// camelCase and snake_case boundaries, so `addText`, `add text` and `primitive_cube_add`
// all meet; a few English function words are dropped and plurals folded.

const STOP_WORDS = new Set(
  "a an and are as at be by can do does for from how i in into is it its me my of on or set get the this to use using via what when where which with you your".split(
    " ",
  ),
);

const CAMEL_PARTS = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const word of text.split(/[^A-Za-z0-9_]+/)) {
    if (!word) continue;
    const parts = word.split(/_+/).flatMap((piece) => piece.match(CAMEL_PARTS) ?? []);
    if (parts.length > 1) terms.push(word.replace(/^_+|_+$/g, ""));
    terms.push(...parts);
  }
  return terms;
}

export function processTerm(term: string): string | null {
  const lower = term.toLowerCase();
  if (STOP_WORDS.has(lower)) return null;
  if (lower.length > 4 && lower.endsWith("ies")) return `${lower.slice(0, -3)}y`;
  if (lower.length > 3 && lower.endsWith("s") && !lower.endsWith("ss") && !lower.endsWith("us"))
    return lower.slice(0, -1);
  return lower;
}

/**
 * Words that mean the same thing in API names: a question says "create", the API says
 * `add…` or `new`; "last frame" is `frame_end`; an After Effects "composition" is a `Comp`.
 * Expansions are searched at lower weight, so the user's own words still rank first.
 */
const SYNONYM_GROUPS = [
  ["create", "add", "new", "make", "insert"],
  ["delete", "remove", "erase"],
  ["composition", "comp"],
  ["keyframe", "key"],
  ["last", "end", "final"],
  ["first", "start", "begin"],
  ["folder", "bin"],
  ["playhead", "player", "position"],
  ["colour", "color"],
  ["picture", "image", "still", "png", "jpg"],
  // A still image of the scene is a render ("export frame as png").
  ["png", "render"],
  ["still", "render"],
  // What users call things, and the API's words for them.
  ["open", "active", "current"],
  ["put", "place", "insert", "overwrite"],
  ["timeline", "sequence"],
  ["timeline", "track"],
  ["clip", "trackitem"],
  ["effect", "component", "filter"],
  ["selected", "selection"],
  ["rename", "name"],
  ["count", "many", "number"],
  ["resolution", "size"],
  ["width", "x", "horizontal"],
  ["height", "y", "vertical"],
  ["strength", "energy", "intensity"],
  ["focal", "lens"],
  ["fps", "framerate", "second"],
  ["blend", "mainfile"],
  ["output", "filepath"],
  ["console", "writeln"],
  ["length", "duration"],
];

const SYNONYMS = new Map<string, string[]>();
// A word in several groups ("insert", "timeline") has the synonyms of all of them.
for (const group of SYNONYM_GROUPS) {
  for (const word of group) {
    const others = group.filter((other) => other !== word);
    SYNONYMS.set(word, [...new Set([...(SYNONYMS.get(word) ?? []), ...others])]);
  }
}

/** A query's search terms as the index holds them, each once. */
export function queryTerms(query: string): string[] {
  return [...new Set(tokenize(query).map(processTerm))].filter((term): term is string => term !== null);
}

/** Synonyms of a query's terms (queryTerms) that it does not already contain. */
export function synonymsOf(terms: readonly string[]): string[] {
  const present = new Set(terms);
  const extra = new Set<string>();
  for (const term of terms)
    for (const synonym of SYNONYMS.get(term) ?? []) if (!present.has(synonym)) extra.add(synonym);
  return [...extra];
}
