// Builds the ExtendScript a CEP panel evaluates with __adobe_cep__.evalScript. evalScript
// returns the value of the program's last expression as a string, so the wrapped code is
// one IIFE whose value is the envelope text:
//
//   (function () {
//   <runtime: function __scriptwright_v1(userFn, epilogueFn, params, options) {…}>
//   return __scriptwright_v1(function (log, params) {
//   <prelude lines>
//   <user code, its last expression statement rewritten as `return (<expr>);` in place>
//   }, <epilogue function or null>, <params as a JSON literal>, {…caps});
//   })();
//
// The user's code starts at column 1 of line lineOffset + 1 and keeps its own line breaks,
// so a wrapped line L is the user's line L - lineOffset.

import type { Node } from "acorn";
import { paramsJson } from "../../envelope.js";
import { parseJavaScript } from "../../js-parse.js";
import type { WrapOptions, Wrapped } from "../../types.js";
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ITEMS,
  DEFAULT_MAX_LOG_CHARS,
  DEFAULT_MAX_VALUE_CHARS,
} from "./envelope.js";
import { RUNTIME_FUNCTION } from "./runtime-source.js";
import { rewriteDirectivesForRun } from "./source.js";

interface Statement extends Node {
  expression?: Node;
}

/** Statements after the last expression that do not stop it being the result. */
const TRANSPARENT = new Set(["EmptyStatement", "FunctionDeclaration"]);

/** Inserted before the final expression; its length is undone on error columns of that line. */
export const RETURN_PREFIX = "return (";

export interface Rewritten {
  code: string;
  /** Where `return (` was inserted (1-based, in the code given), when it was. */
  returnAt?: { line: number; column: number };
}

/**
 * Rewrites the final top-level expression statement as `return (<expr>);` in place (same
 * lines, same columns before it). Code that does not parse is left alone: preflight reports it.
 */
export function returnLastExpression(code: string): Rewritten {
  let body: Statement[];
  try {
    const program = parseJavaScript(code, {
      ecmaVersion: "latest",
      sourceType: "script",
      allowReturnOutsideFunction: true,
      locations: true,
    }) as unknown as { body: Statement[] };
    body = program.body;
  } catch {
    return { code };
  }
  let last: Statement | undefined;
  for (let i = body.length - 1; i >= 0; i--) {
    const statement = body[i]!;
    if (TRANSPARENT.has(statement.type)) continue;
    last = statement;
    break;
  }
  if (last?.type !== "ExpressionStatement" || last.expression === undefined || !last.loc) return { code };
  const expression = last.expression;
  return {
    code: `${code.slice(0, last.start)}${RETURN_PREFIX}${code.slice(expression.start, expression.end)});${code.slice(last.end)}`,
    returnAt: { line: last.loc.start.line, column: last.loc.start.column + 1 },
  };
}

function count(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value) || value < 0) return fallback;
  return Math.floor(value);
}

/**
 * Params as an ES3 literal: JSON text is one, once every non-ASCII character (U+2028 and
 * U+2029 end lines in ES3 strings) is escaped. Data only: JSON has no code.
 */
export function paramsLiteral(params: unknown): string {
  return paramsJson(params).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) lines++;
  return lines;
}

export function wrapExtendScript(runtime: string, code: string, options: WrapOptions = {}): Wrapped {
  const user = returnLastExpression(rewriteDirectivesForRun(code));
  const prelude = options.prelude ? `${rewriteDirectivesForRun(options.prelude)}\n` : "";
  const epilogue = options.epilogue
    ? `function (log, params) {\n${rewriteDirectivesForRun(options.epilogue)}\n}`
    : "null";
  const head = `(function () {\n${runtime}\nreturn ${RUNTIME_FUNCTION}(function (log, params) {\n${prelude}`;
  const lineOffset = countLines(head);
  const caps = [
    `maxLogChars: ${count(options.maxLogChars, DEFAULT_MAX_LOG_CHARS)}`,
    `maxValueChars: ${count(options.maxValueChars, DEFAULT_MAX_VALUE_CHARS)}`,
    `maxItems: ${count(options.maxItems, DEFAULT_MAX_ITEMS)}`,
    `maxDepth: ${DEFAULT_MAX_DEPTH}`,
    // Lines of the wrapped code that are the user's: errors elsewhere carry no line.
    `userFirstLine: ${lineOffset + 1}`,
    `userLastLine: ${lineOffset + countLines(user.code) + 1}`,
    `returnLine: ${user.returnAt ? user.returnAt.line + lineOffset : 0}`,
    `returnColumn: ${user.returnAt ? user.returnAt.column : 0}`,
    `returnShift: ${RETURN_PREFIX.length}`,
  ].join(", ");
  const tail = `\n}, ${epilogue}, ${paramsLiteral(options.params)}, {${caps}});\n})();`;
  return { code: `${head}${user.code}${tail}`, lineOffset };
}
