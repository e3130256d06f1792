// The bridge parses the script with acorn exactly as the panel's engine will see it: a
// script (not a module) whose top level may `await` and `return`, because the wrapper
// runs it inside an async function.
import type { Options } from "acorn";
import { parseJavaScript } from "../js-parse.js";
import type { PreflightIssue } from "../types.js";

export const PARSE_OPTIONS: Options = {
  ecmaVersion: "latest",
  sourceType: "script",
  allowAwaitOutsideFunction: true,
  allowReturnOutsideFunction: true,
  allowHashBang: true,
  locations: true,
};

interface AcornSyntaxError extends SyntaxError {
  loc?: { line: number; column: number };
}

function hintFor(message: string): string | undefined {
  if (/'import' and 'export'/.test(message)) {
    return 'UXP scripts are not modules: load APIs with require, e.g. const ppro = require("premierepro"); end with the value to return instead of export';
  }
  if (/await is only valid|Cannot use keyword 'await'/.test(message)) {
    return "await works at the top level and inside async functions";
  }
  return undefined;
}

export function preflightUxp(code: string): PreflightIssue[] {
  try {
    parseJavaScript(code, PARSE_OPTIONS);
    return [];
  } catch (cause) {
    const error = cause as AcornSyntaxError;
    const message = (error.message ?? String(cause)).replace(/\s*\(\d+:\d+\)$/, "");
    const issue: PreflightIssue = {
      message,
      line: error.loc?.line ?? 1,
      column: (error.loc?.column ?? 0) + 1,
    };
    const hint = hintFor(message);
    if (hint) issue.hint = hint;
    return [issue];
  }
}
