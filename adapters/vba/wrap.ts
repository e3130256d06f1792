// Builds the VBA module a host runs. Its entry point is exactly
//   Public Function ScriptwrightRun() As String
// returning the JSON envelope text; hosts insert the module, call that function and remove
// the module (LibreOffice through its script provider, Excel through Application.Run).
//
// Layout: host header lines (the adapter's prelude, e.g. LibreOffice's `Option VBASupport 1`),
// the user's Option lines, the runtime's variables, the user's code, the runtime's
// procedures, the string loaders, the entry point.
//
// A bare body of statements becomes `Sub Swrt_Body(Result As Variant)`: the value is what the
// code assigns to Result. A module (it declares Sub/Function) runs its Main.
//
// Lines: before each statement line inside a procedure body the wrapper inserts
// `Swrt_Line = N` (N = the user's line), and the error handler reports Swrt_Line. Numeric
// line labels for Erl would be the other way, but LibreOffice 7.4 refuses to compile a
// procedure with more than one numeric label, and Excel's Erl knows nothing else; a tracking
// variable works in both and also names the line inside a Sub that Main called.
//
// Strings: literals with characters outside printable ASCII are moved to a table filled with
// ChrW() pieces (Excel's editor is ANSI); the params JSON is slot 0 of the same table.
import { paramsJson } from "../envelope.js";
import type { WrapOptions, Wrapped } from "../types.js";
import { needsTable, tableLoader, vbaCount } from "./literal.js";
import type { RuntimeSource } from "./runtime-source.js";
import { analyse, classify, type Procedure } from "./structure.js";
import { type LogicalLine, logicalLines, type Token } from "./tokens.js";

export const ENTRY_POINT = "ScriptwrightRun";
export const DEFAULT_MAX_LOG_CHARS = 65_536;
export const DEFAULT_MAX_VALUE_CHARS = 1_000_000;
export const DEFAULT_MAX_ITEMS = 1000;

const TABLE = "Swrt_S";
const LINE_VARIABLE = "Swrt_Line";

