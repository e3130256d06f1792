// Bridge-side checks that need no Python parser. The real syntax check is ast.parse in
// the host (no side effects, exact messages), so this only reports what is certain to
// fail there: characters Python can never compile.
import type { PreflightIssue } from "../types.js";

interface Position {
  line: number;
  column: number;
}

/** 1-based line and column (in code points, as Python counts) of a UTF-16 index. */
function positionAt(code: string, index: number): Position {
  let line = 1;
  let column = 1;
  for (let i = 0; i < index; i++) {
    const ch = code.charCodeAt(i);
    if (ch === 0x0a || (ch === 0x0d && code.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      column = 1;
    } else if (!(ch >= 0xdc00 && ch <= 0xdfff && i > 0 && isHighSurrogate(code.charCodeAt(i - 1)))) {
      column++;
    }
  }
  return { line, column };
}

function isHighSurrogate(ch: number): boolean {
  return ch >= 0xd800 && ch <= 0xdbff;
}

function isLowSurrogate(ch: number): boolean {
  return ch >= 0xdc00 && ch <= 0xdfff;
}

function firstLoneSurrogate(code: string): number {
  for (let i = 0; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (isHighSurrogate(ch)) {
      if (isLowSurrogate(code.charCodeAt(i + 1))) i++;
      else return i;
    } else if (isLowSurrogate(ch)) {
      return i;
    }
  }
  return -1;
}

export function preflightPython(code: string): PreflightIssue[] {
  const issues: PreflightIssue[] = [];
  const nul = code.indexOf("\0");
  if (nul >= 0) {
    issues.push({
      message: "the code contains a NUL character, which Python source cannot contain",
      ...positionAt(code, nul),
      hint: 'remove it; write "\\0" or "\\x00" inside a string literal if the character is data',
    });
  }
  const surrogate = firstLoneSurrogate(code);
  if (surrogate >= 0) {
    issues.push({
      message: "the code contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8 source",
      ...positionAt(code, surrogate),
      hint: 'write the character as an escape such as "\\ud800" inside a string literal',
    });
  }
  return issues;
}
