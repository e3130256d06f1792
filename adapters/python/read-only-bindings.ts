// What a Python script binds, and where, for the read-only check. A name is trusted as a
// function the script defines, a name imported from an allowed module, a fresh local
// container or a plain value only when every binding it has in its scope is of that kind.
// Scopes matter because a name the script binds may still stand for something else when
// used: a module-level name is the prelude's (or a builtin) until its binding runs, so there
// the binding must be unconditional (top level, not under if/for/try) and come first. Each
// `def` opens a scope; the tokenizer drops indentation, so scopes are found from the source
// lines. Lambdas and comprehensions bind in the enclosing scope here (never trusted kinds).
import { closingBracket } from "./risk-calls.js";
import { isName, isOp } from "./risk-imports.js";
import type { Token } from "./tokens.js";

export type BindingKind = "def" | "import" | "fresh" | "value" | "augmented" | "other";

export interface Binding {
  kind: BindingKind;
  /** Index of the binding name in the script's tokens. */
  position: number;
  /** Runs whenever the script does: a top-level statement, not under a compound statement. */
  unconditional: boolean;
  /** For `from m import member as name`. */
  member?: string;
}

export class Scope {
  readonly bindings = new Map<string, Binding[]>();

  /** `def` token index for a function, -1 for the module. */
  constructor(
    readonly parent: Scope | null,
    readonly defPosition: number,
  ) {}

  bind(name: string, binding: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(binding);
    else this.bindings.set(name, [binding]);
  }
}

/** Where a name is used: the scope it is resolved from and the script position it runs at. */
export interface Place {
  scope: Scope;
  position: number;
}

const AUGMENTED = new Set(["+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", ">>=", "<<="]);
const OPENING = new Set(["(", "[", "{"]);
const CLOSING = new Set([")", "]", "}"]);
/** Simple statements that bind nothing (their expressions are checked like any other). */
const NO_TARGETS = new Set([
  "return",
  "raise",
  "assert",
  "pass",
  "break",
  "continue",
  "yield",
  "del",
  "global",
  "nonlocal",
]);
const COMPOUND = new Set(["if", "elif", "else", "while", "for", "try", "except", "finally"]);
export const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);

function isKeywordName(token: Token | undefined): boolean {
  return token?.kind === "name" && PYTHON_KEYWORDS.has(token.text);
}

/** Tabs to the next multiple of 8, as Python counts them. */
function indentWidth(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === " ") width++;
    else if (ch === "\t") width = (Math.floor(width / 8) + 1) * 8;
    else if (ch === "\f") width = 0;
    else break;
  }
  return width;
}

/**
 * A target list that only binds names: `a`, `a, b`, `(a, [b, *c])`. Returns the name tokens'
 * indexes, or null when it writes through something (`a.b`, `a[0]`, a call).
 */
export function nameTargets(tokens: Token[], from: number, to: number): number[] | null {
  const names: number[] = [];
  for (let i = from; i < to; i++) {
    const token = tokens[i]!;
    if (token.kind === "name" && !isKeywordName(token)) names.push(i);
    else if (isOp(token, "[")) {
      const before = tokens[i - 1];
      const display = i === from || (before?.kind === "op" && ["(", "[", ",", "*"].includes(before.text));
      if (!display) return null;
    } else if (!(token.kind === "op" && ["(", ")", "]", ",", "*"].includes(token.text))) return null;
  }
  return names.length > 0 ? names : null;
}

/** Why a script was found to write or to be unreadable; the check only needs to know it did. */
export class Refusal extends Error {}

function refuse(why: string): never {
  throw new Refusal(why);
}

export interface ImportRules {
  imports: ReadonlySet<string>;
  /** Whether a name may appear at all (underscores, refused names). */
  nameAllowed(name: string): boolean;
}

/** A write through a target that is allowed only when its name is a fresh local container. */
export interface PendingWrite {
  name: string;
  place: Place;
  /** `x += …` on a plain name: it must hold a value or a fresh container. */
  augmented: boolean;
}

