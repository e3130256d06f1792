// Patterns written by users and models (docs search in regex mode, `pattern` in a macro's
// parameter schema) run on RE2 (the re2js port), whose matching time grows linearly with
// the input. A backtracking engine such as RegExp can spend hours on `(a+)+$` against
// "aaa…ab", freezing the bridge. RE2 has no backreferences and no lookaround: patterns that
// use them are refused with that reason rather than run on a backtracking engine.
import { createRequire } from "node:module";
import type * as Re2js from "re2js";

export interface LinearRegExp {
  /** True when the pattern matches somewhere in `text` (unanchored, like RegExp#test). */
  test(text: string): boolean;
  /** The pattern itself (ajv keys its compiled patterns by this). */
  toString(): string;
}

export class UnsupportedPatternError extends Error {
  override name = "UnsupportedPatternError";
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`regular expression \`${pattern}\` ${reason}`);
  }
}

const WHY =
  "not supported, because patterns run on RE2, a linear-time engine without backreferences or lookaround";

let engine: typeof Re2js | undefined;
/** Loaded on first use: few commands need it, and it costs the CLI's start ~25 ms. */
function re2(): typeof Re2js {
  engine ??= createRequire(import.meta.url)("re2js") as typeof Re2js;
  return engine;
}

export function compileLinear(pattern: string, options: { ignoreCase?: boolean } = {}): LinearRegExp {
  const { RE2JS } = re2();
  let compiled: Re2js.RE2JS;
  try {
    compiled = RE2JS.compile(pattern, options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    throw new UnsupportedPatternError(pattern, reasonFor(error));
  }
  return { test: (text) => compiled.test(text), toString: () => pattern };
}

/** Names what RE2 lacks when that is why it refused; otherwise passes on its syntax error. */
function reasonFor(error: unknown): string {
  const { RE2JSSyntaxException } = re2();
  if (!(error instanceof RE2JSSyntaxException)) return `cannot be compiled: ${(error as Error).message}`;
  const where = error.input ?? "";
  if (/^\(\?<[=!]/.test(where)) return `uses lookbehind ((?<= or (?<!): ${WHY}`;
  if (/^\(\?[=!]/.test(where)) return `uses lookahead ((?= or (?!): ${WHY}`;
  if (/^\\([1-9]|k)/.test(where)) return `uses a backreference (\\1, \\k<name>): ${WHY}`;
  return `is not valid: ${error.error}${where ? ` at \`${where}\`` : ""} (RE2 syntax)`;
}
