// Flags risky operations in UXP JavaScript for the approval policy, in any UXP host: the
// language's own (require("uxp") storage writes and deletes, shell.openExternal/openPath,
// node-style fs, child_process, the network). An app's object model (Premiere's project
// close/save) is that app's rules, in adapters/<app>/risk-rules.ts. Works on the AST, so
// comments and string literals never count; member chains are read as dotted names through
// variables and require(). A classifier, not a sandbox: it fails closed on what it cannot
// read (a member chosen at run time and called, a key built from strings, require() of a
// computed module, eval, the Function constructor), flagging it as dynamic code.
import { parseJavaScript } from "../js-parse.js";
import {
  type AnyNode,
  collectAliases,
  flagDynamicAccess,
  flagNames,
  isReference,
  JS_NAME_RULES,
  lineOf,
  memberName,
  namesOf,
  requiredModule,
  walk,
} from "../js-risk.js";
import { kindReason, RiskFlags } from "../risk-flags.js";
import { appNameRules } from "../risk-names.js";
import type { AppRiskRule, RiskFlag, RiskKind } from "../types.js";
import { PARSE_OPTIONS } from "./preflight.js";

const PROCESS_MODULES = new Set(["child_process", "node:child_process", "shell", "os", "node:os"]);
const NETWORK_MODULES = new Set(["http", "https", "net", "node:http", "node:https", "node:net", "dgram"]);
/** Modules whose file APIs make the ambiguous method names (`delete`, `write`) file operations. */
const FILE_MODULES = new Set(["uxp", "fs", "node:fs", "fs/promises", "node:fs/promises"]);
const NETWORK_GLOBALS = new Set(["fetch", "WebSocket", "XMLHttpRequest", "EventSource"]);
const GLOBAL_OBJECTS = new Set(["window", "globalThis", "self", "global"]);
const FS_DELETE = new Set(["unlink", "unlinkSync", "rm", "rmSync", "rmdir", "rmdirSync"]);
const FS_WRITE = new Set([
  "writeFile",
  "writeFileSync",
  "appendFile",
  "appendFileSync",
  "rename",
  "renameSync",
  "copyFile",
  "copyFileSync",
]);

/** True when an argument is an object literal with `overwrite` not literally false. */
function asksOverwrite(args: AnyNode[]): boolean {
  return args.some(
    (arg) =>
      arg.type === "ObjectExpression" &&
      arg.properties.some(
        (p: AnyNode) =>
          p.type === "Property" &&
          ((p.key.type === "Identifier" && !p.computed && p.key.name === "overwrite") ||
            (p.key.type === "Literal" && p.key.value === "overwrite")) &&
          !(p.value.type === "Literal" && (p.value.value === false || p.value.value === 0)),
      ),
  );
}

/** Whether the script loads a file API, which makes `.delete()` and `.write()` file operations. */
function usesFileApi(program: AnyNode): boolean {
  let uses = false;
  walk(program, (node) => {
    const module = requiredModule(node);
    if (module && FILE_MODULES.has(module)) uses = true;
    if (node.type === "Identifier" && (node.name === "localFileSystem" || node.name === "storage"))
      uses = true;
  });
  return uses;
}

export function riskUxp(code: string, appRules: readonly AppRiskRule[] = []): RiskFlag[] {
  let program: AnyNode;
  try {
    program = parseJavaScript(code, PARSE_OPTIONS) as AnyNode;
  } catch {
    return []; // preflight rejects it: it never runs
  }
  const flags = new RiskFlags();
  const flag = (kind: RiskKind, reason: string, node: AnyNode) => flags.add(kind, reason, lineOf(node));
  const aliases = collectAliases(program);
  const usesFiles = usesFileApi(program);

  walk(program, (node, parent, key) => {
    const module = requiredModule(node);
    if (module !== undefined) {
      if (PROCESS_MODULES.has(module)) flag("process", `loads the "${module}" module (runs programs)`, node);
      if (NETWORK_MODULES.has(module)) flag("network", `loads the "${module}" module (network access)`, node);
    }
    if (node.type === "Identifier" && isReference(node, parent, key) && NETWORK_GLOBALS.has(node.name)) {
      flag("network", `uses ${node.name} (network access)`, node);
    }

    const name = memberName(node);
    if (name === undefined) return;
    const call = parent?.type === "CallExpression" && key === "callee" ? parent : null;
    const args: AnyNode[] = call ? call.arguments : [];
    const onGlobal = node.object.type === "Identifier" && GLOBAL_OBJECTS.has(node.object.name);
    if (onGlobal && NETWORK_GLOBALS.has(name)) flag("network", `uses ${name} (network access)`, node);
    if (name === "exit" && namesOf(node.object, aliases).includes("process")) {
      flag("app-quit", kindReason("app-quit", "process.exit"), node);
    }
    if (name === "openExternal" || name === "openPath") {
      flag("process", `shell.${name} opens a program or URL outside the app`, node);
    }
    if (!call) return;
    if (FS_DELETE.has(name)) flag("file-delete", `${name}() deletes files`, node);
    if (FS_WRITE.has(name)) flag("file-overwrite", `${name}() writes or replaces files`, node);
    if ((name === "createFile" || name === "createEntry" || name === "copyTo") && asksOverwrite(args)) {
      flag("file-overwrite", `${name}() with overwrite replaces an existing file`, node);
    }
    if (name === "moveTo") {
      flag(
        asksOverwrite(args) ? "file-overwrite" : "file-delete",
        "moveTo() moves a file away from its place",
        node,
      );
    }
    if (usesFiles && name === "delete" && args.length === 0) {
      flag("file-delete", "entry.delete() deletes a file or folder", node);
    }
    if (usesFiles && name === "write") flag("file-overwrite", "file.write() writes to a file", node);
  });
  flagNames(program, aliases, [JS_NAME_RULES, appNameRules(appRules)], flags);
  flagDynamicAccess(program, aliases, flags);
  return flags.list();
}
