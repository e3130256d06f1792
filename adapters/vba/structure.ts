// What each VBA statement does to block structure, and the shape of a script: a bare body
// of statements, or a module of Sub/Function declarations with a Main to run. Preflight
// checks the blocks; the wrapper needs to know where procedure bodies are.
import type { LogicalLine, Statement, Token } from "./tokens.js";

export type BlockKind =
  | "If"
  | "For"
  | "Do"
  | "While"
  | "With"
  | "Select Case"
  | "Sub"
  | "Function"
  | "Property"
  | "Type"
  | "Enum"
  | "#If";

export type Role =
  | { role: "open"; kind: BlockKind; name?: string; nameToken?: Token }
  | { role: "close"; kind: BlockKind; count: number }
  | { role: "middle"; kind: BlockKind }
  | { role: "plain" };

export const PROCEDURE_KINDS: ReadonlySet<BlockKind> = new Set(["Sub", "Function", "Property"]);

/** How each block is closed, for messages. */
export const CLOSERS: Record<BlockKind, string> = {
  If: "End If",
  For: "Next",
  Do: "Loop",
  While: "Wend",
  With: "End With",
  "Select Case": "End Select",
  Sub: "End Sub",
  Function: "End Function",
  Property: "End Property",
  Type: "End Type",
  Enum: "End Enum",
  "#If": "#End If",
};

const END_TARGETS: Record<string, BlockKind> = {
  if: "If",
  select: "Select Case",
  with: "With",
  sub: "Sub",
  function: "Function",
  property: "Property",
  type: "Type",
  enum: "Enum",
};

const MODIFIERS = new Set(["public", "private", "friend", "global", "static"]);

function isWord(token: Token | undefined, lower?: string): token is Token {
  return token?.kind === "word" && (lower === undefined || token.lower === lower);
}

/** Index of the first token after Public/Private/Friend/Global/Static. */
function afterModifiers(tokens: Token[]): number {
  let i = 0;
  while (isWord(tokens[i]) && MODIFIERS.has(tokens[i]!.lower)) i++;
  return i;
}

/**
 * True for `If c Then stmt …` (one line). `If c Then` at the end of the logical line opens a block.
 * `isLastOnLine`: no other statement follows on the logical line.
 */
export function isSingleLineIf(statement: Statement, isLastOnLine: boolean): boolean {
  const tokens = statement.tokens;
  const then = tokens.findIndex((t) => isWord(t, "then"));
  if (then < 0) return false;
  return then < tokens.length - 1 || !isLastOnLine;
}

export function classify(statement: Statement, isLastOnLine: boolean): Role {
  const tokens = statement.tokens;
  const first = tokens[0];
  if (!first) return { role: "plain" };
  if (first.kind === "directive") {
    if (first.lower === "#if") return { role: "open", kind: "#If" };
    if (first.lower === "#else" || first.lower === "#elseif") return { role: "middle", kind: "#If" };
    if (first.lower === "#end" && isWord(tokens[1], "if")) return { role: "close", kind: "#If", count: 1 };
    return { role: "plain" };
  }
  if (first.kind !== "word") return { role: "plain" };
  const second = tokens[1];
  switch (first.lower) {
    case "if":
      return isSingleLineIf(statement, isLastOnLine) ? { role: "plain" } : { role: "open", kind: "If" };
    case "elseif":
    case "else":
      return { role: "middle", kind: "If" };
    case "endif":
      return { role: "close", kind: "If", count: 1 };
    case "end": {
      const target = isWord(second) ? END_TARGETS[second.lower] : undefined;
      return target && tokens.length === 2 ? { role: "close", kind: target, count: 1 } : { role: "plain" };
    }
    case "for":
      return { role: "open", kind: "For" };
    case "next":
      return { role: "close", kind: "For", count: nextCount(tokens) };
    case "do":
      return { role: "open", kind: "Do" };
    case "loop":
      return { role: "close", kind: "Do", count: 1 };
    case "while":
      return { role: "open", kind: "While" };
    case "wend":
      return { role: "close", kind: "While", count: 1 };
    case "with":
      return { role: "open", kind: "With" };
    case "select":
      return isWord(second, "case") ? { role: "open", kind: "Select Case" } : { role: "plain" };
    case "case":
      return { role: "middle", kind: "Select Case" };
  }
  return declaration(tokens);
}

