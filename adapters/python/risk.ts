// Flags risky operations in Python code for the approval policy. Works on tokens, so
// comments and string literals never count; resolves import aliases so renamed
// imports still count. It is a classifier, not a sandbox: determined obfuscation
// (getattr tricks, decoding strings) gets through, but exec/eval/__import__ are flagged.
import type { RiskFlag, RiskKind } from "../types.js";
import {
  DYNAMIC_BUILTINS,
  KIND_VERBS,
  METHOD_RULES,
  matchNameRule,
  type NameRule,
  OPEN_CALLS,
} from "./risk-rules.js";
import { type Token, tokenize } from "./tokens.js";

/** A dotted name as written in the code, e.g. `sp.run` at tokens[start..end). */
interface NameChain {
  parts: string[];
  start: number;
  /** Index just after the chain's last name. */
  end: number;
  line: number;
}

interface Imports {
  /** Local name → canonical dotted name. */
  aliases: Map<string, string>;
  /** Modules imported with `from m import *`. */
  starModules: string[];
  /** Canonical names each import statement brings in, with its line. */
  imported: { name: string; line: number }[];
  /** Token indexes that belong to import statements. */
  importTokens: Set<number>;
}

const WRITE_MODE = /[wax+]/;
const MODE_LIKE = /^[rwxabtU+]{1,4}$/;

function isOp(token: Token | undefined, text: string): boolean {
  return token?.kind === "op" && token.text === text;
}

function isName(token: Token | undefined, text?: string): boolean {
  return token?.kind === "name" && (text === undefined || token.text === text);
}

/** Reads `a.b.c` starting at a name token. */
function readChain(tokens: Token[], start: number): NameChain {
  const parts = [tokens[start]!.text];
  let end = start + 1;
  while (isOp(tokens[end], ".") && isName(tokens[end + 1])) {
    parts.push(tokens[end + 1]!.text);
    end += 2;
  }
  return { parts, start, end, line: tokens[start]!.line };
}

/** `import a.b as c, d` starting at the `import` token. Returns the index after it. */
function readImport(tokens: Token[], at: number, imports: Imports): number {
  let i = at + 1;
  for (;;) {
    if (!isName(tokens[i])) return i;
    const chain = readChain(tokens, i);
    const module = chain.parts.join(".");
    i = chain.end;
    imports.imported.push({ name: module, line: chain.line });
    if (isName(tokens[i], "as") && isName(tokens[i + 1])) {
      imports.aliases.set(tokens[i + 1]!.text, module);
      i += 2;
    } else {
      // `import os.path` binds `os`.
      imports.aliases.set(chain.parts[0]!, chain.parts[0]!);
    }
    if (!isOp(tokens[i], ",")) return i;
    i++;
  }
}

/** `from m import a as b, c` / `from m import (a, b)` / `from m import *`. */
function readFromImport(tokens: Token[], at: number, imports: Imports): number {
  let i = at + 1;
  let relative = false;
  while (isOp(tokens[i], ".") || isOp(tokens[i], "...")) {
    relative = true;
    i++;
  }
  let module = "";
  if (isName(tokens[i]) && !isName(tokens[i], "import")) {
    const chain = readChain(tokens, i);
    module = chain.parts.join(".");
    i = chain.end;
  }
  if (!isName(tokens[i], "import")) return at + 1; // `yield from x`, `raise X from Y`
  const line = tokens[at]!.line;
  i++;
  const parenthesised = isOp(tokens[i], "(");
  if (parenthesised) i++;
  // Relative imports name the user's own package: nothing known to resolve them to.
  const base = relative ? "" : module;
  for (;;) {
    if (isOp(tokens[i], "*")) {
      if (base) imports.starModules.push(base);
      i++;
    } else if (isName(tokens[i])) {
      const name = tokens[i]!.text;
      const canonical = base ? `${base}.${name}` : name;
      i++;
      let local = name;
      if (isName(tokens[i], "as") && isName(tokens[i + 1])) {
        local = tokens[i + 1]!.text;
        i += 2;
      }
      if (base) {
        imports.aliases.set(local, canonical);
        imports.imported.push({ name: canonical, line });
      }
    }
    if (!isOp(tokens[i], ",")) break;
    i++;
  }
  if (parenthesised && isOp(tokens[i], ")")) i++;
  return i;
}

