// A forgiving Python tokenizer, just enough for the risk classifier: it must never
// mistake text inside comments or string literals for code, and must keep line numbers
// right across triple-quoted strings and continuations. It never throws: unterminated
// strings simply end at the end of the input (or line, for single-quoted ones).

export type TokenKind = "name" | "number" | "string" | "op" | "newline";

export interface Token {
  kind: TokenKind;
  /** The source text (for strings: the whole literal, prefix and quotes included). */
  text: string;
  /** 1-based line where the token starts. */
  line: number;
  /** String tokens: the characters between the quotes, escapes left as written. */
  body?: string;
  /** String tokens: the lower-cased prefix (`""`, `"r"`, `"f"`, `"rb"`, …). */
  prefix?: string;
}

// r, u, b, f and t (3.14 template strings) in their legal combinations, any case.
const STRING_PREFIXES = new Set(["r", "u", "b", "br", "rb", "f", "fr", "rf", "t", "tr", "rt"]);
const NAME = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/uy;
const NUMBER = /(?:\d[\w]*(?:\.[\w]*)?|\.\d[\w]*)(?:(?<=[eE])[+-]\d[\w]*)?/y;
// Longest first, so `**=` is not read as `**` then `=`.
const OPERATORS = "**= //= >>= <<= ... != %= &= ** *= += -= -> // /= := << <= == >= >> @= ^= |=".split(" ");
const OPENING = new Set(["(", "[", "{"]);
const CLOSING = new Set([")", "]", "}"]);

class Scanner {
  readonly tokens: Token[] = [];
  private pos = 0;
  private line = 1;
  private depth = 0;

  constructor(private readonly src: string) {}

  run(): Token[] {
    const src = this.src;
    while (this.pos < src.length) {
      const ch = src[this.pos]!;
      if (ch === "\n" || ch === "\r") this.newline();
      else if (ch === "#") this.skipComment();
      else if (ch === "\\" && this.isLineBreak(this.pos + 1)) this.continuation();
      else if (ch === " " || ch === "\t" || ch === "\f") this.pos++;
      else if (ch === '"' || ch === "'") this.string(this.pos, "");
      else if (this.tryName() || this.tryNumber()) continue;
      else this.operator();
    }
    return this.tokens;
  }

  private isLineBreak(at: number): boolean {
    const ch = this.src[at];
    return ch === "\n" || ch === "\r";
  }

  /** Consumes one line break (\n, \r\n or \r) and counts it. */
  private consumeLineBreak(): void {
    if (this.src[this.pos] === "\r" && this.src[this.pos + 1] === "\n") this.pos += 2;
    else this.pos++;
    this.line++;
  }

  private newline(): void {
    // Inside brackets a line break does not end the statement.
    if (this.depth === 0 && this.tokens.length > 0 && this.tokens.at(-1)!.kind !== "newline") {
      this.tokens.push({ kind: "newline", text: "\n", line: this.line });
    }
    this.consumeLineBreak();
  }

  private continuation(): void {
    this.pos++;
    this.consumeLineBreak();
  }

  private skipComment(): void {
    while (this.pos < this.src.length && !this.isLineBreak(this.pos)) this.pos++;
  }