/** `Next` closes one For; `Next i, j` closes two. */
function nextCount(tokens: Token[]): number {
  return 1 + tokens.filter((t) => t.kind === "op" && t.text === ",").length;
}

/** Sub/Function/Property headers and Type/Enum blocks, after any modifiers. */
function declaration(tokens: Token[]): Role {
  const at = afterModifiers(tokens);
  const keyword = tokens[at];
  if (!isWord(keyword)) return { role: "plain" };
  let nameAt = at + 1;
  let kind: BlockKind | undefined;
  if (keyword.lower === "sub") kind = "Sub";
  else if (keyword.lower === "function") kind = "Function";
  else if (
    keyword.lower === "property" &&
    isWord(tokens[at + 1]) &&
    ["get", "let", "set"].includes(tokens[at + 1]!.lower)
  ) {
    kind = "Property";
    nameAt = at + 2;
  } else if ((keyword.lower === "type" || keyword.lower === "enum") && tokens.length === at + 2) {
    // `Type Point` / `Private Enum Colour`; `Type = 3` is an assignment.
    kind = keyword.lower === "type" ? "Type" : "Enum";
  }
  const nameToken = tokens[nameAt];
  if (!kind || !isWord(nameToken)) return { role: "plain" };
  return { role: "open", kind, name: nameToken.text, nameToken };
}

export interface Procedure {
  kind: "Sub" | "Function" | "Property";
  name: string;
  line: number;
  /** The header's logical line index. */
  header: number;
  /** Index of the closing logical line (End Sub …), or -1 when it is missing. */
  end: number;
  /** Parameter texts, e.g. ["ByVal x As Long", "Optional y"]. */
  parameters: string[];
}

export interface Shape {
  /** A module (it declares procedures) rather than a bare body of statements. */
  module: boolean;
  procedures: Procedure[];
  /** For each logical line: the procedure whose body it is in, or null (module level). */
  bodyOf: (Procedure | null)[];
  main?: Procedure;
}

function parameterTexts(code: string, statement: Statement): string[] {
  const tokens = statement.tokens;
  const open = tokens.findIndex((t) => t.kind === "op" && t.text === "(");
  if (open < 0) return [];
  const parts: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "op") continue;
    if (t.text === "(") depth++;
    else if (t.text === ")" && depth > 0) depth--;
    else if ((t.text === ")" && depth === 0) || (t.text === "," && depth === 0)) {
      if (i > start) parts.push(code.slice(tokens[start]!.start, tokens[i - 1]!.end));
      start = i + 1;
      if (t.text === ")") break;
    }
  }
  return parts;
}

/** Finds procedures and the body each logical line belongs to. */
export function analyse(code: string, lines: readonly LogicalLine[]): Shape {
  const procedures: Procedure[] = [];
  const bodyOf: (Procedure | null)[] = [];
  let current: Procedure | null = null;
  lines.forEach((line, index) => {
    const first = line.statements[0];
    const role = first ? classify(first, line.statements.length === 1) : { role: "plain" as const };
    if (role.role === "open" && PROCEDURE_KINDS.has(role.kind) && current === null && first) {
      current = {
        kind: role.kind as Procedure["kind"],
        name: role.name ?? "",
        line: line.line,
        header: index,
        end: -1,
        parameters: parameterTexts(code, first),
      };
      procedures.push(current);
      bodyOf.push(null);
      return;
    }
    if (current && role.role === "close" && PROCEDURE_KINDS.has(role.kind)) {
      current.end = index;
      current = null;
      bodyOf.push(null);
      return;
    }
    bodyOf.push(current);
  });
  const main = procedures.find((p) => p.name.toLowerCase() === "main" && p.kind !== "Property");
  const shape: Shape = { module: procedures.length > 0, procedures, bodyOf };
  if (main) shape.main = main;
  return shape;
}
