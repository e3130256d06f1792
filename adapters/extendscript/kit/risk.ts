// Flags risky operations in ExtendScript for the approval policy. Works on acorn's tree, so
// comments and string literals never count; member chains are read as dotted names
// (`app.project.item(1).remove` through variables too) and judged against the kit's rules
// and the app's. It is a classifier, not a sandbox, and fails closed: a member chosen at run
// time and called (obj["re" + "move"]()), a computed key on $.global or this, eval and the
// Function constructor are flagged as dynamic code; code that does not parse is scanned as
// text.
import { parseJavaScript } from "../../js-parse.js";
import {
  type Aliases,
  type AnyNode,
  collectAliases,
  flagDynamicAccess,
  flagNames,
  JS_NAME_RULES,
  lineOf,
  memberName,
  namesOf,
  walk,
} from "../../js-risk.js";
import { kindReason, RiskFlags } from "../../risk-flags.js";
import { appNameRules, patternTextRegExp } from "../../risk-names.js";
import type { AppRiskRule, RiskFlag } from "../../types.js";
import { EXTENDSCRIPT_NAME_RULES, FILE_CONSTRUCTORS, FILE_LIKE, TEXT_RULES } from "./risk-rules.js";
import { blankDirectives, findDirectives } from "./source.js";

/** The word a receiver is written as: `f`, `files[i]` → files, `new File(p)` → File, `a.b` → b. */
function writtenWord(node: AnyNode): string | undefined {
  switch (node.type) {
    case "Identifier":
      return node.name;
    case "ThisExpression":
      return "this";
    case "MemberExpression":
      return memberName(node) ?? writtenWord(node.object);
    case "CallExpression":
    case "NewExpression":
      return writtenWord(node.callee);
    default:
      return undefined;
  }
}

/** A receiver that looks like a File or Folder, by its name or by what was assigned to it. */
function isFileLike(receiver: AnyNode, aliases: Aliases): boolean {
  const word = writtenWord(receiver);
  if (word !== undefined && (FILE_CONSTRUCTORS.has(word) || FILE_LIKE.test(word))) return true;
  return namesOf(receiver, aliases).some((name) => FILE_CONSTRUCTORS.has(name.split(".")[0]!));
}

/** File and Folder methods that delete, overwrite or run files. */
function flagFileCalls(program: AnyNode, aliases: Aliases, flags: RiskFlags): void {
  walk(program, (node) => {
    if (node.type !== "CallExpression" || node.callee.type !== "MemberExpression") return;
    const method = memberName(node.callee);
    if (method === undefined) return;
    const receiver = node.callee.object as AnyNode;
    const on = `${writtenWord(receiver) ?? ""}.${method}`;
    const line = lineOf(node);
    if (method === "execute") {
      flags.add(
        "process",
        kindReason("process", `${on}() (opens or runs a file with its application)`),
        line,
      );
      return;
    }
    if (!isFileLike(receiver, aliases)) return;
    if (method === "remove") flags.add("file-delete", kindReason("file-delete", `${on}()`), line);
    if (method === "copy" || method === "rename") {
      flags.add(
        "file-overwrite",
        kindReason("file-overwrite", `${on}() (may replace an existing file)`),
        line,
      );
    }
    const mode = node.arguments[0] as AnyNode | undefined;
    if (method === "open" && mode?.type === "Literal" && /^[wae]/i.test(String(mode.value))) {
      flags.add("file-overwrite", kindReason("file-overwrite", `${on}("${String(mode.value)}")`), line);
    }
  });
}

/** For code that does not parse: a plain text scan, comment lines skipped (conservative). */
function scanText(source: string, appRules: readonly AppRiskRule[], flags: RiskFlags): void {
  const appPatterns = appRules.map((rule) => [patternTextRegExp(rule.pattern), rule] as const);
  const note = " (found by a text scan: the code has a syntax error)";
  source.split("\n").forEach((text, index) => {
    const line = text.replace(/\/\/.*$/, "");
    for (const [pattern, kind, reason] of TEXT_RULES) {
      if (pattern.test(line)) flags.add(kind, `${kindReason(kind, reason)}${note}`, index + 1);
    }
    for (const [pattern, rule] of appPatterns) {
      if (pattern.test(line)) flags.add(rule.kind, `${rule.reason}${note}`, index + 1);
    }
  });
}

export function riskExtendScript(code: string, appRules: readonly AppRiskRule[] = []): RiskFlag[] {
  const flags = new RiskFlags();
  for (const directive of findDirectives(code)) {
    if (directive.name === "include") {
      flags.add(
        "dynamic-code",
        kindReason("dynamic-code", `${directive.text} (code from a file)`),
        directive.line,
      );
    }
  }
  const source = blankDirectives(code);
  let program: AnyNode;
  try {
    program = parseJavaScript(source, {
      ecmaVersion: "latest",
      allowReturnOutsideFunction: true,
      locations: true,
    }) as unknown as AnyNode;
  } catch {
    scanText(source, appRules, flags);
    return flags.list();
  }
  const aliases = collectAliases(program);
  flagNames(program, aliases, [EXTENDSCRIPT_NAME_RULES, JS_NAME_RULES, appNameRules(appRules)], flags);
  flagFileCalls(program, aliases, flags);
  flagDynamicAccess(program, aliases, flags);
  return flags.list();
}
