// A forgiving VBA tokenizer for the kit's preflight, risk classifier and wrapper. It splits
// code into logical lines (physical lines joined by ` _` continuations) and those into
// statements (separated by `:`), and never mistakes text inside strings or comments
// (`'` and `Rem`, which a trailing ` _` continues) for code. It never throws: an
// unterminated string ends at the end of its line and is reported on the line.

export type TokenKind = "word" | "number" | "string" | "date" | "bracket" | "op" | "directive";

export interface Token {
  kind: TokenKind;
  text: string;
  /** Lower-cased text of words and directives, for keyword tests (VBA ignores case). */
  lower: string;
  /** 1-based line and column (UTF-16 units) in the user's code. */
  line: number;
  column: number;
  /** Offsets in the code: [start, end). */
  start: number;
  end: number;
}

export interface Statement {
  tokens: Token[];
  /** Offsets of the statement's text: first token start to last token end. */
  start: number;
  end: number;
}

export interface LogicalLine {
  /** First and last physical line (1-based). */
  line: number;
  endLine: number;
  /** Offsets: start of the first physical line, end of the last one (line break excluded). */
  start: number;
  end: number;
  /** `Name:` or a line number at the start of the line. */
  label?: Token;
  /** Offset just after the label (after its colon, for a named label). */
  labelEnd?: number;
  statements: Statement[];
  /** A string literal that runs to the end of its line without a closing quote. */
  unterminated?: Token;
}

interface PhysicalLine {
  text: string;
  start: number;
  number: number;
}

// Words that end a statement's role as a label when followed by ":" (`Else: x = 1`).
const NOT_LABELS = new Set(["else", "end", "case", "loop", "next", "wend", "do", "then", "resume", "rem"]);
const WORD = /[\p{L}_][\p{L}\p{N}_]*[$%&!#@^]?/uy;
const NUMBER = /(?:&[hH][0-9a-fA-F]+|&[oO]?[0-7]+|(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?)[%&!#@^]?/y;
// #1/2/2024#, #2024-01-02#, #12:30:00 PM#, #January 2, 2024#: digits or month names only.
const DATE = /#[ \t]*[\w/\-:., \t]*?\d[\w/\-:., \t]*#/y;
const OPERATORS = [":=", "<=", ">=", "<>"];

function physicalLines(code: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  const pattern = /\r\n|\r|\n/g;
  let start = 0;
  let number = 1;
  for (let match = pattern.exec(code); match; match = pattern.exec(code)) {
    lines.push({ text: code.slice(start, match.index), start, number });
    start = match.index + match[0].length;
    number++;
  }
  lines.push({ text: code.slice(start), start, number });
  return lines;
}

/** True when the physical line (from `from`) is only a continuation mark: ` _` and spaces. */
function isContinuation(text: string, at: number): boolean {
  if (text[at] !== "_") return false;
  if (at > 0 && !/[ \t]/.test(text[at - 1]!)) return false;
  return /^[ \t]*$/.test(text.slice(at + 1));
}

class LineScanner {
  readonly tokens: Token[] = [];
  continues = false;
  /** The line ended inside a comment that a trailing ` _` carries to the next line. */
  commentContinues = false;
  unterminated?: Token;

  constructor(
    private readonly line: PhysicalLine,
    private readonly firstOfLogical: boolean,
  ) {}

  scan(): this {
    const { text } = this.line;
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === " " || ch === "\t" || ch === "\f" || ch === "\u00a0") {
        i++;
      } else if (ch === "'" || (this.startsStatement() && this.isRem(i))) {
        this.commentContinues = /[ \t]_[ \t]*$/.test(text.slice(i));
        return this;
      } else if (isContinuation(text, i)) {
        this.continues = true;
        return this;
      } else if (ch === '"') {
        i = this.string(i);
      } else if (ch === "#") {
        i = this.hash(i);
      } else if (ch === "[") {
        const close = text.indexOf("]", i);
        i = close < 0 ? this.push("op", i, i + 1) : this.push("bracket", i, close + 1);
      } else {
        i = this.wordOrNumber(i) ?? this.operator(i);
      }
    }
    return this;
  }

  private startsStatement(): boolean {
    const last = this.tokens.at(-1);
    return last === undefined ? true : last.kind === "op" && last.text === ":";
  }

  private isRem(i: number): boolean {
    const text = this.line.text;
    return /^rem(?![\p{L}\p{N}_])/iu.test(text.slice(i));
  }

  private push(kind: TokenKind, start: number, end: number): number {
    const text = this.line.text.slice(start, end);
    this.tokens.push({
      kind,
      text,
      lower: text.toLowerCase(),
      line: this.line.number,
      column: start + 1,
      start: this.line.start + start,
      end: this.line.start + end,
    });
    return end;
  }

  private string(i: number): number {
    const text = this.line.text;
    let j = i + 1;
    while (j < text.length) {
      if (text[j] === '"') {
        if (text[j + 1] === '"') j += 2;
        else return this.push("string", i, j + 1);
      } else {
        j++;
      }
    }
    this.push("string", i, text.length);
    this.unterminated = this.tokens.at(-1);
    return text.length;
  }

  private hash(i: number): number {
    const text = this.line.text;
    if (this.firstOfLogical && this.tokens.length === 0) {
      WORD.lastIndex = i + 1;
      const word = WORD.exec(text);
      return this.push("directive", i, i + 1 + (word ? word[0].length : 0));
    }
    DATE.lastIndex = i;
    const date = DATE.exec(text);
    return date ? this.push("date", i, i + date[0].length) : this.push("op", i, i + 1);
  }

  private wordOrNumber(i: number): number | undefined {
    const text = this.line.text;
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) return this.push("word", i, i + word[0].length);
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number && number[0] !== "" && number[0] !== "&") return this.push("number", i, i + number[0].length);
    return undefined;
  }

  private operator(i: number): number {
    const text = this.line.text;
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    return this.push("op", i, i + (op ? op.length : 1));
  }
}