/** The script's scopes and bindings, from its main tokens. */
export class ScriptBindings {
  readonly module = new Scope(null, -1);
  /** Scope of each main token. */
  private readonly scopes: Scope[] = [];
  /** Token indexes inside import statements (their names are checked here). */
  readonly importTokens = new Set<number>();
  readonly pendingWrites: PendingWrite[] = [];

  constructor(
    private readonly code: string,
    private readonly tokens: Token[],
    private readonly rules: ImportRules,
  ) {
    this.buildScopes();
    for (const statement of this.statements()) this.statement(statement);
    this.expressionBindings(
      tokens,
      (i) => this.scopes[i] ?? this.module,
      (i) => i,
    );
  }

  scopeAt(position: number): Scope {
    return this.scopes[position] ?? this.module;
  }

  /** The scope whose bindings a use of `name` in `scope` reads, and those bindings. */
  resolve(name: string, scope: Scope): { scope: Scope; bindings: Binding[] } {
    let current = scope;
    while (current.parent !== null) {
      const own = current.bindings.get(name);
      if (own) return { scope: current, bindings: own };
      current = current.parent;
    }
    return { scope: current, bindings: current.bindings.get(name) ?? [] };
  }

  /**
   * True when `name`, used at `place`, surely holds what bindings of `kinds` give it: every
   * binding it has there is of those kinds and, at module level, one ran before this use.
   */
  trusted(
    name: string,
    place: Place,
    kinds: ReadonlySet<BindingKind>,
    accept?: (b: Binding) => boolean,
  ): boolean {
    const { scope, bindings } = this.resolve(name, place.scope);
    if (!bindings.every((b) => kinds.has(b.kind) && (accept?.(b) ?? true))) return false;
    // `augmented` rebinds what is already there: something else must have bound it first.
    const anchors = bindings.filter((b) => b.kind !== "augmented");
    if (anchors.length === 0) return false;
    if (scope.parent !== null) return true; // a function's local: unbound until bound, never another object
    if (!anchors.every((b) => b.unconditional)) return false;
    return Math.min(...anchors.map((b) => b.position)) < this.runsAt(place);
  }

  /** Whether `name` is bound anywhere the use at `scope` can see. */
  isBound(name: string, scope: Scope): boolean {
    return this.resolve(name, scope).bindings.length > 0;
  }

  /** The earliest point a use can run: a function body runs after its outermost `def`. */
  private runsAt(place: Place): number {
    let scope = place.scope;
    if (scope.parent === null) return place.position;
    while (scope.parent!.parent !== null) scope = scope.parent!;
    return scope.defPosition;
  }

  /** Logical lines with their indentation, then one scope per `def` by indentation. */
  private buildScopes(): void {
    const physical = this.code.split(/\r\n|\r|\n/);
    const open: { indent: number; scope: Scope }[] = [];
    for (const [start, end] of this.lines()) {
      const indent = indentWidth(physical[this.tokens[start]!.line - 1] ?? "");
      while (open.length > 0 && open.at(-1)!.indent >= indent) open.pop();
      const scope = open.at(-1)?.scope ?? this.module;
      let from = start;
      if (isName(this.tokens[start], "def")) {
        const inner = new Scope(scope, start);
        // `def` and its name belong to the enclosing scope; parameters and body to its own.
        this.scopes[start] = scope;
        this.scopes[start + 1] = scope;
        for (let i = start + 2; i < end; i++) this.scopes[i] = inner;
        open.push({ indent, scope: inner });
        from = end;
      }
      for (let i = from; i < end; i++) this.scopes[i] = scope;
    }
  }

  /** [start, end) of each logical line (the tokenizer ends one with a newline token). */
  private *lines(): Generator<[number, number]> {
    let start = 0;
    for (let i = 0; i <= this.tokens.length; i++) {
      if (i === this.tokens.length || this.tokens[i]!.kind === "newline") {
        if (i > start) yield [start, i];
        start = i + 1;
      }
    }
  }

