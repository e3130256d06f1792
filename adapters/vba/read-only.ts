// Whether a VBA script only reads, for the approval policy's read-only mode: a script it
// calls read-only runs without asking, so it fails closed. A VBA call needs no parentheses,
// so every word a script uses must be known: a keyword of the statements allowed here, a
// variable it declares (Dim, Static, Const, ReDim, a parameter, a Function's own name,
// `Result` in a bare body), a procedure it defines, a label, a name in the list's
// `functions`, or, after a dot, in its `methods`. Assignments only to the script's own
// variables: never to a member (`Range("A1").Value = 1`, `.Value = 1` in a With), never to an
// undeclared name (it may be a global such as `Date`, `Cells` or `ActiveCell`: `Cells = 2`
// writes every cell), never by Let to a variable that may hold an object (a default-member
// write), and by index only into the script's own arrays. Case does not matter.
import type { ReadOnlyRules } from "../types.js";
import { analyse, type Shape } from "./structure.js";
import { type LogicalLine, logicalLines, type Token } from "./tokens.js";

const PRIMITIVE_TYPES = new Set([
  "boolean",
  "byte",
  "currency",
  "date",
  "decimal",
  "double",
  "integer",
  "long",
  "longlong",
  "longptr",
  "single",
  "string",
]);
/** Words allowed inside expressions besides names. */
const EXPRESSION_WORDS = new Set([
  "and",
  "empty",
  "eqv",
  "false",
  "imp",
  "is",
  "like",
  "mod",
  "not",
  "nothing",
  "null",
  "or",
  "step",
  "to",
  "true",
  "typeof",
  "xor",
]);
const OPERATORS = new Set([
  "+",
  "-",
  "*",
  "/",
  "\\",
  "^",
  "&",
  "=",
  "<",
  ">",
  "<=",
  ">=",
  "<>",
  "(",
  ")",
  ",",
  ".",
  ":=",
]);
const DECLARATIONS = new Set(["dim", "static", "const", "redim", "private", "public", "global"]);
const END_TARGETS = new Set(["if", "sub", "function", "select", "with"]);
const EXIT_TARGETS = new Set(["sub", "function", "for", "do"]);
const OPTION_WORDS = new Set([
  "explicit",
  "base",
  "compare",
  "text",
  "binary",
  "database",
  "vbasupport",
  "private",
  "module",
]);

class Refusal extends Error {}

function refuse(why: string): never {
  throw new Refusal(why);
}

