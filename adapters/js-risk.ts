// What the two JavaScript kits' risk classifiers (ExtendScript and UXP) share: walking
// acorn's tree, reading member chains as dotted names through variable aliases and
// require(), and failing closed on what cannot be read statically (a member chosen at run
// time and called, a key built from strings, a global reached by a computed name, a module
// chosen at run time, eval, the Function constructor, timers given code as a string).
import type { Node } from "acorn";
import { kindReason, type RiskFlags } from "./risk-flags.js";
import { flagName, type NameRules, NameRules as Rules, rulesOfKind } from "./risk-names.js";

// biome-ignore lint/suspicious/noExplicitAny: acorn nodes are walked generically by their fields.
export type AnyNode = Node & Record<string, any>;

/** Names of the global object: a computed member of one of them can be anything. */
const GLOBAL_OBJECTS = new Set(["window", "globalThis", "self", "global", "this", "$.global", "$"]);

/** Run code given as text, whichever language host runs it. */
export const JS_NAME_RULES: NameRules = new Rules([
  ...rulesOfKind("dynamic-code", [
    "eval",
    ...["window", "globalThis", "self", "global", "$.global", "this"].map((g) => `${g}.eval`),
  ]),
  {
    pattern: "Reflect",
    kind: "dynamic-code",
    reason: kindReason("dynamic-code", "Reflect (reaches members by name)"),
  },
]);

export function isNode(value: unknown): value is AnyNode {
  return (
    typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string"
  );
}

