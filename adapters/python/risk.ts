// Flags risky operations in Python code for the approval policy. Works on tokens, so
// comments and string literals never count (f-string fields do: they run); resolves import
// aliases so renamed imports still count. It is a classifier, not a sandbox, and it fails
// closed: what it cannot read (getattr with a computed name, globals(), dunder walks,
// pickle, a COM class chosen at run time) is flagged as dynamic code.

import { comClassRule } from "../risk-com-classes.js";
import { kindReason, RiskFlags } from "../risk-flags.js";
import { appNameRules, flagName, type NameRules } from "../risk-names.js";
import type { AppRiskRule, RiskFlag } from "../types.js";
import { fieldExpressions } from "./fstring-fields.js";
import {
  callArguments,
  closingBracket,
  literalText,
  openCallReason,
  openMethodReason,
  positionalArguments,
} from "./risk-calls.js";
import { collectImports, type Imports, isName, isOp, resolveImported } from "./risk-imports.js";
import {
  ATTRIBUTE_BUILTINS,
  DYNAMIC_BUILTINS,
  FACTORY_RULES,
  NAME_CALLABLES,
  NAMESPACE_BUILTINS,
  OPEN_CALLS,
  OS_ALIASES,
  PLAIN_DUNDERS,
  PYTHON_NAME_RULES,
  QUIT_BUILTINS,
  REACHABLE_MODULES,
} from "./risk-rules.js";
import { type Token, tokenize } from "./tokens.js";

const KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);
const DUNDER = /^__\w+__$/;

/** One dotted name as the code uses it, calls and indexes left out: `a.b(x)[0].c` is a.b.c. */
interface Chain {
  /** False when the first name hangs off something unnamed: `(x).a`, `"s".join`. */
  named: boolean;
  /** Token index of each name. */
  names: number[];
}

interface Context {
  tokens: Token[];
  imports: Imports;
  rules: NameRules[];
  flags: RiskFlags;
  /** First tokens of arguments already judged with the attribute they are given (`getattr(os, "system")`). */
  judgedArguments: Set<Token>;
}

/** Reads the chain whose first name is tokens[start], stepping over calls and indexes. */
function readChain(tokens: Token[], start: number, named: boolean): Chain {
  const names = [start];
  let i = start + 1;
  if (named && KEYWORDS.has(tokens[start]!.text)) return { named, names };
  for (;;) {
    if (isOp(tokens[i], ".") && isName(tokens[i + 1])) {
      names.push(i + 1);
      i += 2;
    } else if (isOp(tokens[i], "(") || isOp(tokens[i], "[")) {
      i = closingBracket(tokens, i) + 1;
    } else {
      return { named, names };
    }
  }
}

/** Every name `parts` may stand for: through imports, posix/nt as os, modules handed out by others. */
function canonicalNames(parts: readonly string[], named: boolean, imports: Imports): string[] {
  const names = named ? resolveImported(parts, imports) : [`.${parts.join(".")}`];
  const all = new Set(names);
  for (const name of names) {
    const split = name.split(".");
    if (OS_ALIASES.has(split[0]!)) all.add(["os", ...split.slice(1)].join("."));
    for (let i = 1; i < split.length - 1; i++) {
      if (REACHABLE_MODULES.has(split[i]!)) all.add(split.slice(i).join("."));
    }
  }
  return [...all];
}

function flagNames(ctx: Context, names: readonly string[], line: number): void {
  for (const name of names) flagName(ctx.flags, ctx.rules, name, line);
}

function flagDunder(ctx: Context, name: string, line: number): void {
  if (DUNDER.test(name) && !PLAIN_DUNDERS.has(name)) {
    ctx.flags.add("dynamic-code", kindReason("dynamic-code", `reflection through ${name}`), line);
  }
}

/**
 * The builtin a chain uses and the index of its name in the chain: `getattr` used bare (not
 * imported under that name), or reached through the builtins module.
 */
function builtinUse(
  ctx: Context,
  chain: Chain,
  parts: readonly string[],
): { name: string; k: number } | undefined {
  if (!chain.named) return undefined;
  const alias = ctx.imports.aliases.get(parts[0]!);
  if (alias === undefined) {
    // `exec = 1`, `f(eval=None)`: a name bound, not the builtin used.
    const bound = parts.length === 1 && isOp(ctx.tokens[chain.names[0]! + 1], "=");
    return bound ? undefined : { name: parts[0]!, k: 0 };
  }
  if (alias === "builtins" && parts.length > 1) return { name: parts[1]!, k: 1 };
  const imported = /^builtins\.(\w+)$/.exec(alias)?.[1];
  return imported === undefined ? undefined : { name: imported, k: 0 };
}

