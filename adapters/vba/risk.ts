// Flags risky operations in VBA code for the approval policy. Works on tokens, so text in
// strings and comments never counts, except the ProgID string given to CreateObject or
// GetObject, which is what decides what the object can do. A classifier, not a sandbox.
import { KIND_VERBS } from "../python/risk-rules.js";
import type { RiskFlag, RiskKind } from "../types.js";
import { BARE_RULES, MEMBER_RULES, PROGID_RULES, QUALIFIED_RULES, VBA_QUALIFIERS } from "./risk-rules.js";
import { type LogicalLine, logicalLines, type Statement, type Token } from "./tokens.js";

class FlagSet {
  private readonly flags = new Map<string, RiskFlag>();

  add(kind: RiskKind, what: string, line: number): void {
    const reason = `${KIND_VERBS[kind]}: ${what}`;
    const key = `${kind}\0${reason}\0${line}`;
    if (!this.flags.has(key)) this.flags.set(key, { kind, reason, line });
  }

  sorted(): RiskFlag[] {
    return [...this.flags.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  }
}

function isOp(token: Token | undefined, text: string): boolean {
  return token?.kind === "op" && token.text === text;
}

/** The string literal's text, or null when the argument is not a plain literal. */
function literalArgument(tokens: Token[], at: number): string | null {
  let i = at;
  if (isOp(tokens[i], "(")) i++;
  const token = tokens[i];
  if (token?.kind !== "string") return null;
  const next = tokens[i + 1];
  if (next && !isOp(next, ")") && !isOp(next, ",")) return null;
  return token.text.slice(1, -1).replace(/""/g, '"');
}

function checkProgId(progId: string | null, creator: Token, flags: FlagSet): void {
  if (progId === null) {
    flags.add("native-code", `${creator.text} with a class chosen at run time`, creator.line);
    return;
  }
  const rule = PROGID_RULES.find((r) => r.pattern.test(progId));
  if (rule) flags.add(rule.kind, `${creator.text}("${progId}"), ${rule.what}`, creator.line);
}

/** `New MSXML2.XMLHTTP60` / `New WshShell`: the class name after New. */
function checkNew(tokens: Token[], at: number, flags: FlagSet): void {
  const parts: string[] = [];
  for (let i = at + 1; tokens[i]?.kind === "word"; i += 2) {
    parts.push(tokens[i]!.text);
    if (!isOp(tokens[i + 1], ".")) break;
  }
  const name = parts.join(".");
  const rule = PROGID_RULES.find((r) => r.pattern.test(name) || r.pattern.test(parts.at(-1) ?? ""));
  if (rule) flags.add(rule.kind, `New ${name}, ${rule.what}`, tokens[at]!.line);
}

/** Statement-level forms: Declare, Name … As …, Open … For Output. */
function checkStatement(statement: Statement, flags: FlagSet): void {
  const tokens = statement.tokens;
  let i = 0;
  while (tokens[i]?.kind === "word" && ["public", "private", "friend"].includes(tokens[i]!.lower)) i++;
  const first = tokens[i];
  if (first?.kind !== "word") return;
  const words = tokens.filter((t) => t.kind === "word").map((t) => t.lower);
  if (first.lower === "declare") {
    const name = tokens
      .slice(i)
      .find((t, k) => k > 1 && t.kind === "word" && !["ptrsafe", "sub", "function"].includes(t.lower));
    flags.add("native-code", `Declare ${name?.text ?? ""}`.trim(), first.line);
  } else if (first.lower === "name" && words.includes("as") && !isOp(tokens[i + 1], "=")) {
    flags.add("file-overwrite", "Name … As … (renames files)", first.line);
  } else if (first.lower === "open" && words.includes("for")) {
    const mode = tokens[tokens.findIndex((t) => t.lower === "for") + 1];
    if (mode && ["output", "append", "binary", "random"].includes(mode.lower)) {
      flags.add("file-overwrite", `Open … For ${mode.text}`, first.line);
    }
  }
}

/** `.OpenTextFile(path, ForWriting|ForAppending|2|8 …)` writes. */
function opensForWriting(tokens: Token[], at: number): boolean {
  for (let i = at + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOp(t, ":")) return false;
    if (t.kind === "word" && (t.lower === "forwriting" || t.lower === "forappending")) return true;
    if (t.kind === "number" && (t.text === "2" || t.text === "8") && isOp(tokens[i - 1], ",")) return true;
  }
  return false;
}

function checkToken(tokens: Token[], i: number, flags: FlagSet): void {
  const token = tokens[i]!;
  if (token.kind !== "word") return;
  const previous = tokens[i - 1];
  const member = isOp(previous, ".");
  const qualifier = member ? tokens[i - 2] : undefined;
  const bare = BARE_RULES.get(token.lower);
  if (bare && (!member || (qualifier?.kind === "word" && VBA_QUALIFIERS.has(qualifier.lower)))) {
    // `Shell = 3` or a `Dim Kill` would be odd code, but they are not calls.
    if (!isOp(tokens[i + 1], "=") || isOp(previous, "(")) flags.add(bare.kind, bare.what, token.line);
    return;
  }
  if (token.lower === "createobject" || token.lower === "getobject") {
    checkProgId(literalArgument(tokens, i + 1), token, flags);
    return;
  }
  if (token.lower === "new") {
    checkNew(tokens, i, flags);
    return;
  }
  if (!member) return;
  const qualified =
    qualifier?.kind === "word" ? QUALIFIED_RULES.get(qualifier.lower)?.get(token.lower) : undefined;
  if (qualified) {
    flags.add(qualified.kind, qualified.what, token.line);
    return;
  }
  const rule = MEMBER_RULES.get(token.lower);
  if (rule) flags.add(rule.kind, rule.what, token.line);
  else if (token.lower === "opentextfile" && opensForWriting(tokens, i)) {
    flags.add("file-overwrite", ".OpenTextFile for writing", token.line);
  }
}

export function riskVbaLines(lines: readonly LogicalLine[]): RiskFlag[] {
  const flags = new FlagSet();
  for (const line of lines) {
    for (const statement of line.statements) {
      checkStatement(statement, flags);
      const tokens = statement.tokens;
      for (let i = 0; i < tokens.length; i++) checkToken(tokens, i, flags);
    }
  }
  return flags.sorted();
}

export function riskVba(code: string): RiskFlag[] {
  return riskVbaLines(logicalLines(code));
}
