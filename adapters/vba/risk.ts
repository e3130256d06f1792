// Flags risky operations in VBA code for the approval policy. Works on tokens, so text in
// strings and comments never counts, except the class given to CreateObject, GetObject or
// createUnoService, which is what decides what the object can do. Member chains are read
// as dotted names (`Workbooks("a").Close` is Workbooks.Close; `.Quit` inside
// `With Application` is Application.Quit) and judged against the kit's rules and the app's.
// A classifier, not a sandbox: it fails closed, flagging a class or moniker chosen at run
// time as dynamic code.
import { comClassRule } from "../risk-com-classes.js";
import { kindReason, RiskFlags } from "../risk-flags.js";
import { appNameRules, flagName, type NameRules } from "../risk-names.js";
import type { AppRiskRule, RiskFlag } from "../types.js";
import { DECLARING, FACTORY_RULES, KEYWORDS, MONIKER_RULES, VBA_NAME_RULES } from "./risk-rules.js";
import { type LogicalLine, logicalLines, type Statement, type Token } from "./tokens.js";

interface Context {
  rules: NameRules[];
  flags: RiskFlags;
  /** Names of the open With blocks, innermost last ("" when a block's object has no name). */
  withs: string[];
}

/** A member chain read as a dotted name, calls and indexes left out. */
interface Chain {
  name: string;
  /** Token indexes of the names written in the chain. */
  words: number[];
  /** Token index of the first token after the chain. */
  end: number;
  /** Index of the `(` after the chain's last name, when its arguments follow in parentheses. */
  open?: number;
}

function isOp(token: Token | undefined, text: string): boolean {
  return token?.kind === "op" && token.text === text;
}

function isWord(token: Token | undefined): boolean {
  return token?.kind === "word";
}

/** The index of the `)` closing the `(` at `open`, or the token count. */
function closingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], "(")) depth++;
    else if (isOp(tokens[i], ")") && --depth === 0) return i;
  }
  return tokens.length;
}

/** A `.` that starts a name inside a With block, rather than joining two names. */
function isLeadingDot(tokens: Token[], i: number): boolean {
  if (!isOp(tokens[i], ".")) return false;
  const before = tokens[i - 1];
  if (!before) return true;
  if (before.end < tokens[i]!.start) return true; // `If .Saved`, `x = .Range("A1")`
  return before.kind === "op" && before.text !== ")";
}

/** Reads `a.b(x).c` from the name at `start`, after `base` (the With block's object) when given. */
function readChain(tokens: Token[], start: number, base?: string): Chain {
  const parts = base === undefined ? [] : [base];
  parts.push(tokens[start]!.text);
  const words = [start];
  let i = start + 1;
  let open: number | undefined;
  for (;;) {
    if (isOp(tokens[i], ".") && isWord(tokens[i + 1])) {
      parts.push(tokens[i + 1]!.text);
      words.push(i + 1);
      open = undefined;
      i += 2;
    } else if (isOp(tokens[i], "(")) {
      open ??= i;
      i = closingParen(tokens, i) + 1;
    } else {
      return { name: parts.join("."), words, end: i, ...(open === undefined ? {} : { open }) };
    }
  }
}

/** The string literal's text, or null when the argument is not a plain literal. */
function literalAt(tokens: Token[], at: number): string | null {
  const token = tokens[at];
  if (token?.kind !== "string") return null;
  const next = tokens[at + 1];
  if (next && !isOp(next, ")") && !isOp(next, ",")) return null;
  return token.text.slice(1, -1).replace(/""/g, '"');
}

/** The arguments' first tokens: after `(` when there is one, else right after the name. */
function argumentStarts(tokens: Token[], chain: Chain): number[] {
  const first = chain.open !== undefined ? chain.open + 1 : chain.end;
  const close = chain.open !== undefined ? closingParen(tokens, chain.open) : tokens.length;
  const starts = [first];
  let depth = 0;
  for (let i = first; i < close; i++) {
    if (isOp(tokens[i], "(")) depth++;
    else if (isOp(tokens[i], ")")) depth--;
    else if (depth === 0 && isOp(tokens[i], ",")) starts.push(i + 1);
  }
  return starts;
}