/** The dotted names an argument stands for, when it is only a dotted name (`os.path`). */
function argumentNames(arg: Token[] | undefined, ctx: Context): string[] | undefined {
  if (!arg || arg.length === 0 || !isName(arg[0])) return undefined;
  const parts = [arg[0]!.text];
  for (let i = 1; i < arg.length; i += 2) {
    if (!isOp(arg[i], ".") || !isName(arg[i + 1])) return undefined;
    parts.push(arg[i + 1]!.text);
  }
  return canonicalNames(parts, true, ctx.imports);
}

/** Judges `attribute` reached on the object an argument names, like code that wrote it out. */
function flagAttribute(ctx: Context, on: Token[] | undefined, attribute: string, line: number): void {
  const bases = argumentNames(on, ctx) ?? [""];
  for (const part of attribute.split(".")) flagDunder(ctx, part, line);
  const names = bases.map((base) => `${base}.${attribute}`);
  flagNames(ctx, names, line);
  // `getattr(shutil, "os")` hands the os module on.
  const module = moduleAmong(names);
  if (module !== undefined) flagModuleHandedOn(ctx, module, line);
}

/** A module some kit rule looks inside (`os` for os.system): one of `names`, or the last part of one. */
function moduleAmong(names: readonly string[]): string | undefined {
  for (const name of names) {
    if (PYTHON_NAME_RULES.hasUnder(name)) return name;
    const last = name.split(".").at(-1)!;
    if (REACHABLE_MODULES.has(last) && PYTHON_NAME_RULES.hasUnder(last)) return last;
  }
  return undefined;
}

function flagModuleHandedOn(ctx: Context, module: string, line: number): void {
  flagComputed(ctx, `the ${module} module handed on (what is reached through it is not known here)`, line);
}

function flagComputed(ctx: Context, what: string, line: number): void {
  ctx.flags.add("dynamic-code", kindReason("dynamic-code", what), line);
}

/** getattr/setattr/delattr: a literal name is that attribute; a computed one cannot be read. */
function checkAttributeCall(ctx: Context, builtin: string, open: number, line: number): void {
  const args = positionalArguments(callArguments(ctx.tokens, open));
  const attribute = literalText(args?.[1]);
  if (attribute === undefined) {
    if (builtin !== "hasattr") flagComputed(ctx, `${builtin}() with a name computed at run time`, line);
    return;
  }
  flagAttribute(ctx, args?.[0], attribute, line);
  const object = args?.[0]?.[0];
  if (object) ctx.judgedArguments.add(object);
}

/**
 * A module some rule looks inside (`os` for os.system) handed on as a value: `m = os`,
 * `f(os)`. What is reached through it later is not known here.
 */
function checkModuleValue(
  ctx: Context,
  chain: Chain,
  parts: readonly string[],
  names: readonly string[],
): void {
  const { tokens } = ctx;
  const last = chain.names.at(-1)!;
  const next = tokens[last + 1];
  if (
    !chain.named ||
    !ctx.imports.aliases.has(parts[0]!) ||
    ctx.judgedArguments.has(tokens[chain.names[0]!]!)
  )
    return;
  if (isOp(next, "(") || isOp(next, "[") || isOp(next, "=")) return;
  const module = moduleAmong(names);
  if (module !== undefined) flagModuleHandedOn(ctx, module, tokens[last]!.line);
}

/** operator.attrgetter("a.b") / methodcaller("name"): names on an object not known here. */
function checkNameCallable(ctx: Context, callee: string, open: number, line: number): void {
  const args = positionalArguments(callArguments(ctx.tokens, open));
  const named = callee.endsWith("methodcaller") ? args?.slice(0, 1) : args;
  const literals = named?.map(literalText);
  if (!literals || literals.length === 0 || literals.some((text) => text === undefined)) {
    flagComputed(ctx, `${callee}() with a name computed at run time`, line);
    return;
  }
  for (const text of literals) flagAttribute(ctx, undefined, text!, line);
}

/** A COM or UNO factory: the class it is given is judged like a name; a computed class is flagged. */
function checkFactory(ctx: Context, callee: string, open: number, line: number): void {
  const className = literalText(positionalArguments(callArguments(ctx.tokens, open))?.[0]);
  if (className === undefined) {
    flagComputed(ctx, `${callee}() of a class chosen at run time`, line);
    return;
  }
  flagName(ctx.flags, ctx.rules, className, line);
  const com = comClassRule(className);
  if (com) ctx.flags.add(com.kind, kindReason(com.kind, `${callee}("${className}"), ${com.what}`), line);
}

