// Bridge-side checks for VBA. LibreOffice reports a compile error as nothing at all (no
// message, no line), so what can be found here is worth finding: unbalanced blocks with
// their lines, unterminated strings, and what the wrapper's shape cannot run (statements
// outside procedures in a module, module-only declarations in a bare body, no Main).
import type { PreflightIssue } from "../types.js";
import {
  analyse,
  type BlockKind,
  CLOSERS,
  classify,
  PROCEDURE_KINDS,
  type Procedure,
  type Role,
  type Shape,
} from "./structure.js";
import { type LogicalLine, logicalLines, type Statement, type Token } from "./tokens.js";

interface Open {
  kind: BlockKind;
  token: Token;
}

/** An #If: only its first branch is checked (the others usually repeat it for another platform). */
interface Directive {
  token: Token;
  skipping: boolean;
}

// Declarations allowed at module level, outside procedures.
const MODULE_LEVEL = new Set([
  "option",
  "dim",
  "private",
  "public",
  "global",
  "const",
  "declare",
  "implements",
  "event",
  "attribute",
  "deftype",
  "defbool",
  "defbyte",
  "defint",
  "deflng",
  "deflnglng",
  "deflngptr",
  "defcur",
  "defsng",
  "defdbl",
  "defdec",
  "defdate",
  "defstr",
  "defobj",
  "defvar",
]);
// Declarations a bare body (which runs inside a Sub) cannot hold.
const MODULE_ONLY = new Set(["declare", "public", "private", "global", "implements", "event"]);