function splitStatements(tokens: Token[]): Statement[] {
  const statements: Statement[] = [];
  let current: Token[] = [];
  const flush = () => {
    if (current.length) {
      statements.push({ tokens: current, start: current[0]!.start, end: current.at(-1)!.end });
    }
    current = [];
  };
  for (const token of tokens) {
    if (token.kind === "op" && token.text === ":") flush();
    else current.push(token);
  }
  flush();
  return statements;
}

function buildLogical(lines: PhysicalLine[], tokens: Token[], unterminated?: Token): LogicalLine {
  const first = lines[0]!;
  const last = lines.at(-1)!;
  const logical: LogicalLine = {
    line: first.number,
    endLine: last.number,
    start: first.start,
    end: last.start + last.text.length,
    statements: [],
  };
  if (unterminated) logical.unterminated = unterminated;
  let rest = tokens;
  const head = tokens[0];
  const next = tokens[1];
  if (head?.kind === "number" && /^\d+$/.test(head.text)) {
    logical.label = head;
    logical.labelEnd = head.end;
    rest = tokens.slice(1);
  } else if (
    head?.kind === "word" &&
    next?.kind === "op" &&
    next.text === ":" &&
    !NOT_LABELS.has(head.lower)
  ) {
    logical.label = head;
    logical.labelEnd = next.end;
    rest = tokens.slice(2);
  }
  logical.statements = splitStatements(rest);
  return logical;
}

export function logicalLines(code: string): LogicalLine[] {
  const result: LogicalLine[] = [];
  let pending: PhysicalLine[] = [];
  let tokens: Token[] = [];
  let unterminated: Token | undefined;
  let inComment = false;
  for (const line of physicalLines(code)) {
    pending.push(line);
    if (inComment) {
      // A comment continued by ` _` swallows this whole line.
      inComment = /(?:^|[ \t])_[ \t]*$/.test(line.text);
    } else {
      const scanner = new LineScanner(line, pending.length === 1).scan();
      tokens = tokens.concat(scanner.tokens);
      unterminated ??= scanner.unterminated;
      inComment = scanner.commentContinues;
      if (scanner.continues) continue;
    }
    if (inComment) continue;
    result.push(buildLogical(pending, tokens, unterminated));
    pending = [];
    tokens = [];
    unterminated = undefined;
  }
  if (pending.length) result.push(buildLogical(pending, tokens, unterminated));
  return result;
}

/** Every token of the code, in order (comments and strings never split into words). */
export function allTokens(lines: readonly LogicalLine[]): Token[] {
  const out: Token[] = [];
  for (const line of lines) {
    if (line.label) out.push(line.label);
    for (const statement of line.statements) out.push(...statement.tokens);
  }
  return out;
}
