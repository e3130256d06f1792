// Whether a Python script only reads, for the approval policy's read-only mode: a script it
// calls read-only runs without asking, so it fails closed. Every call must be one the app's
// list allows (a builtin by its bare name, a method by its name after a dot, a function the
// script defines, a name imported from an allowed module), with keyword arguments from the
// list; imports only of listed modules; no writes through attributes or items (except into
// the script's own fresh lists and dicts); nothing that reaches code by name (exec, getattr
// with a computed name, dunder attributes). f-string fields are code and are read as such.
import type { ReadOnlyRules } from "../types.js";
import { fieldExpressions } from "./fstring-fields.js";
import {
  type BindingKind,
  type Place,
  PYTHON_KEYWORDS,
  Refusal,
  ScriptBindings,
} from "./read-only-bindings.js";
import { callArguments, literalText } from "./risk-calls.js";
import { isName, isOp } from "./risk-imports.js";
import { type Token, tokenize } from "./tokens.js";

/** Builtins that reach code or files by name: never read-only, whatever a list says. */
const NEVER = new Set([
  "exec",
  "eval",
  "compile",
  "open",
  "setattr",
  "delattr",
  "vars",
  "globals",
  "locals",
  "breakpoint",
  "input",
  "help",
  "exit",
  "quit",
]);
/** Statements that change bindings outside the script's own scope, or run code later. */
const REFUSED_KEYWORDS = new Set(["del", "global", "nonlocal", "class", "with", "async", "await"]);
/**
 * Modules reachable as attributes of allowed ones (`json.scanner.re.enum.bltns`,
 * `statistics.sys`): naming them is refused, so an allowed method name (`get`, `loads`) is
 * never called on `sys.modules`, `requests` or `pickle`.
 */
const MODULE_HOPS = [
  "bltns",
  "builtins",
  "code",
  "ctypes",
  "http",
  "httpx",
  "importlib",
  "io",
  "marshal",
  "modules",
  "multiprocessing",
  "nt",
  "os",
  "pathlib",
  "pickle",
  "posix",
  "pyuno",
  "requests",
  "runpy",
  "shelve",
  "shutil",
  "signal",
  "socket",
  "subprocess",
  "sys",
  "threading",
  "urllib",
  "urllib3",
  "webbrowser",
];
/** Methods on the script's own fresh lists, dicts and sets (they change nothing else). */
const CONTAINER_METHODS = new Set([
  "append",
  "extend",
  "insert",
  "pop",
  "remove",
  "clear",
  "update",
  "setdefault",
  "add",
  "discard",
  "sort",
  "reverse",
  "popitem",
]);
/** Builtins whose first argument is a callable they call: allowed only with a lambda there. */
const CALL_FIRST_ARGUMENT = new Set(["map", "filter"]);
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

const DEF = new Set<BindingKind>(["def"]);
const IMPORTED = new Set<BindingKind>(["import"]);
const FRESH = new Set<BindingKind>(["fresh"]);
const VALUE = new Set<BindingKind>(["fresh", "value", "augmented"]);

interface Segment {
  tokens: Token[];
  /** The script's own tokens, or an f-string field's (which sit at their string's position). */
  main: boolean;
  place(i: number): Place;
}

class ReadOnlyCheck {
  private readonly functions: ReadonlySet<string>;
  private readonly methods: ReadonlySet<string>;
  private readonly keywords: ReadonlySet<string>;
  private readonly refused: ReadonlySet<string>;
  private readonly bindings: ScriptBindings;
  private readonly segments: Segment[] = [];

  constructor(code: string, rules: ReadOnlyRules) {
    this.functions = new Set(rules.functions);
    this.methods = new Set(rules.methods);
    this.keywords = new Set(rules.keywords ?? []);
    this.refused = new Set([...(rules.refusedNames ?? []), ...MODULE_HOPS]);
    const tokens = tokenize(code);
    this.bindings = new ScriptBindings(code, tokens, {
      imports: new Set(rules.imports ?? []),
      nameAllowed: (name) => this.nameAllowed(name),
    });
    const main: Segment = {
      tokens,
      main: true,
      place: (i) => ({ scope: this.bindings.scopeAt(i), position: i }),
    };
    this.addSegment(main);
  }