function withArticle(kind: BlockKind): string {
  return /^[AEIOU]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

function issueAt(token: Token, message: string, hint?: string): PreflightIssue {
  const issue: PreflightIssue = { message, line: token.line, column: token.column };
  if (hint) issue.hint = hint;
  return issue;
}

class BlockChecker {
  readonly issues: PreflightIssue[] = [];
  private readonly stack: Open[] = [];
  private readonly directives: Directive[] = [];

  get skipping(): boolean {
    return this.directives.some((directive) => directive.skipping);
  }

  get inTypeOrEnum(): boolean {
    const top = this.stack.at(-1);
    return top?.kind === "Type" || top?.kind === "Enum";
  }

  get inProcedure(): boolean {
    return this.stack.some((open) => PROCEDURE_KINDS.has(open.kind));
  }

  apply(role: Role, token: Token): void {
    if (role.role !== "plain" && role.kind === "#If") this.directive(role.role, token);
    else if (this.skipping) return;
    else if (role.role === "open") this.open(role.kind, token);
    else if (role.role === "close") for (let i = 0; i < role.count; i++) this.close(role.kind, token);
    else if (role.role === "middle") this.middle(role.kind, token);
  }

  private directive(role: "open" | "close" | "middle", token: Token): void {
    const top = this.directives.at(-1);
    if (role === "open") this.directives.push({ token, skipping: false });
    else if (!top) this.issues.push(issueAt(token, `${token.text} without #If`));
    else if (role === "middle") top.skipping = true;
    else this.directives.pop();
  }

  private open(kind: BlockKind, token: Token): void {
    if (PROCEDURE_KINDS.has(kind) && this.stack.length > 0) {
      // A procedure starts only at module level: whatever is still open was never closed.
      this.reportUnclosed(this.stack, `before the ${kind} at line ${token.line}`);
      this.stack.length = 0;
    }
    this.stack.push({ kind, token });
  }

  private middle(kind: BlockKind, token: Token): void {
    const top = this.stack.at(-1);
    if (top?.kind !== kind) {
      const inside = top ? ` (it is inside the ${top.kind} opened at line ${top.token.line})` : "";
      this.issues.push(issueAt(token, `${token.text} outside ${withArticle(kind)} block${inside}`));
    }
  }

  private close(kind: BlockKind, token: Token): void {
    const top = this.stack.at(-1);
    if (top?.kind === kind) {
      this.stack.pop();
      return;
    }
    const index = this.stack.map((open) => open.kind).lastIndexOf(kind);
    if (index < 0) {
      this.issues.push(issueAt(token, `${closerText(token, kind)} without a matching ${kind}`));
      return;
    }
    const inner = this.stack.slice(index + 1);
    if (PROCEDURE_KINDS.has(kind) || kind === "Type" || kind === "Enum") {
      this.reportUnclosed(inner, `before ${closerText(token, kind)} at line ${token.line}`);
    } else {
      const blocking = inner.at(-1)!;
      this.issues.push(
        issueAt(
          token,
          `${closerText(token, kind)} closes the ${kind} opened at line ${this.stack[index]!.token.line}, but the ${blocking.kind} opened at line ${blocking.token.line} is still open`,
          `close it first with ${CLOSERS[blocking.kind]}`,
        ),
      );
    }
    this.stack.splice(index);
  }

  private reportUnclosed(blocks: Open[], where: string): void {
    for (const open of blocks) {
      this.issues.push(
        issueAt(open.token, `${open.kind} is not closed ${where}`, `add ${CLOSERS[open.kind]}`),
      );
    }
  }

  finish(): void {
    for (const directive of this.directives) {
      this.issues.push(issueAt(directive.token, "#If is never closed", "add #End If"));
    }
    for (const open of this.stack) {
      this.issues.push(issueAt(open.token, `${open.kind} is never closed`, `add ${CLOSERS[open.kind]}`));
    }
    this.stack.length = 0;
  }
}

function closerText(token: Token, kind: BlockKind): string {
  return kind === "For" || kind === "Do" || kind === "While" ? token.text : CLOSERS[kind];
}

/** Module-level problems: statements outside procedures (module) or module-only declarations (bare body). */
function shapeIssue(
  statement: Statement,
  role: Role,
  shape: Shape,
  inProcedure: boolean,
): PreflightIssue | null {
  const first = statement.tokens[0]!;
  if (first.kind === "directive") return null;
  if (shape.module) {
    if (inProcedure || (role.role === "open" && PROCEDURE_KINDS.has(role.kind))) return null;
    if (role.role === "open" && (role.kind === "Type" || role.kind === "Enum")) return null;
    if (role.role === "close" && PROCEDURE_KINDS.has(role.kind)) return null;
    if (first.kind === "word" && MODULE_LEVEL.has(first.lower)) return null;
    return issueAt(
      first,
      "statement outside a Sub or Function: a module may only declare things outside its procedures",
      "move it into Sub Main (the module's entry point)",
    );
  }
  if (role.role === "open" && (role.kind === "Type" || role.kind === "Enum")) {
    return issueAt(
      first,
      `${role.kind} can only be declared in a module`,
      "put the code in Sub Main and the declaration above it",
    );
  }
  if (first.kind === "word" && MODULE_ONLY.has(first.lower)) {
    return issueAt(
      first,
      `${first.text} declarations only work at module level, but this script is a body of statements`,
      "use Dim, or write a module with Sub Main and the declarations above it",
    );
  }
  return bodyIssue(statement);
}

/** A bare body runs inside `Sub (Result)`: these would not compile there. */
function bodyIssue(statement: Statement): PreflightIssue | null {
  const tokens = statement.tokens;
  const [first, second] = tokens;
  const exit = tokens.findIndex(
    (t, i) =>
      t.lower === "exit" && (tokens[i + 1]?.lower === "function" || tokens[i + 1]?.lower === "property"),
  );
  if (exit >= 0) {
    return issueAt(
      tokens[exit]!,
      `Exit ${tokens[exit + 1]!.text} in a script body, which runs as a Sub`,
      "use Exit Sub",
    );
  }
  if (
    (first?.lower === "dim" || first?.lower === "static" || first?.lower === "const") &&
    second?.lower === "result"
  ) {
    return issueAt(
      second,
      "Result is predefined (a Variant that holds the script's value)",
      "assign to Result without declaring it",
    );
  }
  return null;
}

function mainIssues(shape: Shape, lines: readonly LogicalLine[]): PreflightIssue[] {
  if (!shape.module) return [];
  const main = shape.main;
  if (!main) {
    return [
      {
        message: "the module declares procedures but no Sub Main or Function Main to run",
        line: shape.procedures[0]!.line,
        column: 1,
        hint: "add Sub Main (or Function Main, whose return value is the result), or write plain statements without Sub/Function",
      },
    ];
  }
  const required = main.parameters.filter((p) => !/^\s*(optional|paramarray)\b/i.test(p));
  if (required.length === 0) return [];
  return [
    {
      message: `${main.kind} Main must take no arguments (it is called as Main)`,
      ...mainPosition(main, lines),
      hint: 'read macro parameters from params, e.g. params("count")',
    },
  ];
}

function mainPosition(main: Procedure, lines: readonly LogicalLine[]): { line: number; column: number } {
  const first = lines[main.header]?.statements[0]?.tokens[0];
  return { line: main.line, column: first?.column ?? 1 };
}

export function preflightVba(code: string): PreflightIssue[] {
  const lines = logicalLines(code);
  const shape = analyse(code, lines);
  const blocks = new BlockChecker();
  const issues: PreflightIssue[] = [];
  for (const line of lines) {
    if (line.unterminated) {
      issues.push(
        issueAt(
          line.unterminated,
          "string not closed on its line",
          'end it with "; a quote inside a string is written twice: ""',
        ),
      );
    }
    for (const [index, statement] of line.statements.entries()) {
      const first = statement.tokens[0]!;
      if (blocks.inTypeOrEnum) {
        // Members of a Type or Enum are declarations, whatever their names.
        blocks.apply(first.lower === "end" ? classify(statement, true) : { role: "plain" }, first);
        continue;
      }
      const role = classify(statement, index === line.statements.length - 1);
      if (!blocks.skipping) {
        const problem = shapeIssue(statement, role, shape, blocks.inProcedure);
        if (problem) issues.push(problem);
      }
      blocks.apply(role, first);
      // The rest of a one-line If are its branches (`If a Then b: c Else d`), not statements.
      if (role.role === "plain" && first.lower === "if") break;
    }
  }
  blocks.finish();
  return [...issues, ...blocks.issues, ...mainIssues(shape, lines)].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
}