/** Params as JSON in printable ASCII (non-ASCII escaped as \uXXXX), for the runtime's parser. */
export function asciiParamsJson(params: unknown): string {
  return paramsJson(params).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

class ModuleBuilder {
  /** Slot 0: the params JSON; then the moved string literals. */
  readonly table: string[];
  readonly options: string[] = [];
  readonly body: string[] = [];

  constructor(
    private readonly code: string,
    params: unknown,
  ) {
    this.table = [asciiParamsJson(params)];
  }

  /** A line at module level: Option lines move to the top, Attribute lines (exported .bas files) go. */
  moduleLine(line: LogicalLine): void {
    const first = line.statements[0]?.tokens[0];
    if (!line.label && first?.lower === "option") {
      this.options.push(this.code.slice(line.statements[0]!.start, line.statements[0]!.end));
    } else if (!line.label && first?.lower === "attribute") {
      // Exported modules start with `Attribute VB_Name = …`, which only the import dialog understands.
    } else {
      this.body.push(this.code.slice(line.start, line.end));
    }
  }

  /** A line inside a procedure body (or the bare body): tracked, with long-text literals moved. */
  bodyLine(line: LogicalLine): void {
    let from = line.start;
    if (line.label && line.labelEnd !== undefined) {
      this.body.push(this.code.slice(line.start, line.labelEnd));
      from = line.labelEnd;
    }
    const [first, second] = line.statements;
    if (!first) {
      if (!line.label) this.body.push(this.code.slice(from, line.end));
      return;
    }
    const role = classify(first, line.statements.length === 1);
    const head = first.tokens[0]!;
    const untracked = role.role === "close" || role.role === "middle" || head.kind === "directive";
    if (untracked) {
      if (!second) {
        this.body.push(this.rewrite(line, from, line.end));
        return;
      }
      // `Case 1: x = 5`: the clause, then the tracked statements after it.
      this.body.push(this.rewrite(line, from, first.end));
      from = second.start;
    }
    this.body.push(`${LINE_VARIABLE} = ${line.line}`);
    this.body.push(this.rewrite(line, from, line.end));
  }

  /** The code between two offsets of a line, its non-ASCII string literals replaced by table slots. */
  private rewrite(line: LogicalLine, from: number, to: number): string {
    const constant = line.statements[0]?.tokens.some((t) => t.kind === "word" && t.lower === "const");
    const literals: Token[] = [];
    if (!constant) {
      for (const statement of line.statements) {
        for (const token of statement.tokens) {
          if (
            token.kind === "string" &&
            token.start >= from &&
            token.end <= to &&
            needsTable(literalValue(token))
          ) {
            literals.push(token);
          }
        }
      }
    }
    let out = "";
    let at = from;
    for (const token of literals) {
      this.table.push(literalValue(token));
      out += `${this.code.slice(at, token.start)}${TABLE}(${this.table.length - 1})`;
      at = token.end;
    }
    return out + this.code.slice(at, to);
  }
}

/** The text a "…" literal denotes (doubled quotes undone; an unterminated one ends at its line). */
function literalValue(token: Token): string {
  const inner =
    token.text.endsWith('"') && token.text.length > 1 ? token.text.slice(1, -1) : token.text.slice(1);
  return inner.replace(/""/g, '"');
}

function entryPoint(call: string, options: WrapOptions, hasEpilogue: boolean): string {
  const epilogue = hasEpilogue ? ["    Swrt_Epilogue"] : [];
  return [
    `Public Function ${ENTRY_POINT}() As String`,
    "    Dim Swrt_Value As Variant, Swrt_Number As Long, Swrt_Description As String",
    "    On Error GoTo Swrt_Failed",
    `    Swrt_Begin ${vbaCount(options.maxLogChars, DEFAULT_MAX_LOG_CHARS)}, ${vbaCount(options.maxValueChars, DEFAULT_MAX_VALUE_CHARS)}, ${vbaCount(options.maxItems, DEFAULT_MAX_ITEMS)}`,
    "    Swrt_LoadStrings",
    "    Swrt_BindParams",
    "    Swrt_Phase = 1",
    `    ${call}`,
    `    ${LINE_VARIABLE} = 0`,
    ...epilogue,
    `    ${ENTRY_POINT} = Swrt_Succeed(Swrt_Value)`,
    "    Exit Function",
    "Swrt_Failed:",
    "    Swrt_Number = Err.Number",
    "    Swrt_Description = Err.Description",
    ...epilogue,
    `    ${ENTRY_POINT} = Swrt_Fail(Swrt_Number, Swrt_Description)`,
    "End Function",
  ].join("\n");
}

/** Statements run after the user's code whatever happened; their own errors are ignored. */
function epilogueProcedure(epilogue: string): string {
  return ["Private Sub Swrt_Epilogue()", "    On Error Resume Next", epilogue, "End Sub"].join("\n");
}

function mainCall(main: Procedure | undefined): string {
  if (!main) return "Swrt_Body Swrt_Value";
  return main.kind === "Function" ? `Swrt_Store Swrt_Value, ${main.name}()` : main.name;
}

export function wrapVba(runtime: RuntimeSource, code: string, options: WrapOptions = {}): Wrapped {
  const lines = logicalLines(code);
  const shape = analyse(code, lines);
  const builder = new ModuleBuilder(code, options.params);
  if (!shape.module) builder.body.push("Private Sub Swrt_Body(Result As Variant)");
  lines.forEach((line, index) => {
    const inBody = shape.module ? shape.bodyOf[index] !== null : !isOptionOrAttribute(line);
    if (inBody) builder.bodyLine(line);
    else builder.moduleLine(line);
  });
  if (!shape.module) builder.body.push("End Sub");

  const header = options.prelude ? options.prelude.split(/\r\n?|\n/) : [];
  const seen = new Set(header.map(normalise));
  const userOptions = builder.options.filter((option) => !seen.has(normalise(option)));
  const epilogue = options.epilogue?.trim() ? epilogueProcedure(options.epilogue) : null;
  const module = [
    ...header,
    ...userOptions,
    runtime.declarations,
    ...builder.body,
    runtime.procedures,
    ...(epilogue ? [epilogue] : []),
    tableLoader(TABLE, "Swrt_LoadStrings", builder.table),
    entryPoint(mainCall(shape.main), options, epilogue !== null),
  ].join("\n");
  // Errors carry the user's line already (Swrt_Line): nothing to subtract.
  return { code: `${module}\n`, lineOffset: 0 };
}

function isOptionOrAttribute(line: LogicalLine): boolean {
  const first = line.statements[0]?.tokens[0];
  return !line.label && (first?.lower === "option" || first?.lower === "attribute");
}

function normalise(line: string): string {
  return line.trim().replace(/\s+/g, " ").toLowerCase();
}