  /** Statements as [start, end, unconditional]: lines split at `;`. */
  private *statements(): Generator<[number, number, boolean]> {
    const physical = this.code.split(/\r\n|\r|\n/);
    for (const [start, end] of this.lines()) {
      const first = this.tokens[start]!;
      const topLevel =
        indentWidth(physical[first.line - 1] ?? "") === 0 &&
        !(first.kind === "name" && COMPOUND.has(first.text));
      let from = start;
      for (let i = start; i <= end; i++) {
        if (i === end || isOp(this.tokens[i], ";")) {
          if (i > from) yield [from, i, topLevel];
          from = i + 1;
        }
      }
    }
  }

  private bindAt(index: number, kind: BindingKind, unconditional: boolean, member?: string): void {
    const name = this.tokens[index]!.text;
    const binding: Binding = { kind, position: index, unconditional };
    if (member !== undefined) binding.member = member;
    this.scopeAt(index).bind(name, binding);
  }

  private statement([start, end, unconditional]: [number, number, boolean]): void {
    const tokens = this.tokens;
    let i = start;
    // Compound headers: what follows their colon on the same line is a statement too.
    for (;;) {
      const head = tokens[i];
      if (isOp(head, "@")) refuse("a decorator");
      if (head?.kind !== "name") break;
      if (head.text === "def") {
        if (!isName(tokens[i + 1]) || !isOp(tokens[i + 2], "(")) refuse("a def without a name");
        this.bindAt(i + 1, "def", unconditional);
        this.parameters(i + 2, closingBracket(tokens, i + 2));
      } else if (!COMPOUND.has(head.text)) {
        break;
      }
      i = headerEnd(tokens, i, end);
      if (i >= end) return;
    }
    const first = tokens[i]!;
    if (first.kind === "name" && NO_TARGETS.has(first.text)) return;
    if (first.kind === "name" && (first.text === "import" || first.text === "from")) {
      this.importStatement(i, end, unconditional);
      return;
    }
    // `match x:` / `case …:` / `type X = …`: patterns and aliases bind names; not worth reading.
    if (first.kind === "name" && ["match", "case", "type"].includes(first.text)) {
      const next = tokens[i + 1];
      if (next && !isOp(next, "=") && !AUGMENTED.has(next.text) && !isOp(next, ".")) refuse(first.text);
    }
    this.assignment(i, end, unconditional);
  }

  /** Names in a def's parenthesised parameter list: each right after `(`, `,`, `*` or `**`. */
  private parameters(open: number, close: number): void {
    let depth = 0;
    for (let i = open + 1; i < close; i++) {
      const token = this.tokens[i]!;
      if (token.kind === "op" && OPENING.has(token.text)) depth++;
      else if (token.kind === "op" && CLOSING.has(token.text)) depth--;
      else if (depth === 0 && token.kind === "name") {
        const before = this.tokens[i - 1]!;
        if (before.kind === "op" && ["(", ",", "*", "**"].includes(before.text))
          this.bindAt(i, "other", false);
      }
    }
  }

  /** `import a.b [as c], …` and `from a.b import c [as d], …`: allowed modules only, never `*`. */
  private importStatement(start: number, end: number, unconditional: boolean): void {
    const tokens = this.tokens;
    for (let i = start; i < end; i++) this.importTokens.add(i);
    const dotted = (at: number): { name: string; end: number } => {
      if (!isName(tokens[at])) refuse("an import without a module");
      const parts = [tokens[at]!.text];
      let i = at + 1;
      while (isOp(tokens[i], ".") && isName(tokens[i + 1])) {
        parts.push(tokens[i + 1]!.text);
        i += 2;
      }
      for (const part of parts) if (!this.rules.nameAllowed(part)) refuse(`import of ${parts.join(".")}`);
      const name = parts.join(".");
      if (!this.rules.imports.has(name)) refuse(`import of ${name}`);
      return { name, end: i };
    };
    /** `name [as alias]` at `at`: binds the alias (or the name); returns the index after it. */
    const alias = (at: number, kind: BindingKind, member?: string): number => {
      if (isName(tokens[at], "as")) {
        if (!isName(tokens[at + 1])) refuse("import … as without a name");
        this.bindAt(at + 1, kind, unconditional, member);
        return at + 2;
      }
      return at;
    };
    let i = start + 1;
    if (tokens[start]!.text === "import") {
      for (;;) {
        const module = dotted(i);
        const after = alias(module.end, "other");
        // `import a.b` binds `a`.
        if (after === module.end) this.bindAt(i, "other", unconditional);
        i = after;
        if (!isOp(tokens[i], ",")) break;
        i++;
      }
    } else {
      const module = dotted(i);
      i = module.end;
      if (!isName(tokens[i], "import")) refuse("a from statement without import");
      i++;
      const parenthesised = isOp(tokens[i], "(");
      if (parenthesised) i++;
      for (;;) {
        const member = tokens[i];
        if (!isName(member) || !this.rules.nameAllowed(member!.text)) refuse(`from ${module.name} import …`);
        const after = alias(i + 1, "import", member!.text);
        if (after === i + 1) this.bindAt(i, "import", unconditional, member!.text);
        i = after;
        if (!isOp(tokens[i], ",")) break;
        i++;
        if (parenthesised && isOp(tokens[i], ")")) break; // trailing comma
      }
      if (parenthesised) {
        if (!isOp(tokens[i], ")")) refuse("an unclosed import list");
        i++;
      }
    }
    if (i !== end) refuse("more after an import");
  }

