// Turning bridge-side strings into VBA source that denotes them exactly. The module text
// stays printable ASCII: Excel's VBA editor stores code in the system's ANSI code page, so
// any other character is written as ChrW(n). VBA also caps a physical line at 1023
// characters and a procedure's size, so long text is built over several statements and
// procedures.

/** Characters kept inside a "…" literal: printable ASCII (the quote itself is doubled). */
function isPlain(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

const MAX_RUN = 200;

/** The pieces of a VBA expression equal to `text`: "literals" and ChrW(n), joined with &. */
export function stringPieces(text: string): string[] {
  const pieces: string[] = [];
  let run = "";
  const flush = () => {
    if (run) pieces.push(`"${run.replace(/"/g, '""')}"`);
    run = "";
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isPlain(code)) {
      run += text[i];
      if (run.length >= MAX_RUN) flush();
    } else {
      flush();
      pieces.push(`ChrW(${code})`);
    }
  }
  flush();
  return pieces.length ? pieces : ['""'];
}

/** True when the text needs more than one plain literal to be written in VBA. */
export function needsTable(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isPlain(text.charCodeAt(i))) return true;
  return false;
}

const LINE_BUDGET = 900;
const STATEMENTS_PER_PROCEDURE = 150;

/**
 * Procedures that fill `array(0..n-1)` with `texts`, and the statements that call them.
 * Each statement appends pieces to its slot, so no line gets long.
 */
export function tableLoader(array: string, loader: string, texts: readonly string[]): string {
  const statements: string[] = [`ReDim ${array}(0 To ${Math.max(texts.length - 1, 0)})`];
  texts.forEach((text, index) => {
    const target = `${array}(${index})`;
    let line = "";
    for (const piece of stringPieces(text)) {
      if (line && line.length + piece.length + 3 > LINE_BUDGET) {
        statements.push(`${target} = ${target} & ${line}`);
        line = "";
      }
      line = line ? `${line} & ${piece}` : piece;
    }
    statements.push(`${target} = ${target} & ${line}`);
  });
  const parts: string[] = [];
  const calls: string[] = [];
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_PROCEDURE) {
    const name = `${loader}${parts.length + 1}`;
    calls.push(`    ${name}`);
    parts.push(
      [
        `Private Sub ${name}()`,
        ...statements.slice(i, i + STATEMENTS_PER_PROCEDURE).map((s) => `    ${s}`),
        "End Sub",
      ].join("\n"),
    );
  }
  parts.push([`Private Sub ${loader}()`, ...calls, "End Sub"].join("\n"));
  return parts.join("\n");
}

/** A non-negative whole number for the runtime, falling back when the value is not usable. */
export function vbaCount(value: number | undefined, fallback: number): string {
  if (value === undefined || !Number.isFinite(value) || value < 0) return String(fallback);
  return String(Math.min(Math.floor(value), 2_000_000_000));
}