/** A class name (or moniker) an object is made from: the COM class rules, then the name rules. */
function judgeClass(ctx: Context, creator: string, className: string, line: number): void {
  flagName(ctx.flags, ctx.rules, className, line);
  const com = comClassRule(className);
  if (com) ctx.flags.add(com.kind, kindReason(com.kind, `${creator}("${className}"), ${com.what}`), line);
}

function checkFactory(ctx: Context, tokens: Token[], chain: Chain, creator: string, line: number): void {
  const className = literalAt(tokens, argumentStarts(tokens, chain)[0]!);
  if (className === null) {
    ctx.flags.add(
      "dynamic-code",
      kindReason("dynamic-code", `${creator} of a class chosen at run time`),
      line,
    );
  } else {
    judgeClass(ctx, creator, className, line);
  }
}

/** GetObject(moniker) or GetObject(, class): whichever is given must be a literal. */
function checkMoniker(ctx: Context, tokens: Token[], chain: Chain, creator: string, line: number): void {
  const [first, second] = argumentStarts(tokens, chain);
  const moniker = literalAt(tokens, first!);
  const empty = isOp(tokens[first!], ",");
  const className = second === undefined ? null : literalAt(tokens, second);
  if (moniker !== null) judgeClass(ctx, creator, moniker, line);
  if (className !== null) judgeClass(ctx, creator, className, line);
  if ((moniker === null && !empty) || (empty && className === null)) {
    ctx.flags.add(
      "dynamic-code",
      kindReason("dynamic-code", `${creator} of a moniker chosen at run time`),
      line,
    );
  }
}

/** `New MSXML2.XMLHTTP60` / `New FileSystemObject`: the class name after New, and its last part. */
function checkNew(ctx: Context, tokens: Token[], at: number): void {
  const parts: string[] = [];
  for (let i = at + 1; isWord(tokens[i]); i += 2) {
    parts.push(tokens[i]!.text);
    if (!isOp(tokens[i + 1], ".")) break;
  }
  const name = parts.join(".");
  const line = tokens[at]!.line;
  flagName(ctx.flags, ctx.rules, name, line);
  const com = comClassRule(name) ?? comClassRule(parts.at(-1) ?? "");
  if (com) ctx.flags.add(com.kind, kindReason(com.kind, `New ${name}, ${com.what}`), line);
}

/** Statement-level forms: Declare, Name … As …, Open … For Output. */
function checkStatement(ctx: Context, statement: Statement): void {
  const tokens = statement.tokens;
  let i = 0;
  while (isWord(tokens[i]) && ["public", "private", "friend"].includes(tokens[i]!.lower)) i++;
  const first = tokens[i];
  if (!isWord(first)) return;
  const words = tokens.filter(isWord).map((t) => t.lower);
  if (first!.lower === "declare") {
    const name = tokens
      .slice(i)
      .find((t, k) => k > 1 && isWord(t) && !["ptrsafe", "sub", "function"].includes(t.lower));
    ctx.flags.add(
      "native-code",
      kindReason("native-code", `Declare ${name?.text ?? ""}`.trim()),
      first!.line,
    );
  } else if (first!.lower === "name" && words.includes("as") && !isOp(tokens[i + 1], "=")) {
    ctx.flags.add("file-overwrite", kindReason("file-overwrite", "Name … As … (renames files)"), first!.line);
  } else if (first!.lower === "open" && words.includes("for")) {
    const mode = tokens[tokens.findIndex((t) => t.lower === "for") + 1];
    if (mode && ["output", "append", "binary", "random"].includes(mode.lower)) {
      ctx.flags.add("file-overwrite", kindReason("file-overwrite", `Open … For ${mode.text}`), first!.line);
    }
  }
}