  /** Assignments, augmented assignments and annotations in a simple statement. */
  private assignment(start: number, end: number, unconditional: boolean): void {
    const tokens = this.tokens;
    const equals: number[] = [];
    let augmented = -1;
    let depth = 0;
    for (let i = start; i < end; i++) {
      const token = tokens[i]!;
      if (token.kind === "op" && OPENING.has(token.text)) depth++;
      else if (token.kind === "op" && CLOSING.has(token.text)) depth--;
      else if (depth > 0) continue;
      // `=` after a lambda's parameters is a default value, not an assignment.
      else if (isName(token, "lambda")) break;
      else if (isOp(token, "=")) equals.push(i);
      else if (token.kind === "op" && AUGMENTED.has(token.text)) {
        augmented = i;
        break;
      }
    }
    if (augmented >= 0) {
      this.target(start, annotationEnd(tokens, start, augmented), undefined, unconditional, true);
      return;
    }
    if (equals.length === 0) {
      const colon = annotationEnd(tokens, start, end);
      if (colon < end) this.target(start, colon, undefined, unconditional, false); // `x: int`
      return;
    }
    const value: [number, number] = [equals.at(-1)! + 1, end];
    let from = start;
    for (const at of equals) {
      this.target(from, annotationEnd(tokens, from, at), value, unconditional, false);
      from = at + 1;
    }
  }

  private target(
    from: number,
    to: number,
    value: [number, number] | undefined,
    unconditional: boolean,
    augmented: boolean,
  ): void {
    const tokens = this.tokens;
    const place = { scope: this.scopeAt(from), position: from };
    if (to - from === 1 && tokens[from]!.kind === "name" && !isKeywordName(tokens[from])) {
      if (augmented) {
        this.bindAt(from, "augmented", unconditional);
        this.pendingWrites.push({ name: tokens[from]!.text, place, augmented: true });
      } else {
        this.bindAt(from, value ? freshness(tokens, value[0], value[1]) : "other", unconditional);
      }
      return;
    }
    // `name[…] = …`: only into the script's own list or dict (checked once all bindings are known).
    if (isName(tokens[from]) && isOp(tokens[from + 1], "[") && closingBracket(tokens, from + 1) === to - 1) {
      this.pendingWrites.push({ name: tokens[from]!.text, place, augmented: false });
      return;
    }
    if (augmented) refuse("an augmented assignment through an attribute or item");
    const names = nameTargets(tokens, from, to);
    if (!names) refuse("an assignment to an attribute or item");
    for (const i of names) this.bindAt(i, "other", unconditional);
  }

