// Builds the function body a UXP panel runs as
//   const output = await (new Function(code))();
// The body returns a Promise of the envelope text. The user's code runs inside its own
// async function (top-level await and `return` work, its names never clash with the
// wrapper's), with its last expression statement turned into `return (...)` so that its
// value is the result. Every wrapper line sits before or after the user's code on lines
// of its own, so the runtime maps engine lines back with one offset.

import type { ExpressionStatement, Statement } from "acorn";
import { paramsJson } from "../envelope.js";
import { parseJavaScript } from "../js-parse.js";
import type { WrapOptions, Wrapped } from "../types.js";
import { DEFAULT_MAX_ITEMS, DEFAULT_MAX_LOG_CHARS, DEFAULT_MAX_VALUE_CHARS } from "./envelope.js";
import { PARSE_OPTIONS } from "./preflight.js";
import { RUNTIME_SOURCE } from "./runtime-source.js";

/** Lines V8 puts before the body in `new Function` ("function anonymous(", ") {"), measured in Node 20. */
export const V8_FUNCTION_HEADER_LINES = 2;

/** The user's code with its final expression statement returned; unchanged when it does not parse. */
export function returnFinalExpression(code: string): string {
  let body: Statement[];
  try {
    body = parseJavaScript(code, PARSE_OPTIONS).body as Statement[];
  } catch {
    return code;
  }
  let last: Statement | undefined;
  for (let i = body.length - 1; i >= 0; i--) {
    if (body[i]!.type !== "EmptyStatement") {
      last = body[i];
      break;
    }
  }
  if (last?.type !== "ExpressionStatement") return code;
  const expression = (last as ExpressionStatement).expression;
  // Same text, same lines: only `return (` before and `);` after the expression.
  return `${code.slice(0, last.start)}return (${code.slice(expression.start, expression.end)});${code.slice(last.end)}`;
}

function count(value: number | undefined, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Lines as a JavaScript engine counts them. */
function lineCount(text: string): number {
  return text.split(/\r\n|[\n\r\u2028\u2029]/).length;
}

/** Adapter code (prelude, epilogue) as lines the wrapper can count. */
function lines(text: string): string[] {
  return text.split(/\r\n|[\n\r\u2028\u2029]/);
}

export function wrapUxp(code: string, options: WrapOptions = {}): Wrapped {
  const user = returnFinalExpression(code);
  const runtimeLines = RUNTIME_SOURCE.split("\n");
  const head: string[] = [
    "return (async function () {",
    `const __sw = ${runtimeLines[0]}`,
    ...runtimeLines.slice(1),
  ];
  head[head.length - 1] += ";";
  const probeLine = head.length + 1;
  // Filled in once the number of lines before the user's code is known (it does not change the count).
  head.push("");
  head.push(
    "let __sw_value;",
    "try {",
    "let log = __sw_run.log, params = __sw_run.params, edit = __sw_run.edit;",
  );
  if (options.prelude) head.push(...lines(options.prelude));
  head.push("try {", "__sw_value = await (async function () {");
  const lineOffset = head.length;
  const config = {
    probeLine,
    lineOffset,
    userLines: lineCount(code),
    maxLogChars: count(options.maxLogChars, DEFAULT_MAX_LOG_CHARS),
    maxValueChars: count(options.maxValueChars, DEFAULT_MAX_VALUE_CHARS),
    maxItems: count(options.maxItems, DEFAULT_MAX_ITEMS),
  };
  head[probeLine - 1] =
    `const __sw_run = __sw.start(${JSON.stringify(config)}, ${JSON.stringify(paramsJson(options.params))}, new Error("scriptwright probe"));`;
  const tail = ["}).call(undefined);", "} finally {"];
  if (options.epilogue) {
    tail.push(
      "try {",
      ...lines(options.epilogue),
      "} catch (__sw_e) {",
      "__sw_run.epilogueFailed(__sw_e);",
      "}",
    );
  }
  tail.push(
    "}",
    "} catch (__sw_error) {",
    "__sw_run.fail(__sw_error);",
    "}",
    "return __sw_run.finish(__sw_value);",
    "})();",
  );
  return { code: `${head.join("\n")}\n${user}\n${tail.join("\n")}\n`, lineOffset };
}