  private tryName(): boolean {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.src);
    if (!match) return false;
    const text = match[0];
    const after = this.src[this.pos + text.length];
    if ((after === '"' || after === "'") && STRING_PREFIXES.has(text.toLowerCase())) {
      this.string(this.pos + text.length, text.toLowerCase());
      return true;
    }
    this.tokens.push({ kind: "name", text, line: this.line });
    this.pos += text.length;
    return true;
  }

  private tryNumber(): boolean {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.src);
    if (!match || match[0] === "") return false;
    this.tokens.push({ kind: "number", text: match[0], line: this.line });
    this.pos += match[0].length;
    return true;
  }

  /** `quoteAt` is the opening quote; the prefix (if any) sits just before it. */
  private string(quoteAt: number, prefix: string): void {
    const startLine = this.line;
    const { end, bodyEnd } = this.scanString(quoteAt, prefix);
    const delimiterLength = this.src.startsWith(this.src[quoteAt]!.repeat(3), quoteAt) ? 3 : 1;
    this.tokens.push({
      kind: "string",
      text: this.src.slice(quoteAt - prefix.length, end),
      line: startLine,
      body: this.src.slice(quoteAt + delimiterLength, bodyEnd),
      prefix,
    });
    this.pos = end;
  }

  /**
   * Finds the end of the literal whose opening quote is at `quoteAt`, counting the line
   * breaks inside it. In f- and t-strings, replacement fields are code and may hold
   * strings quoted with the same quote (legal since Python 3.12), so they are walked
   * rather than searched for the closing quote.
   */
  private scanString(quoteAt: number, prefix: string): { end: number; bodyEnd: number } {
    const src = this.src;
    const quote = src[quoteAt]!;
    const triple = src.startsWith(quote.repeat(3), quoteAt);
    const delimiter = triple ? quote.repeat(3) : quote;
    const template = prefix.includes("f") || prefix.includes("t");
    let i = quoteAt + delimiter.length;
    while (i < src.length) {
      const ch = src[i]!;
      if (ch === "\\") {
        // Even in raw strings a backslash keeps the next character from closing the string.
        i = this.isLineBreak(i + 1) ? this.countBreakAt(i + 1) : i + 2;
      } else if (ch === "\n" || ch === "\r") {
        if (!triple) return { end: i, bodyEnd: i }; // unterminated: Python would reject it
        i = this.countBreakAt(i);
      } else if (src.startsWith(delimiter, i)) {
        return { end: i + delimiter.length, bodyEnd: i };
      } else if (template && ch === "{") {
        i = src[i + 1] === "{" ? i + 2 : this.scanReplacementField(i + 1);
      } else {
        i++;
      }
    }
    return { end: i, bodyEnd: i };
  }

  /** From just after a replacement field's `{` to just after its `}`. */
  private scanReplacementField(from: number): number {
    const src = this.src;
    let depth = 0;
    let i = from;
    while (i < src.length) {
      const ch = src[i]!;
      if (ch === '"' || ch === "'") {
        i = this.skipNestedString(i);
      } else if (ch === "\n" || ch === "\r") {
        i = this.countBreakAt(i);
      } else if (ch === "(" || ch === "[" || ch === "{") {
        depth++;
        i++;
      } else if (ch === ")" || ch === "]") {
        depth = Math.max(0, depth - 1);
        i++;
      } else if (ch === "}") {
        if (depth === 0) return i + 1;
        depth--;
        i++;
      } else if (ch === ":" && depth === 0 && src[i + 1] !== "=") {
        return this.scanFormatSpec(i + 1);
      } else {
        i++;
      }
    }
    return i;
  }

  /** A format spec (after `:`) is text with nested fields, up to the field's `}`. */
  private scanFormatSpec(from: number): number {
    const src = this.src;
    let i = from;
    while (i < src.length) {
      const ch = src[i]!;
      if (ch === "}") return i + 1;
      if (ch === "{") i = this.scanReplacementField(i + 1);
      else if (ch === "\n" || ch === "\r") i = this.countBreakAt(i);
      else i++;
    }
    return i;
  }

  /** A string inside a replacement field, prefix letters already passed as code. */
  private skipNestedString(quoteAt: number): number {
    let prefixStart = quoteAt;
    while (prefixStart > 0 && /[a-zA-Z]/.test(this.src[prefixStart - 1]!)) prefixStart--;
    const prefix = this.src.slice(prefixStart, quoteAt).toLowerCase();
    return this.scanString(quoteAt, STRING_PREFIXES.has(prefix) ? prefix : "").end;
  }

  /** Counts the line break at `i` and returns the index after it. */
  private countBreakAt(i: number): number {
    this.line++;
    return this.src[i] === "\r" && this.src[i + 1] === "\n" ? i + 2 : i + 1;
  }

  private operator(): void {
    const src = this.src;
    const op = OPERATORS.find((candidate) => src.startsWith(candidate, this.pos)) ?? src[this.pos]!;
    if (OPENING.has(op)) this.depth++;
    else if (CLOSING.has(op)) this.depth = Math.max(0, this.depth - 1);
    this.tokens.push({ kind: "op", text: op, line: this.line });
    this.pos += op.length;
  }
}

export function tokenize(code: string): Token[] {
  return new Scanner(code).run();
}