/** Every node with its parent and the field of the parent it sits in. */
export function walk(
  node: AnyNode,
  visit: (node: AnyNode, parent: AnyNode | null, key: string) => void,
): void {
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

export function lineOf(node: AnyNode): number | undefined {
  return node.loc?.start.line as number | undefined;
}

/** An identifier used as a name in the code (not a property key or a member's property). */
export function isReference(node: AnyNode, parent: AnyNode | null, key: string): boolean {
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

function stringLiteral(node: AnyNode | undefined): string | undefined {
  if (node?.type === "Literal" && typeof node.value === "string") return node.value;
  if (node?.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return undefined;
}

/** The member a member expression reads when it is written out: `a.b` and `a["b"]` both give "b". */
export function memberName(node: AnyNode): string | undefined {
  if (node.type !== "MemberExpression") return undefined;
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  return node.computed ? stringLiteral(node.property) : undefined;
}

/** The literal module name given to `require(…)` or `import(…)`. */
export function requiredModule(node: AnyNode): string | undefined {
  if (node.type === "ImportExpression") return stringLiteral(node.source);
  if (node.type !== "CallExpression" || node.callee.type !== "Identifier" || node.callee.name !== "require") {
    return undefined;
  }
  return stringLiteral(node.arguments[0]);
}

/** Variable → the dotted names it may hold (`const fs = require("uxp").storage.localFileSystem`). */
export type Aliases = Map<string, string[]>;

/**
 * The dotted names an expression may stand for, calls and indexes left out (`app.project.item(1)`
 * is app.project.item; `require("uxp").shell` is uxp.shell). "" starts a name reached through
 * something unnamed.
 */
export function namesOf(node: AnyNode, aliases: Aliases): string[] {
  switch (node.type) {
    case "Identifier":
      // The written name too: a variable may also hold what no assignment here shows.
      return [node.name, ...(aliases.get(node.name) ?? [])];
    case "ThisExpression":
      return ["this"];
    case "MemberExpression": {
      const member = memberName(node);
      const bases = namesOf(node.object, aliases);
      return member === undefined ? bases : bases.map((base) => `${base}.${member}`);
    }
    case "CallExpression":
    case "ImportExpression": {
      const module = requiredModule(node);
      if (module !== undefined) return [module];
      return node.type === "CallExpression" ? namesOf(node.callee, aliases) : [""];
    }
    case "NewExpression":
      return namesOf(node.callee, aliases);
    case "AwaitExpression":
      return namesOf(node.argument, aliases);
    case "ChainExpression":
      return namesOf(node.expression, aliases);
    default:
      return [""];
  }
}

/** Names variables are given by declarations and plain assignments, in the code's order. */
export function collectAliases(program: AnyNode): Aliases {
  const aliases: Aliases = new Map();
  const add = (variable: string, names: string[]) => {
    const known = names.filter((name) => name !== "" && name !== variable);
    if (known.length === 0) return;
    aliases.set(variable, [...new Set([...(aliases.get(variable) ?? []), ...known])]);
  };
  const bind = (target: AnyNode, value: AnyNode) => {
    const names = namesOf(value, aliases);
    if (target.type === "Identifier") add(target.name, names);
    if (target.type !== "ObjectPattern") return;
    for (const property of target.properties) {
      const key = property.type === "Property" && !property.computed ? property.key : undefined;
      if (key?.type === "Identifier" && property.value.type === "Identifier") {
        add(
          property.value.name,
          names.map((name) => `${name}.${key.name}`),
        );
      }
    }
  };
  // The walk visits in source order for declarations at one level, which is what aliases need.
  const ordered: AnyNode[] = [];
  walk(program, (node) => {
    if (node.type === "VariableDeclarator" && node.init) ordered.push(node);
    if (node.type === "AssignmentExpression" && node.operator === "=") ordered.push(node);
  });
  ordered.sort((a, b) => a.start - b.start);
  for (const node of ordered) {
    if (node.type === "VariableDeclarator") bind(node.id, node.init);
    else bind(node.left, node.right);
  }
  return aliases;
}

/** Judges every name the code uses (member chains and identifiers) against the rule sets. */
export function flagNames(
  program: AnyNode,
  aliases: Aliases,
  sets: readonly NameRules[],
  flags: RiskFlags,
): void {
  walk(program, (node, parent, key) => {
    const named =
      node.type === "MemberExpression" ||
      (node.type === "Identifier" && isReference(node, parent, key)) ||
      requiredModule(node) !== undefined;
    if (!named) return;
    for (const name of namesOf(node, aliases)) flagName(flags, sets, name, lineOf(node));
  });
}

/** A key built from strings at run time: `"re" + "move"`, a template, `parts.join("")`. */
function isStringBuilt(node: AnyNode): boolean {
  if (node.type === "TemplateLiteral") return node.expressions.length > 0;
  if (node.type === "BinaryExpression" && node.operator === "+") {
    return [node.left, node.right].some(
      (side: AnyNode) => (side.type === "Literal" && typeof side.value === "string") || isStringBuilt(side),
    );
  }
  return node.type === "CallExpression" || node.type === "TaggedTemplateExpression";
}

/** True when the node in `parent`'s `key` is called: `x()`, `new x()`, `x.call(…)`, `x.apply(…)`, `x.bind(…)`. */
function isCalled(parent: AnyNode | null, key: string, parents: Map<AnyNode, AnyNode>): boolean {
  if ((parent?.type === "CallExpression" || parent?.type === "NewExpression") && key === "callee")
    return true;
  if (parent?.type === "TaggedTemplateExpression" && key === "tag") return true;
  if (
    parent?.type === "MemberExpression" &&
    key === "object" &&
    ["call", "apply", "bind"].includes(memberName(parent) ?? "")
  ) {
    const grand = parents.get(parent);
    return grand?.type === "CallExpression" && grand.callee === parent;
  }
  return false;
}

/** Functions the code declares or assigns by name: a timer given one of these runs code, not text. */
function functionNames(program: AnyNode): Set<string> {
  const names = new Set<string>();
  walk(program, (node) => {
    if (node.type === "FunctionDeclaration" && node.id) names.add(node.id.name);
    const isFunction = (value: AnyNode | undefined) =>
      value?.type === "FunctionExpression" || value?.type === "ArrowFunctionExpression";
    if (node.type === "VariableDeclarator" && node.id.type === "Identifier" && isFunction(node.init)) {
      names.add(node.id.name);
    }
  });
  return names;
}

const TIMERS = new Set(["setTimeout", "setInterval", "setImmediate"]);

/**
 * Fails closed on what a static reading cannot follow: each is flagged as dynamic code.
 * The caller's own rules still judge the names it can read.
 */
export function flagDynamicAccess(program: AnyNode, aliases: Aliases, flags: RiskFlags): void {
  const parents = new Map<AnyNode, AnyNode>();
  walk(program, (node, parent) => {
    if (parent) parents.set(node, parent);
  });
  const functions = functionNames(program);
  const dynamic = (what: string, node: AnyNode) =>
    flags.add("dynamic-code", kindReason("dynamic-code", what), lineOf(node));

  walk(program, (node, parent, key) => {
    if (node.type === "MemberExpression" && node.computed && memberName(node) === undefined) {
      const onGlobal = namesOf(node.object, aliases).some((name) => GLOBAL_OBJECTS.has(name));
      if (onGlobal) dynamic("a global reached by a name computed at run time", node);
      else if (isStringBuilt(node.property))
        dynamic("a member whose name is built from strings at run time", node);
      else if (isCalled(parent, key, parents))
        dynamic("calls a member chosen at run time (obj[name]())", node);
    }
    if (
      node.type === "MemberExpression" &&
      memberName(node) === "constructor" &&
      isCalled(parent, key, parents)
    ) {
      dynamic("calls a constructor reached through .constructor (the Function constructor among them)", node);
    }
    if (node.type === "ImportExpression" && stringLiteral(node.source) === undefined) {
      dynamic("import() of a module chosen at run time", node);
    }
    if (node.type !== "CallExpression" && node.type !== "NewExpression") return;
    const callee = namesOf(node.callee, aliases);
    const last = callee.map((name) => name.split(".").at(-1)!);
    if (callee.includes("require") && requiredModule(node) === undefined) {
      dynamic("require() of a module chosen at run time", node);
    }
    if (
      callee.some(
        (name) =>
          name === "Function" || /^(?:window|globalThis|self|global|\$\.global)\.Function$/.test(name),
      )
    ) {
      dynamic("the Function constructor (compiles code built at run time)", node);
    }
    if (last.some((name) => TIMERS.has(name))) {
      const first = node.arguments[0] as AnyNode | undefined;
      const runsFunction =
        first?.type === "FunctionExpression" ||
        first?.type === "ArrowFunctionExpression" ||
        (first?.type === "Identifier" && functions.has(first.name));
      if (first && !runsFunction)
        dynamic(`${last.find((name) => TIMERS.has(name))} given code that may be a string`, node);
    }
  });
}
