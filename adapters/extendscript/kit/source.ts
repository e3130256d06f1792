// Source-level helpers shared by preflight, wrap and risk: ExtendScript's preprocessor
// directives are not JavaScript, so they are blanked (line numbers kept) before parsing.

/** ExtendScript preprocessor directives, only at the start of a line. */
const DIRECTIVE = /^[ \t]*#(target|targetengine|include|includepath|strict|script|engine)\b[^\n\r]*/gm;
const INCLUDE = /^[ \t]*#include\b[ \t]*(?:"([^"\n\r]*)"|'([^'\n\r]*)'|([^\s;]+))?[^\n\r]*/gm;

export interface Directive {
  name: string;
  line: number;
  text: string;
}

/** 1-based line of a UTF-16 index. */
export function lineAt(code: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < code.length; i++) if (code.charCodeAt(i) === 0x0a) line++;
  return line;
}

/** The code with each preprocessor directive replaced by nothing (its line stays, empty). */
export function blankDirectives(code: string): string {
  return code.replace(DIRECTIVE, "");
}

export function findDirectives(code: string): Directive[] {
  const found: Directive[] = [];
  for (const match of code.matchAll(DIRECTIVE)) {
    found.push({ name: match[1]!, line: lineAt(code, match.index), text: match[0].trim() });
  }
  return found;
}

/**
 * For wrapping: `#include "x"` becomes `$.evalFile("x");` on the same line (evalScript
 * strings do not reliably honour the preprocessor); every other directive is blanked.
 */
export function rewriteDirectivesForRun(code: string): string {
  return blankDirectives(
    code.replace(INCLUDE, (_all, dq?: string, sq?: string, bare?: string) => {
      const path = dq ?? sq ?? bare;
      return path === undefined ? "" : `$.evalFile(${JSON.stringify(path)});`;
    }),
  );
}