/** `.OpenTextFile(path, ForWriting|ForAppending|2|8 …)` writes. */
function opensForWriting(tokens: Token[], from: number): boolean {
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === "word" && (t.lower === "forwriting" || t.lower === "forappending")) return true;
    if (t.kind === "number" && (t.text === "2" || t.text === "8") && isOp(tokens[i - 1], ",")) return true;
  }
  return false;
}

/** `x = …` / `Set x = …` with a bare name: a variable assigned, not a call. */
function isAssignedVariable(tokens: Token[], start: number, chain: Chain): boolean {
  if (chain.name.includes(".") || !isOp(tokens[chain.end], "=")) return false;
  const before = tokens[start - 1];
  return before === undefined || (isWord(before) && (before.lower === "set" || before.lower === "let"));
}

function checkChain(ctx: Context, tokens: Token[], start: number, chain: Chain): void {
  const line = tokens[start]!.line;
  if (isAssignedVariable(tokens, start, chain)) return;
  flagName(ctx.flags, ctx.rules, chain.name, line);
  const last = chain.name.split(".").at(-1)!;
  if (FACTORY_RULES.matches(chain.name).length > 0) checkFactory(ctx, tokens, chain, last, line);
  else if (MONIKER_RULES.matches(chain.name).length > 0) checkMoniker(ctx, tokens, chain, last, line);
  else if (last.toLowerCase() === "opentextfile" && opensForWriting(tokens, chain.open ?? chain.end)) {
    ctx.flags.add("file-overwrite", kindReason("file-overwrite", ".OpenTextFile for writing"), line);
  }
}

/** `With x` opens a block whose `.member`s are x's; `End With` closes it. */
function trackWith(ctx: Context, statement: Statement): void {
  const [first, second] = statement.tokens;
  if (!isWord(first)) return;
  if (first!.lower === "with") {
    const tokens = statement.tokens;
    if (isWord(second)) ctx.withs.push(readChain(tokens, 1).name);
    else if (isLeadingDot(tokens, 1) && isWord(tokens[2])) {
      ctx.withs.push(readChain(tokens, 2, ctx.withs.at(-1) ?? "").name);
    } else ctx.withs.push("");
  } else if (first!.lower === "end" && isWord(second) && second!.lower === "with") {
    ctx.withs.pop();
  }
}

function checkTokens(ctx: Context, tokens: Token[]): void {
  const inChain = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!isWord(token) || inChain.has(i)) continue;
    if (token.lower === "new") {
      checkNew(ctx, tokens, i);
      continue;
    }
    let chain: Chain;
    if (isLeadingDot(tokens, i - 1)) chain = readChain(tokens, i, ctx.withs.at(-1) ?? "");
    else if (isOp(tokens[i - 1], ".") || KEYWORDS.has(token.lower)) continue;
    else if (isWord(tokens[i - 1]) && DECLARING.has(tokens[i - 1]!.lower)) continue;
    else chain = readChain(tokens, i);
    for (const word of chain.words) inChain.add(word);
    checkChain(ctx, tokens, i, chain);
  }
}

export function riskVbaLines(
  lines: readonly LogicalLine[],
  appRules: readonly AppRiskRule[] = [],
): RiskFlag[] {
  const ctx: Context = {
    rules: [VBA_NAME_RULES, appNameRules(appRules, true)],
    flags: new RiskFlags(),
    withs: [],
  };
  for (const line of lines) {
    for (const statement of line.statements) {
      checkStatement(ctx, statement);
      checkTokens(ctx, statement.tokens);
      trackWith(ctx, statement);
    }
  }
  return ctx.flags.list();
}

export function riskVba(code: string, appRules: readonly AppRiskRule[] = []): RiskFlag[] {
  return riskVbaLines(logicalLines(code), appRules);
}
