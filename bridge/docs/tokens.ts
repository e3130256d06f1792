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