function collectImports(tokens: Token[]): Imports {
  const imports: Imports = { aliases: new Map(), starModules: [], imported: [], importTokens: new Set() };
  for (let i = 0; i < tokens.length; i++) {
    if (isOp(tokens[i - 1], ".")) continue;
    let end = i;
    if (isName(tokens[i], "import")) end = readImport(tokens, i, imports);
    else if (isName(tokens[i], "from")) end = readFromImport(tokens, i, imports);
    if (end > i + 1) {
      for (let j = i; j < end; j++) imports.importTokens.add(j);
      i = end - 1;
    }
  }
  return imports;
}

/** The names a chain may stand for: through its alias, or through a star import. */
function canonicalNames(chain: NameChain, imports: Imports): string[] {
  const [head, ...rest] = chain.parts;
  const alias = imports.aliases.get(head!);
  if (alias !== undefined) return [[alias, ...rest].join(".")];
  const written = chain.parts.join(".");
  return [written, ...imports.starModules.map((module) => `${module}.${written}`)];
}

/** The call's arguments, each as its tokens, when tokens[open] is `(`. */
function callArguments(tokens: Token[], open: number): Token[][] {
  const args: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === "op" && ["(", "[", "{"].includes(token.text)) depth++;
    if (token.kind === "op" && [")", "]", "}"].includes(token.text)) {
      if (depth === 0) break;
      depth--;
    }
    if (depth === 0 && isOp(token, ",")) {
      args.push(current);
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) args.push(current);
  return args;
}

/** The text of an argument that is only plain string literals, else undefined. */
function literalText(arg: Token[]): string | undefined {
  if (arg.length === 0 || !arg.every((t) => t.kind === "string" && !/[ft]/.test(t.prefix ?? ""))) {
    return undefined;
  }
  return arg.map((t) => t.body ?? "").join("");
}

type ModeArgument = { kind: "absent" } | { kind: "literal"; mode: string } | { kind: "computed" };

function modeArgument(args: Token[][], position: number): ModeArgument {
  const keyword = args.find((arg) => isName(arg[0], "mode") && isOp(arg[1], "="));
  if (keyword) {
    const mode = literalText(keyword.slice(2));
    return mode === undefined ? { kind: "computed" } : { kind: "literal", mode };
  }
  const positional = args.filter((arg) => !(isName(arg[0]) && isOp(arg[1], "=")));
  const unpacked = positional.some((arg) => isOp(arg[0], "*") || isOp(arg[0], "**"));
  const candidate = positional[position];
  if (candidate === undefined) {
    const kwargs = args.some((arg) => isOp(arg[0], "**"));
    return unpacked || kwargs ? { kind: "computed" } : { kind: "absent" };
  }
  const mode = literalText(candidate);
  return mode === undefined ? { kind: "computed" } : { kind: "literal", mode };
}

/** `open(path, "w")`-style calls: flagged when the mode writes or is not known. */
function openCallReason(name: string, args: Token[][], position: number): string | undefined {
  const mode = modeArgument(args, position);
  if (mode.kind === "literal" && WRITE_MODE.test(mode.mode)) {
    return `${KIND_VERBS["file-overwrite"]}: ${name}(…, ${JSON.stringify(mode.mode)})`;
  }
  if (mode.kind === "computed") return `may write files: ${name}() with a mode computed at run time`;
  return undefined;
}