  /** A segment and the f-string fields inside it, recursively (their walrus and loop bindings too). */
  private addSegment(segment: Segment): void {
    this.segments.push(segment);
    segment.tokens.forEach((token, i) => {
      if (token.kind !== "string" || !/[ft]/.test(token.prefix ?? "")) return;
      const host = segment.place(i);
      for (const field of fieldExpressions(token.body ?? "")) {
        // What the field reader cannot delimit for sure (nested strings it might misread,
        // comments, escapes) is refused rather than half read.
        if (/\\|#|'''|"""/.test(field.code)) throw new Refusal("an f-string field it cannot read");
        const tokens = tokenize(field.code);
        if (tokens.some((t) => t.kind === "string" && /[ft]/.test(t.prefix ?? ""))) {
          throw new Refusal("an f-string inside an f-string field");
        }
        const nested: Segment = { tokens, main: false, place: () => host };
        this.bindings.expressionBindings(
          tokens,
          () => host.scope,
          () => host.position,
        );
        this.addSegment(nested);
      }
    });
  }

  run(): boolean {
    for (const write of this.bindings.pendingWrites) {
      const kinds = write.augmented ? VALUE : FRESH;
      if (!this.bindings.trusted(write.name, write.place, kinds)) return false;
    }
    return this.segments.every((segment) => this.segmentIsRead(segment));
  }

  private nameAllowed(name: string): boolean {
    return !name.startsWith("_") && !this.refused.has(name) && !NEVER.has(name);
  }

  private segmentIsRead(segment: Segment): boolean {
    const { tokens } = segment;
    for (let i = 0; i < tokens.length; i++) {
      if (segment.main && this.bindings.importTokens.has(i)) continue;
      const token = tokens[i]!;
      if (token.kind === "name" && !this.nameIsRead(segment, i)) return false;
      if (isOp(token, "(") && !this.callIsRead(segment, i)) return false;
    }
    return true;
  }

  private nameIsRead(segment: Segment, i: number): boolean {
    const tokens = segment.tokens;
    const name = tokens[i]!.text;
    if (isOp(tokens[i - 1], ".")) return this.nameAllowed(name);
    if (REFUSED_KEYWORDS.has(name) || name === "import") return false;
    // getattr/hasattr only as a call with a literal name (checked with the call).
    if ((name === "getattr" || name === "hasattr") && isOp(tokens[i + 1], "(")) return true;
    if (NEVER.has(name) || name === "getattr" || name === "hasattr" || this.refused.has(name)) return false;
    if (name.startsWith("_")) {
      // A dunder is the interpreter's (`__builtins__`); other underscore names only the script's own.
      return !/^__.*__$/.test(name) && this.bindings.isBound(name, segment.place(i).scope);
    }
    return true;
  }

  private callIsRead(segment: Segment, open: number): boolean {
    const tokens = segment.tokens;
    const callee = tokens[open - 1];
    // A bracket that follows an operator, a keyword or nothing groups; it calls nothing.
    if (callee === undefined || callee.kind === "newline") return true;
    if (callee.kind === "op") return !(callee.text === ")" || callee.text === "]" || callee.text === "}");
    if (callee.kind !== "name") return false; // `"text"(…)`
    if (PYTHON_KEYWORDS.has(callee.text)) return !["True", "False", "None"].includes(callee.text);
    if (isName(tokens[open - 2], "def")) return true; // a definition; its parameters are bindings
    const args = callArguments(tokens, open);
    if (!this.argumentsAreRead(args)) return false;
    const place = segment.place(open);
    if (isOp(tokens[open - 2], ".")) return this.methodIsRead(tokens, open, place);
    return this.functionIsRead(callee.text, args, place);
  }

  /** Keyword arguments from the list only (`key=` only with a lambda); no `**kwargs`. */
  private argumentsAreRead(args: Token[][]): boolean {
    return args.every((arg) => {
      if (isOp(arg[0], "**")) return false;
      if (!(isName(arg[0]) && isOp(arg[1], "="))) return true;
      const keyword = arg[0]!.text;
      if (keyword === "key") return isName(arg[2], "lambda");
      return this.keywords.has(keyword);
    });
  }

  private methodIsRead(tokens: Token[], open: number, place: Place): boolean {
    const method = tokens[open - 1]!.text;
    if (this.methods.has(method) && this.nameAllowed(method)) return true;
    // `names.append(…)` on the script's own fresh list: a bare name right before the dot.
    const receiver = tokens[open - 3];
    const bare = isName(receiver) && !isOp(tokens[open - 4], ".");
    return CONTAINER_METHODS.has(method) && bare && this.bindings.trusted(receiver!.text, place, FRESH);
  }

  private functionIsRead(name: string, args: Token[][], place: Place): boolean {
    if (this.bindings.isBound(name, place.scope)) {
      return (
        this.bindings.trusted(name, place, DEF) ||
        this.bindings.trusted(name, place, IMPORTED, (b) => this.methods.has(b.member ?? ""))
      );
    }
    if (!this.functions.has(name)) return false;
    if (name === "getattr" || name === "hasattr") return this.literalAttribute(name, args);
    if (CALL_FIRST_ARGUMENT.has(name)) return isName(args[0]?.[0], "lambda");
    return true;
  }

  /** `getattr(obj, "name"[, default])`: reads one attribute it names, like `obj.name`. */
  private literalAttribute(name: string, args: Token[][]): boolean {
    const count = name === "getattr" ? [2, 3] : [2];
    if (!count.includes(args.length) || args.some((arg) => isOp(arg[0], "*") || isOp(arg[1], "=")))
      return false;
    const attribute = literalText(args[1]);
    return attribute !== undefined && IDENTIFIER.test(attribute) && this.nameAllowed(attribute);
  }
}

/** True only when everything the script does is a read `rules` allows. */
export function isReadOnlyPython(code: string, rules: ReadOnlyRules): boolean {
  try {
    return new ReadOnlyCheck(code, rules).run();
  } catch (error) {
    if (error instanceof Refusal) return false;
    throw error;
  }
}
