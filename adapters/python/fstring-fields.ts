// The expressions inside an f-string's (or t-string's) replacement fields: code that runs,
// so the risk classifier reads it like any other code. `{{` and `}}` are literal braces;
// a field's conversion (`!r`) and format spec are not code, but fields nested in the spec
// (`{x:>{width}}`) are.

export interface FieldExpression {
  code: string;
  /** Line breaks in the string's body before the expression. */
  lineOffset: number;
}

const OPENING = "([{";
const CLOSING = ")]}";

/** Index just past the quoted string starting at `at` (one quote character, no triple quotes needed here). */
function skipQuoted(body: string, at: number): number {
  const quote = body[at]!;
  let i = at + 1;
  while (i < body.length && body[i] !== quote) i += body[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** Reads the field whose `{` is at `open`; returns the index just past its `}`. */
function readField(body: string, open: number, fields: FieldExpression[]): number {
  let depth = 0;
  let expressionEnd = -1;
  let i = open + 1;
  for (; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "'" || ch === '"') {
      i = skipQuoted(body, i) - 1;
    } else if (OPENING.includes(ch)) {
      depth++;
    } else if (CLOSING.includes(ch)) {
      if (depth === 0) break; // the field's closing brace
      depth--;
    } else if (depth === 0 && body[i + 1] !== "=" && (ch === "!" || ch === ":")) {
      if (expressionEnd < 0) expressionEnd = i;
      if (ch === ":") i = readSpec(body, i + 1, fields) - 1;
    }
  }
  const end = expressionEnd < 0 ? i : expressionEnd;
  fields.push({ code: body.slice(open + 1, end), lineOffset: countLines(body, open) });
  return i + 1;
}

/** A format spec up to its field's closing brace, reading the fields nested in it. */
function readSpec(body: string, from: number, fields: FieldExpression[]): number {
  let i = from;
  while (i < body.length && body[i] !== "}") {
    i = body[i] === "{" ? readField(body, i, fields) : i + 1;
  }
  return i;
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = 0; i < end; i++) if (text[i] === "\n") lines++;
  return lines;
}

export function fieldExpressions(body: string): FieldExpression[] {
  const fields: FieldExpression[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] === "{" && body[i + 1] === "{") i += 2;
    else if (body[i] === "{") i = readField(body, i, fields);
    else i++;
  }
  return fields;
}
