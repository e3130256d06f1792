// A Python call's arguments as tokens, and what they say: a plain string literal's text, or
// the mode an open()-like call is given.
import { kindReason } from "../risk-flags.js";
import { isName, isOp } from "./risk-imports.js";
import type { Token } from "./tokens.js";

const WRITE_MODE = /[wax+]/;
const MODE_LIKE = /^[rwxabtU+]{1,4}$/;

/** The index of the bracket closing the one at `open`, or the token count when it never closes. */
export function closingBracket(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== "op") continue;
    if (token.text === "(" || token.text === "[" || token.text === "{") depth++;
    else if ((token.text === ")" || token.text === "]" || token.text === "}") && --depth === 0) return i;
  }
  return tokens.length;
}

/** The call's arguments, each as its tokens, when tokens[open] is `(`. */
export function callArguments(tokens: Token[], open: number): Token[][] {
  const args: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === "op" && ["(", "[", "{"].includes(token.text)) depth++;
    if (token.kind === "op" && [")", "]", "}"].includes(token.text)) {
      if (depth === 0) break;
      depth--;
    }
    if (depth === 0 && isOp(token, ",")) {
      args.push(current);
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) args.push(current);
  return args;
}

/** The text of an argument that is only plain string literals, else undefined. */
export function literalText(arg: Token[] | undefined): string | undefined {
  if (!arg || arg.length === 0 || !arg.every((t) => t.kind === "string" && !/[ft]/.test(t.prefix ?? ""))) {
    return undefined;
  }
  return arg.map((t) => t.body ?? "").join("");
}

/** Positional arguments, or undefined when a `*args` / `**kwargs` hides where they fall. */
export function positionalArguments(args: Token[][]): Token[][] | undefined {
  if (args.some((arg) => isOp(arg[0], "*") || isOp(arg[0], "**"))) return undefined;
  return args.filter((arg) => !(isName(arg[0]) && isOp(arg[1], "=")));
}

type ModeArgument = { kind: "absent" } | { kind: "literal"; mode: string } | { kind: "computed" };

function modeArgument(args: Token[][], position: number): ModeArgument {
  const keyword = args.find((arg) => isName(arg[0], "mode") && isOp(arg[1], "="));
  if (keyword) {
    const mode = literalText(keyword.slice(2));
    return mode === undefined ? { kind: "computed" } : { kind: "literal", mode };
  }
  const positional = args.filter((arg) => !(isName(arg[0]) && isOp(arg[1], "=")));
  const unpacked = positional.some((arg) => isOp(arg[0], "*") || isOp(arg[0], "**"));
  const candidate = positional[position];
  if (candidate === undefined) {
    const kwargs = args.some((arg) => isOp(arg[0], "**"));
    return unpacked || kwargs ? { kind: "computed" } : { kind: "absent" };
  }
  const mode = literalText(candidate);
  return mode === undefined ? { kind: "computed" } : { kind: "literal", mode };
}

/** `open(path, "w")`-style calls: a reason when the mode writes or is not known. */
export function openCallReason(name: string, args: Token[][], position: number): string | undefined {
  const mode = modeArgument(args, position);
  if (mode.kind === "literal" && WRITE_MODE.test(mode.mode)) {
    return kindReason("file-overwrite", `${name}(…, ${JSON.stringify(mode.mode)})`);
  }
  if (mode.kind === "computed") return `may write files: ${name}() with a mode computed at run time`;
  return undefined;
}

/** `something.open(...)`: a reason only for a literal write mode (too many readers use `.open`). */
export function openMethodReason(args: Token[][]): string | undefined {
  const keyword = args.find((arg) => isName(arg[0], "mode") && isOp(arg[1], "="));
  const candidates = keyword ? [keyword.slice(2)] : args.slice(0, 2);
  for (const arg of candidates) {
    const mode = literalText(arg);
    if (mode !== undefined && MODE_LIKE.test(mode) && WRITE_MODE.test(mode)) {
      return kindReason("file-overwrite", `.open(…, ${JSON.stringify(mode)})`);
    }
  }
  return undefined;
}