/** A bare builtin used in a way that runs code, reaches names or ends the process. */
function checkBuiltin(ctx: Context, builtin: string, called: boolean, open: number, line: number): void {
  if (DYNAMIC_BUILTINS.has(builtin)) flagComputed(ctx, `${builtin}()`, line);
  else if (NAMESPACE_BUILTINS.has(builtin)) flagComputed(ctx, `${builtin}() reaches names by string`, line);
  else if (QUIT_BUILTINS.has(builtin)) ctx.flags.add("app-quit", `ends the app's process: ${builtin}`, line);
  else if (builtin === "hasattr" && called) checkAttributeCall(ctx, builtin, open, line);
  else if (ATTRIBUTE_BUILTINS.has(builtin)) {
    if (called) checkAttributeCall(ctx, builtin, open, line);
    else flagComputed(ctx, `${builtin} passed on, with names not known here`, line);
  } else if (builtin === "open" && !called) {
    ctx.flags.add("file-overwrite", "may write files: open passed on, with a mode not known here", line);
  }
}

/** The call made at the chain's name `k`, if `(` follows it. */
function callOpenAfter(tokens: Token[], chain: Chain, k: number): number | undefined {
  const after = chain.names[k]! + 1;
  return isOp(tokens[after], "(") ? after : undefined;
}

function checkCall(ctx: Context, chain: Chain, k: number, open: number): void {
  const { tokens } = ctx;
  const parts = chain.names.slice(0, k + 1).map((i) => tokens[i]!.text);
  const names = canonicalNames(parts, chain.named, ctx.imports);
  const line = tokens[chain.names[k]!]!.line;
  const callee = names[0]!;
  for (const name of names) {
    const position = OPEN_CALLS.get(name);
    if (position !== undefined) {
      const reason = openCallReason(name, callArguments(tokens, open), position);
      if (reason) ctx.flags.add("file-overwrite", reason, line);
      return;
    }
  }
  if (parts.at(-1) === "open" && (k > 0 || !chain.named)) {
    const reason = openMethodReason(callArguments(tokens, open));
    if (reason) ctx.flags.add("file-overwrite", reason, line);
  }
  const callable = names.find((name) => NAME_CALLABLES.has(name));
  if (callable) checkNameCallable(ctx, callable, open, line);
  if (names.some((name) => FACTORY_RULES.matches(name).length > 0)) checkFactory(ctx, callee, open, line);
}

function checkChain(ctx: Context, chain: Chain): void {
  const { tokens } = ctx;
  const first = chain.names[0]!;
  const before = tokens[first - 1];
  if (chain.named && (isName(before, "def") || isName(before, "class"))) return; // defining a name, not using it
  if (chain.named && KEYWORDS.has(tokens[first]!.text)) return;
  const parts = chain.names.map((i) => tokens[i]!.text);
  const line = tokens[first]!.line;
  const names = canonicalNames(parts, chain.named, ctx.imports);
  flagNames(ctx, names, line);
  for (const i of chain.names) flagDunder(ctx, tokens[i]!.text, tokens[i]!.line);
  checkModuleValue(ctx, chain, parts, names);
  const builtin = builtinUse(ctx, chain, parts);
  if (builtin !== undefined) {
    const open = callOpenAfter(tokens, chain, builtin.k);
    checkBuiltin(ctx, builtin.name, open !== undefined, open ?? -1, line);
  }
  chain.names.forEach((_, k) => {
    const open = callOpenAfter(tokens, chain, k);
    if (open !== undefined) checkCall(ctx, chain, k, open);
  });
}

/** Every name, call and f-string field in `tokens`. */
function checkTokens(ctx: Context): void {
  const { tokens } = ctx;
  const inChain = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === "string" && /[ft]/.test(token.prefix ?? "")) checkFields(ctx, token);
    if (ctx.imports.importTokens.has(i) || !isName(token) || inChain.has(i)) continue;
    const chain = readChain(tokens, i, !isOp(tokens[i - 1], "."));
    for (const index of chain.names) inChain.add(index);
    checkChain(ctx, chain);
  }
}

/** An f-string's fields are code: read them with the script's imports, at their own lines. */
function checkFields(ctx: Context, token: Token): void {
  for (const field of fieldExpressions(token.body ?? "")) {
    const tokens = tokenize(field.code).map((t) => ({
      ...t,
      line: t.line + token.line + field.lineOffset - 1,
    }));
    checkTokens({ ...ctx, tokens, imports: { ...ctx.imports, importTokens: new Set() } });
  }
}

export function riskPython(code: string, appRules: readonly AppRiskRule[] = []): RiskFlag[] {
  const tokens = tokenize(code);
  const imports = collectImports(tokens);
  const ctx: Context = {
    tokens,
    imports,
    rules: [PYTHON_NAME_RULES, appNameRules(appRules)],
    flags: new RiskFlags(),
    judgedArguments: new Set(),
  };
  for (const { name, line } of imports.imported) {
    flagNames(
      ctx,
      canonicalNames(name.split("."), true, { ...imports, aliases: new Map(), starModules: [] }),
      line,
    );
    for (const part of name.split(".")) flagDunder(ctx, part, line);
  }
  checkTokens(ctx);
  return ctx.flags.list();
}
