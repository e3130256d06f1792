// Flags risky operations in UXP JavaScript for the approval policy. Works on the AST, so
// comments and string literals never count. It is a classifier, not a sandbox: code that
// builds names at run time (obj[a + b]) gets through, but eval and new Function are flagged.
import { type Node, parse } from "acorn";
import type { RiskFlag, RiskKind } from "../types.js";
import { PARSE_OPTIONS } from "./preflight.js";

// biome-ignore lint/suspicious/noExplicitAny: acorn nodes are walked generically by their fields.
type AnyNode = Node & Record<string, any>;

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

function isNode(value: unknown): value is AnyNode {
  return (
    typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string"
  );
}

/** Every node with its parent and the field of the parent it sits in. */
function walk(node: AnyNode, visit: (node: AnyNode, parent: AnyNode | null, key: string) => void): void {
  const stack: [AnyNode, AnyNode | null, string][] = [[node, null, ""]];
  while (stack.length > 0) {
    const [current, parent, key] = stack.pop()!;
    visit(current, parent, key);
    for (const field of Object.keys(current)) {
      if (field === "loc") continue;
      const child = current[field];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--)
          if (isNode(child[i])) stack.push([child[i], current, field]);
      } else if (isNode(child)) {
        stack.push([child, current, field]);
      }
    }
  }
}

/** The name a member expression reads: `a.b` and `a["b"]` both give "b". */
function memberName(node: AnyNode): string | undefined {
  if (node.type !== "MemberExpression") return undefined;
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  if (node.computed && node.property.type === "Literal" && typeof node.property.value === "string") {
    return node.property.value;
  }
  return undefined;
}

/** `require("x")` → "x". */
function requiredModule(node: AnyNode): string | undefined {
  if (node.type !== "CallExpression" || node.callee.type !== "Identifier" || node.callee.name !== "require") {
    return undefined;
  }
  const first = node.arguments[0];
  return first?.type === "Literal" && typeof first.value === "string" ? first.value : undefined;
}

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

/** An identifier used as a name in the code (not a property key or a member's property). */
function isReference(node: AnyNode, parent: AnyNode | null, key: string): boolean {
  if (!parent) return true;
  if (parent.type === "MemberExpression" && key === "property" && !parent.computed) return false;
  if (
    (parent.type === "Property" ||
      parent.type === "MethodDefinition" ||
      parent.type === "PropertyDefinition") &&
    key === "key" &&
    !parent.computed
  ) {
    return parent.type === "Property" && parent.shorthand && node === parent.value;
  }
  return !(
    parent.type === "LabeledStatement" ||
    parent.type === "BreakStatement" ||
    parent.type === "ContinueStatement"
  );
}

export function riskUxp(code: string): RiskFlag[] {
  let program: AnyNode;
  try {
    program = parse(code, PARSE_OPTIONS) as AnyNode;
  } catch {
    return []; // preflight rejects it: it never runs
  }
  const flags: RiskFlag[] = [];
  const seen = new Set<string>();
  const flag = (kind: RiskKind, reason: string, node: AnyNode) => {
    const line = node.loc?.start.line as number | undefined;
    const id = `${kind}:${line}:${reason}`;
    if (seen.has(id)) return;
    seen.add(id);
    flags.push(line === undefined ? { kind, reason } : { kind, reason, line });
  };

  let usesFiles = false;
  walk(program, (node) => {
    const module = requiredModule(node);
    if (module && FILE_MODULES.has(module)) usesFiles = true;
    if (node.type === "Identifier" && (node.name === "localFileSystem" || node.name === "storage"))
      usesFiles = true;
  });

  walk(program, (node, parent, key) => {
    const module = requiredModule(node);
    if (module !== undefined) {
      if (PROCESS_MODULES.has(module)) flag("process", `loads the "${module}" module (runs programs)`, node);
      if (NETWORK_MODULES.has(module)) flag("network", `loads the "${module}" module (network access)`, node);
    }

    if (node.type === "Identifier" && isReference(node, parent, key)) {
      if (NETWORK_GLOBALS.has(node.name)) flag("network", `uses ${node.name} (network access)`, node);
      if (node.name === "eval") flag("dynamic-code", "uses eval (runs code built at run time)", node);
    }

    if (
      (node.type === "CallExpression" || node.type === "NewExpression") &&
      node.callee.type === "Identifier"
    ) {
      const callee = node.callee.name;
      if (callee === "Function")
        flag("dynamic-code", "uses the Function constructor (runs code built at run time)", node);
      if ((callee === "setTimeout" || callee === "setInterval") && node.arguments[0]?.type !== undefined) {
        const first = node.arguments[0] as AnyNode;
        if (first.type === "Literal" && typeof first.value === "string") {
          flag("dynamic-code", `${callee} with a string runs it as code`, node);
        }
      }
    }

    const name = memberName(node);
    if (name === undefined) return;
    const call = parent?.type === "CallExpression" && key === "callee" ? parent : null;
    const args: AnyNode[] = call ? call.arguments : [];
    const onGlobal = node.object.type === "Identifier" && GLOBAL_OBJECTS.has(node.object.name);
    if (onGlobal && NETWORK_GLOBALS.has(name)) flag("network", `uses ${name} (network access)`, node);
    if (onGlobal && name === "eval") flag("dynamic-code", "uses eval (runs code built at run time)", node);
    if (onGlobal && name === "Function" && (parent?.type === "NewExpression" || call)) {
      flag("dynamic-code", "uses the Function constructor (runs code built at run time)", node);
    }
    if (
      name === "quit" ||
      (name === "exit" && node.object.type === "Identifier" && node.object.name === "process")
    ) {
      flag("app-quit", `calls ${name} (quits the application)`, node);
    }
    if (name === "openExternal" || name === "openPath") {
      flag("process", `shell.${name} opens a program or URL outside Premiere`, node);
    }
    if (!call) return;
    if (FS_DELETE.has(name)) flag("file-delete", `${name}() deletes files`, node);
    if (FS_WRITE.has(name)) flag("file-overwrite", `${name}() writes or replaces files`, node);
    if (name === "saveAs")
      flag("file-overwrite", "saveAs() writes a file that may replace an existing one", node);
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
    if (usesFiles && name === "delete" && args.length === 0)
      flag("file-delete", "entry.delete() deletes a file or folder", node);
    if (usesFiles && name === "write") flag("file-overwrite", "file.write() writes to a file", node);
  });
  return flags.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