  /**
   * Bindings any expression can make, in statements and f-string fields alike: loop and
   * comprehension targets, lambda parameters, `as` names, `:=`.
   */
  expressionBindings(
    tokens: Token[],
    scopeOf: (i: number) => Scope,
    positionOf: (i: number) => number,
  ): void {
    const bind = (i: number) =>
      scopeOf(i).bind(tokens[i]!.text, { kind: "other", position: positionOf(i), unconditional: false });
    for (let i = 0; i < tokens.length; i++) {
      if (tokens === this.tokens && this.importTokens.has(i)) continue;
      const token = tokens[i]!;
      if (isName(token, "for") && !isOp(tokens[i - 1], ".")) {
        const end = sameDepth(tokens, i + 1, (t) => isName(t, "in"));
        const names = end < 0 ? null : nameTargets(tokens, i + 1, end);
        if (!names) refuse("a loop target that is not a plain name");
        for (const n of names) bind(n);
      } else if (isName(token, "lambda")) {
        const end = sameDepth(tokens, i + 1, (t) => isOp(t, ":"));
        if (end < 0) refuse("a lambda without a body");
        let depth = 0;
        for (let j = i + 1; j < end; j++) {
          const t = tokens[j]!;
          if (t.kind === "op" && OPENING.has(t.text)) depth++;
          else if (t.kind === "op" && CLOSING.has(t.text)) depth--;
          else if (depth === 0 && t.kind === "name") {
            const before = tokens[j - 1]!;
            if (j === i + 1 || (before.kind === "op" && [",", "*", "**"].includes(before.text))) bind(j);
          }
        }
      } else if (isName(token, "as")) {
        if (!isName(tokens[i + 1])) refuse("`as` without a plain name");
        bind(i + 1);
      } else if (isOp(token, ":=")) {
        if (!isName(tokens[i - 1])) refuse("`:=` without a plain name");
        bind(i - 1);
      }
    }
  }
}

/** Index of the first token at the starting depth that matches, or -1. */
function sameDepth(tokens: Token[], from: number, match: (t: Token) => boolean): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === "newline") return -1;
    if (depth === 0 && match(t)) return i;
    if (t.kind === "op" && OPENING.has(t.text)) depth++;
    else if (t.kind === "op" && CLOSING.has(t.text)) {
      if (depth === 0) return -1;
      depth--;
    }
  }
  return -1;
}

/** Index just after a compound header's colon (lambdas in the header have their own colons). */
function headerEnd(tokens: Token[], start: number, end: number): number {
  let depth = 0;
  let lambdas = 0;
  for (let i = start; i < end; i++) {
    const token = tokens[i]!;
    if (token.kind === "op" && OPENING.has(token.text)) depth++;
    else if (token.kind === "op" && CLOSING.has(token.text)) depth--;
    else if (depth === 0 && isName(token, "lambda")) lambdas++;
    else if (depth === 0 && isOp(token, ":")) {
      if (lambdas === 0) return i + 1;
      lambdas--;
    }
  }
  refuse("a compound statement without its colon");
}

/** The end of a target before its annotation (`x: int = 1`): the first top-level colon. */
function annotationEnd(tokens: Token[], from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const token = tokens[i]!;
    if (token.kind === "op" && OPENING.has(token.text)) depth++;
    else if (token.kind === "op" && CLOSING.has(token.text)) depth--;
    else if (depth === 0 && isName(token, "lambda")) return to;
    else if (depth === 0 && isOp(token, ":")) return i;
  }
  return to;
}

/** `[]`, `{…}`, `list(…)`, … make a new container; a literal is a plain value. */
function freshness(tokens: Token[], from: number, to: number): BindingKind {
  const first = tokens[from];
  if (!first) return "other";
  const literal = (t: Token) =>
    t.kind === "number" ||
    (t.kind === "string" && !/[ft]/.test(t.prefix ?? "")) ||
    isName(t, "True") ||
    isName(t, "False") ||
    isName(t, "None");
  if (to - from === 1 && literal(first)) return "value";
  if (to - from === 2 && isOp(first, "-") && tokens[from + 1]!.kind === "number") return "value";
  if ((isOp(first, "[") || isOp(first, "{")) && closingBracket(tokens, from) === to - 1) return "fresh";
  if (
    first.kind === "name" &&
    ["list", "dict", "set", "sorted"].includes(first.text) &&
    isOp(tokens[from + 1], "(") &&
    closingBracket(tokens, from + 1) === to - 1
  ) {
    return "fresh";
  }
  return "other";
}