/** `something.open(...)`: flagged only for a literal write mode (too many readers use `.open`). */
function openMethodReason(args: Token[][]): string | undefined {
  const keyword = args.find((arg) => isName(arg[0], "mode") && isOp(arg[1], "="));
  const candidates = keyword ? [keyword.slice(2)] : args.slice(0, 2);
  for (const arg of candidates) {
    const mode = literalText(arg);
    if (mode !== undefined && MODE_LIKE.test(mode) && WRITE_MODE.test(mode)) {
      return `${KIND_VERBS["file-overwrite"]}: .open(…, ${JSON.stringify(mode)})`;
    }
  }
  return undefined;
}

class FlagSet {
  private readonly flags: RiskFlag[] = [];
  private readonly seen = new Set<string>();

  add(kind: RiskKind, reason: string, line: number): void {
    const key = `${kind}:${line}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.flags.push({ kind, reason, line });
  }

  addRule(rule: NameRule, name: string, line: number): void {
    this.add(rule.kind, rule.reason ?? `${KIND_VERBS[rule.kind]}: ${name}`, line);
  }

  sorted(): RiskFlag[] {
    return [...this.flags].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  }
}

function checkChain(tokens: Token[], chain: NameChain, imports: Imports, flags: FlagSet): void {
  const before = tokens[chain.start - 1];
  if (isName(before, "def") || isName(before, "class")) return; // defining a name, not using it
  const calls = isOp(tokens[chain.end], "(");
  for (const name of canonicalNames(chain, imports)) {
    const rule = matchNameRule(name);
    if (rule) {
      flags.addRule(rule, name, chain.line);
      return;
    }
    const modePosition = OPEN_CALLS.get(name);
    if (modePosition !== undefined && calls) {
      const reason = openCallReason(name, callArguments(tokens, chain.end), modePosition);
      if (reason) flags.add("file-overwrite", reason, chain.line);
      return;
    }
  }
  if (chain.parts.length === 1 && !imports.aliases.has(chain.parts[0]!)) {
    checkBuiltin(tokens, chain, flags);
  }
}

/** exec/eval/compile/__import__ used by their bare name, i.e. the builtins. */
function checkBuiltin(tokens: Token[], chain: NameChain, flags: FlagSet): void {
  const name = chain.parts[0]!;
  if (!DYNAMIC_BUILTINS.has(name)) return;
  if (isOp(tokens[chain.end], "=")) return; // assigned to, or a keyword argument
  flags.add("dynamic-code", `${KIND_VERBS["dynamic-code"]}: ${name}()`, chain.line);
}

function checkMethod(tokens: Token[], at: number, flags: FlagSet): void {
  const name = tokens[at]!.text;
  if (!isOp(tokens[at + 1], "(")) return;
  const kind = METHOD_RULES.get(name);
  if (kind) {
    flags.add(kind, `${KIND_VERBS[kind]}: .${name}()`, tokens[at]!.line);
  } else if (name === "open") {
    const reason = openMethodReason(callArguments(tokens, at + 1));
    if (reason) flags.add("file-overwrite", reason, tokens[at]!.line);
  }
}

export function riskPython(code: string): RiskFlag[] {
  const tokens = tokenize(code);
  const imports = collectImports(tokens);
  const flags = new FlagSet();
  for (const { name, line } of imports.imported) {
    const rule = matchNameRule(name);
    if (rule) flags.addRule(rule, name, line);
  }
  for (let i = 0; i < tokens.length; i++) {
    if (imports.importTokens.has(i) || !isName(tokens[i])) continue;
    if (isOp(tokens[i - 1], ".")) {
      checkMethod(tokens, i, flags);
      continue;
    }
    const chain = readChain(tokens, i);
    checkChain(tokens, chain, imports, flags);
    // Later names of the chain are attributes: still check them as methods.
    for (let j = i + 2; j < chain.end; j += 2) checkMethod(tokens, j, flags);
    i = chain.end - 1;
  }
  return flags.sorted();
}