/** Lower case without a type-declaration suffix: `Left$` is `left`, `n%` is `n`. */
function key(token: Token): string {
  return token.lower.replace(/[$%&!#@^]$/, "");
}

const MODIFIERS = new Set(["private", "public", "global", "friend", "static"]);

/** The index of the first token after a declaration's modifiers (Private, Public, Static…). */
function afterModifiers(tokens: Token[]): number {
  let i = 0;
  while (isWord(tokens[i]) && MODIFIERS.has(tokens[i]!.lower)) i++;
  return i;
}

function isWord(token: Token | undefined, lower?: string): boolean {
  return token?.kind === "word" && (lower === undefined || token.lower === lower);
}

function isOp(token: Token | undefined, text: string): boolean {
  return token?.kind === "op" && token.text === text;
}

/** Index of the bracket closing the `(` at `open`, or -1. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], "(")) depth++;
    else if (isOp(tokens[i], ")") && --depth === 0) return i;
  }
  return -1;
}

/** Splits at top-level commas. */
function commaParts(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (isOp(token, "(")) depth++;
    else if (isOp(token, ")")) depth--;
    if (depth === 0 && isOp(token, ",")) parts.push([]);
    else parts.at(-1)!.push(token);
  }
  return parts.filter((part) => part.length > 0);
}

interface Variable {
  array: boolean;
  /** May hold an object: a Let assignment to it would write the object's default member. */
  object: boolean;
  /** Assigned whole from something other than `Array()`: its elements may be objects. */
  reassigned: boolean;
}

class Scope {
  readonly variables = new Map<string, Variable>();

  constructor(readonly parent: Scope | null) {}

  find(name: string): Variable | undefined {
    return this.variables.get(name) ?? this.parent?.find(name);
  }

  declare(name: string, variable: Variable): void {
    const known = this.variables.get(name);
    if (!known) this.variables.set(name, variable);
    else {
      known.array ||= variable.array;
      known.object ||= variable.object;
      known.reassigned ||= variable.reassigned;
    }
  }
}

/** One statement to check: a whole statement, or a part of a one-line If. */
interface Piece {
  tokens: Token[];
  scope: Scope;
  /** The condition of an If/ElseIf: an expression, not a statement. */
  condition?: boolean;
}

class VbaReadOnlyCheck {
  private readonly functions: ReadonlySet<string>;
  private readonly methods: ReadonlySet<string>;
  private readonly procedures = new Set<string>();
  private readonly labels = new Set<string>();
  private readonly pieces: Piece[] = [];

  constructor(code: string, rules: ReadOnlyRules) {
    this.functions = new Set(rules.functions.map((name) => name.toLowerCase()));
    this.methods = new Set(rules.methods.map((name) => name.toLowerCase()));
    const lines = logicalLines(code);
    if (lines.some((line) => line.unterminated)) refuse("an unterminated string");
    this.collect(lines, analyse(code, lines));
    for (const piece of this.pieces) this.declarations(piece);
    for (const piece of this.pieces) this.marks(piece);
  }

  run(): boolean {
    for (const piece of this.pieces) {
      if (piece.condition) this.expression(piece.tokens, piece.scope);
      else this.statement(piece.tokens, piece.scope);
    }
    return true;
  }

  /** Scopes (module, one per procedure), procedure names, labels, and the pieces to check. */
  private collect(lines: LogicalLine[], shape: Shape): void {
    const module = new Scope(null);
    const scopes = new Map(shape.procedures.map((p) => [p, new Scope(module)]));
    // A bare body is one procedure whose value is `Result`.
    if (!shape.module) module.declare("result", { array: false, object: false, reassigned: false });
    for (const procedure of shape.procedures) {
      this.procedures.add(procedure.name.toLowerCase());
      if (procedure.kind === "Property") refuse("a Property procedure");
    }
    lines.forEach((line, index) => {
      if (line.label) this.labels.add(key(line.label));
      const procedure =
        shape.bodyOf[index] ?? shape.procedures.find((p) => p.header === index || p.end === index);
      const scope = procedure ? scopes.get(procedure)! : module;
      for (const statement of line.statements) this.split(statement.tokens, scope);
    });
  }

  /** A one-line If is its condition plus the statements after Then and Else. */
  private split(tokens: Token[], scope: Scope): void {
    const first = tokens[0];
    if (isWord(first, "if") || isWord(first, "elseif")) {
      const then = tokens.findIndex((t) => isWord(t, "then"));
      if (then < 0) refuse("If without Then");
      this.pieces.push({ tokens: tokens.slice(1, then), scope, condition: true });
      let part: Token[] = [];
      for (const token of tokens.slice(then + 1)) {
        if (isWord(token, "else")) {
          if (part.length) this.split(part, scope);
          part = [];
        } else part.push(token);
      }
      if (part.length) this.split(part, scope);
      return;
    }
    if (isWord(first, "else") && tokens.length > 1) {
      this.split(tokens.slice(1), scope);
      return;
    }
    this.pieces.push({ tokens, scope });
  }

  /** First pass: what each scope declares (VBA declarations hold for the whole procedure). */
  private declarations({ tokens, scope, condition }: Piece): void {
    if (condition) return;
    const i = afterModifiers(tokens);
    const head = tokens[i];
    if (isWord(head, "sub") || isWord(head, "function")) this.header(tokens, i, scope);
    else if (i > 0 || isWord(head, "dim") || isWord(head, "const") || isWord(head, "redim"))
      this.declare(tokens, scope);
  }

  /** Second pass: variables that may hold objects (Set, For Each) or whole arrays assigned. */
  private marks({ tokens, scope, condition }: Piece): void {
    if (condition) return;
    const at = isWord(tokens[0], "let") ? 1 : 0;
    const head = tokens[at];
    if (isWord(head, "set") && isWord(tokens[1])) {
      const variable = scope.find(key(tokens[1]!));
      if (variable) variable.object = true;
    } else if (isWord(head, "for") && isWord(tokens[1], "each") && isWord(tokens[2])) {
      const variable = scope.find(key(tokens[2]!));
      if (variable) variable.object = true;
    } else if (isWord(head) && isOp(tokens[at + 1], "=")) {
      const variable = scope.find(key(head!));
      const value = tokens.slice(at + 2);
      const emptyArray =
        value.length === 3 && isWord(value[0], "array") && isOp(value[1], "(") && isOp(value[2], ")");
      if (variable?.array && !emptyArray) variable.reassigned = true;
    }
  }

  /** `Function Name(params) As T` / `Sub Name(params)`: the parameters and the return variable. */
  private header(tokens: Token[], at: number, scope: Scope): void {
    const name = tokens[at + 1];
    if (!isWord(name)) refuse("a procedure without a name");
    const open = at + 2;
    const close = isOp(tokens[open], "(") ? closing(tokens, open) : open - 1;
    if (close < 0) refuse("an unclosed parameter list");
    for (const part of commaParts(tokens.slice(open + 1, close))) {
      let i = 0;
      while (isWord(part[i]) && ["optional", "byval", "byref", "paramarray"].includes(part[i]!.lower)) i++;
      if (!isWord(part[i])) refuse("a parameter without a name");
      // A parameter may be given an object or an array of them: only scalars of a value type are writable.
      const type = this.typeAfter(part, i + 1);
      scope.declare(key(part[i]!), {
        array: false,
        object: !PRIMITIVE_TYPES.has(type ?? ""),
        reassigned: true,
      });
    }
    if (tokens[at]!.lower === "function") {
      const type = this.typeAfter(tokens, close + 1);
      scope.declare(key(name!), {
        array: false,
        object: type !== undefined && !PRIMITIVE_TYPES.has(type) && type !== "variant",
        reassigned: false,
      });
    }
  }

  /** The type named by `As Type` at `at` (lower case; dotted types whole), or undefined. */
  private typeAfter(tokens: Token[], at: number): string | undefined {
    const i = isOp(tokens[at], "(") && isOp(tokens[at + 1], ")") ? at + 2 : at;
    if (!isWord(tokens[i], "as")) return undefined;
    if (isWord(tokens[i + 1], "new")) refuse("As New");
    const parts: string[] = [];
    for (let j = i + 1; isWord(tokens[j]); j += 2) {
      parts.push(tokens[j]!.lower);
      if (!isOp(tokens[j + 1], ".")) break;
    }
    return parts.join(".");
  }

  /** `Dim a As Long, b() As Variant, c(1 To 3)` / `ReDim d(n)` / `Const e = 1`. */
  private declare(tokens: Token[], scope: Scope): void {
    let i = 0;
    while (isWord(tokens[i]) && DECLARATIONS.has(tokens[i]!.lower)) i++;
    if (isWord(tokens[i], "preserve")) i++;
    const redim = tokens.some((t, k) => k < i && t.lower === "redim");
    for (const part of commaParts(tokens.slice(i))) {
      if (!isWord(part[0]) || part[0]!.lower === "withevents") refuse("a declaration it cannot read");
      const array = isOp(part[1], "(") || redim;
      const afterBounds = isOp(part[1], "(") ? closing(part, 1) + 1 : 1;
      const type = this.typeAfter(part, afterBounds);
      const object = type !== undefined && !PRIMITIVE_TYPES.has(type) && type !== "variant";
      scope.declare(key(part[0]!), { array, object, reassigned: false });
    }
  }

  private isVariable(token: Token, scope: Scope): boolean {
    return scope.find(key(token)) !== undefined;
  }

  /** Second pass: one statement. */
  private statement(tokens: Token[], scope: Scope): void {
    const first = tokens[0]!;
    if (first.kind !== "word") {
      if (isOp(first, "."))
        this.assignmentOrCall(tokens, scope); // a member of a With's object
      else refuse("a statement it cannot read");
      return;
    }
    const i = afterModifiers(tokens);
    const head = tokens[i];
    if (isWord(head, "sub") || isWord(head, "function")) {
      this.checkHeader(tokens, i, scope);
      return;
    }
    if (i > 0 || DECLARATIONS.has(head?.lower ?? "")) {
      this.checkDeclaration(tokens, scope);
      return;
    }
    const rest = tokens.slice(1);
    switch (first.lower) {
      case "option":
        if (!rest.every((t) => t.kind === "number" || (isWord(t) && OPTION_WORDS.has(t.lower))))
          refuse("Option");
        return;
      case "end":
        if (tokens.length !== 2 || !END_TARGETS.has(tokens[1]!.lower)) refuse("End (it stops everything)");
        return;
      case "endif":
      case "wend":
        if (rest.length) refuse(first.text);
        return;
      case "else":
        if (rest.length) refuse("Else with a statement");
        return;
      case "exit":
        if (tokens.length !== 2 || !EXIT_TARGETS.has(tokens[1]!.lower)) refuse("Exit");
        return;
      case "for":
        this.checkFor(tokens, scope);
        return;
      case "next":
        for (const t of rest) if (!isOp(t, ",") && !(isWord(t) && this.isVariable(t, scope))) refuse("Next");
        return;
      case "do":
      case "loop":
        if (rest.length && !isWord(rest[0], "while") && !isWord(rest[0], "until")) refuse(first.text);
        this.expression(rest.slice(1), scope);
        return;
      case "while":
      case "with":
        this.expression(rest, scope);
        return;
      case "select":
        if (!isWord(rest[0], "case")) refuse("Select");
        this.expression(rest.slice(1), scope);
        return;
      case "case":
        this.expression(
          rest.filter((t) => !isWord(t, "else")),
          scope,
        );
        return;
      case "on":
        if (!isWord(rest[0], "error")) refuse("On … GoTo");
        if (isWord(rest[1], "resume") && isWord(rest[2], "next") && rest.length === 3) return;
        if (isWord(rest[1], "goto") && rest.length >= 3) {
          this.checkJump(rest.slice(2));
          return;
        }
        refuse("On Error");
        return;
      case "resume":
        if (rest.length === 0 || (rest.length === 1 && isWord(rest[0], "next"))) return;
        this.checkJump(rest);
        return;
      case "goto":
        this.checkJump(rest);
        return;
      case "set":
        this.assignmentOrCall(rest, scope, true);
        return;
      case "let":
        this.assignmentOrCall(rest, scope);
        return;
    }
    this.assignmentOrCall(tokens, scope);
  }

  /** A GoTo/Resume target: a label of this script, 0, or -1. */
  private checkJump(target: Token[]): void {
    const text = target.map((t) => t.text).join("");
    if (text === "0" || text === "-1") return;
    if (
      target.length === 1 &&
      (target[0]!.kind === "word" || target[0]!.kind === "number") &&
      this.labels.has(key(target[0]!))
    )
      return;
    refuse("a jump to something that is not a label");
  }

  private checkHeader(tokens: Token[], at: number, scope: Scope): void {
    const open = at + 2;
    if (!isOp(tokens[open], "(")) return;
    for (const part of commaParts(tokens.slice(open + 1, closing(tokens, open)))) {
      const equals = part.findIndex((t) => isOp(t, "="));
      if (equals >= 0) this.expression(part.slice(equals + 1), scope); // an Optional parameter's default
    }
  }

  private checkDeclaration(tokens: Token[], scope: Scope): void {
    let i = 0;
    while (isWord(tokens[i]) && DECLARATIONS.has(tokens[i]!.lower)) i++;
    if (isWord(tokens[i], "preserve")) i++;
    for (const part of commaParts(tokens.slice(i))) {
      if (isOp(part[1], "(")) this.expression(part.slice(2, closing(part, 1)), scope); // bounds
      const equals = part.findIndex((t) => isOp(t, "="));
      if (equals >= 0) this.expression(part.slice(equals + 1), scope); // a Const's value
    }
  }

  /** `For i = a To b [Step c]` (i a value variable) or `For Each v In collection`. */
  private checkFor(tokens: Token[], scope: Scope): void {
    if (isWord(tokens[1], "each")) {
      if (!isWord(tokens[2]) || !this.isVariable(tokens[2]!, scope) || !isWord(tokens[3], "in"))
        refuse("For Each");
      this.expression(tokens.slice(4), scope);
      return;
    }
    if (!isWord(tokens[1]) || !isOp(tokens[2], "=")) refuse("For");
    this.writable(tokens[1]!, scope);
    this.expression(tokens.slice(3), scope);
  }

  /** A Let assignment to a plain variable: declared, and not one that may hold an object. */
  private writable(target: Token, scope: Scope): void {
    const variable = scope.find(key(target));
    if (!variable || variable.object) refuse(`an assignment to ${target.text}`);
  }

  /** `target = value`, or a call statement (`Log "x", n`, `obj.Method arg`). */
  private assignmentOrCall(tokens: Token[], scope: Scope, set = false): void {
    const end = this.targetEnd(tokens);
    if (!isOp(tokens[end], "=")) {
      if (set) refuse("Set without =");
      const head = tokens[0]!;
      // A call statement: its callee is an allowed function, the script's procedure, or a member.
      if (isWord(head) && !this.functions.has(key(head)) && !this.procedures.has(key(head))) {
        refuse(`a call of ${head.text}`);
      }
      this.expression(tokens, scope);
      return;
    }
    const target = tokens.slice(0, end);
    const head = target[0]!;
    if (!isWord(head)) refuse("an assignment to a member");
    if (target.length === 1) {
      if (set) {
        if (!this.isVariable(head, scope)) refuse(`Set ${head.text}`);
      } else this.writable(head, scope);
    } else if (!set && isOp(target[1], "(") && closing(target, 1) === target.length - 1) {
      const variable = scope.find(key(head));
      if (!variable?.array || variable.object || variable.reassigned)
        refuse(`an assignment through ${head.text}(…)`);
      this.expression(target.slice(2, -1), scope);
    } else {
      refuse("an assignment to a member or property");
    }
    this.expression(tokens.slice(end + 1), scope);
  }

  /** End of the l-expression at the start: a name or `.member`, then `(…)` and `.member` parts. */
  private targetEnd(tokens: Token[]): number {
    let i = isOp(tokens[0], ".") ? 2 : 1;
    for (;;) {
      if (isOp(tokens[i], "(")) {
        const close = closing(tokens, i);
        if (close < 0) return tokens.length;
        i = close + 1;
      } else if (isOp(tokens[i], ".") && isWord(tokens[i + 1])) i += 2;
      else return i;
    }
  }

  private expression(tokens: Token[], scope: Scope): void {
    tokens.forEach((token, i) => {
      if (token.kind === "word") this.word(tokens, i, scope);
      else if (token.kind === "op") {
        if (!OPERATORS.has(token.text)) refuse(`the operator ${token.text}`);
      } else if (token.kind !== "string" && token.kind !== "number" && token.kind !== "date") {
        refuse(token.text); // `[A1]` evaluates a formula; directives
      }
    });
  }

  private word(tokens: Token[], i: number, scope: Scope): void {
    const token = tokens[i]!;
    const name = key(token);
    if (isOp(tokens[i - 1], ".")) {
      if (!this.methods.has(name)) refuse(`the member ${token.text}`);
      return;
    }
    if (isOp(tokens[i + 1], ":=")) return; // a named argument
    if (EXPRESSION_WORDS.has(token.lower)) return;
    if (this.isVariable(token, scope) || this.procedures.has(name) || this.functions.has(name)) return;
    refuse(`the name ${token.text}`);
  }
}

/** True only when everything the script does is a read `rules` allows. */
export function isReadOnlyVba(code: string, rules: ReadOnlyRules): boolean {
  try {
    return new VbaReadOnlyCheck(code, rules).run();
  } catch (error) {
    if (error instanceof Refusal) return false;
    throw error;
  }
}
