// ES3 check done on the bridge: ExtendScript is ES3, and a syntax error there comes back as
// a bare `EvalScript error.` with no position. The code is parsed with a modern parser and
// walked, so every post-ES3 construct is reported with its position and the ES3 way to
// write it; a second, ES3-only parse catches what the walk does not know (its first error).
// Method calls that may be missing (.map, Object.keys, JSON) are not flagged: some hosts
// polyfill them, and the agent's prompt notes say to avoid them.
import type { Node, Position } from "acorn";
import { parseJavaScript } from "../../js-parse.js";
import type { PreflightIssue } from "../../types.js";
import { blankDirectives } from "./source.js";

interface AnyNode extends Node {
  [key: string]: unknown;
}

interface Rule {
  what: string;
  hint: string;
}

const RULES = {
  letConst: { what: "`let`/`const` declarations", hint: "declare with `var` (function-scoped)" },
  arrow: { what: "arrow functions", hint: "use a function expression: `function (x) { return x * 2; }`" },
  template: { what: "template literals", hint: 'concatenate strings: `"Comp " + name`' },
  destructuring: {
    what: "destructuring",
    hint: "read each part into its own variable: `var a = pair[0]; var b = obj.b;`",
  },
  classes: { what: "classes", hint: "use a constructor function and assign methods to `Ctor.prototype`" },
  spread: { what: "spread (`...`)", hint: "use `fn.apply(null, args)` or `a.concat(b)`" },
  rest: { what: "rest parameters (`...args`)", hint: "read the `arguments` object" },
  defaults: {
    what: "default parameter values",
    hint: "test in the body: `if (x === undefined) x = 1;`",
  },
  forOf: {
    what: "`for…of` loops",
    hint: "use `for (var i = 0; i < a.length; i++)`, or `for (var k in o)` with `o.hasOwnProperty(k)`",
  },
  async: { what: "async functions / await", hint: "ExtendScript is synchronous: call the API directly" },
  generator: { what: "generator functions", hint: "build and return an array instead" },
  optionalChaining: { what: "optional chaining (`?.`)", hint: "test first: `a && a.b`" },
  exponent: { what: "the `**` operator", hint: "use `Math.pow(a, b)`" },
  nullish: { what: "the `??` operator", hint: "test explicitly: `(a !== null && a !== undefined) ? a : b`" },
  logicalAssign: { what: "logical assignment (`||=`, `&&=`, `??=`)", hint: "write `a = a || b`" },
  accessor: {
    what: "getters/setters in object literals",
    hint: "use a plain method (`getX: function () {…}`)",
  },
  shorthand: { what: "shorthand properties", hint: "write `{ name: name }`" },
  method: { what: "method shorthand", hint: "write `{ run: function () {…} }`" },
  computed: { what: "computed property keys", hint: "create the object, then assign `obj[key] = value`" },
  bigint: { what: "BigInt literals", hint: "use a Number" },
  numeric: {
    what: "binary/octal literals or numeric separators",
    hint: "write a plain decimal or 0x literal",
  },
  regexFlags: { what: "regular expression flags beyond g, i, m", hint: "use only the g, i and m flags" },
  newTarget: { what: "`new.target` / `import.meta`", hint: "not available in ExtendScript" },
  dynamicImport: { what: "`import()`", hint: "use `$.evalFile(path)` or `#include`" },
  trailingComma: {
    what: "a trailing comma",
    hint: "remove the comma after the last item (ES3 rejects it in object literals and calls)",
  },
  staticBlock: { what: "class static blocks", hint: "use a constructor function" },
  reservedName: {
    what: "reserved words as property names",
    hint: 'quote the name: obj["default"] and { "default": 1 }',
  },
} satisfies Record<string, Rule>;

/** Words ES3 engines reject as property names (`obj.default`, `{ class: 1 }`). */
const KEYWORDS = new Set(
  (
    "break case catch continue default delete do else finally for function if in instanceof new return switch " +
    "this throw try typeof var void while with class const enum export extends import super null true false debugger"
  ).split(" "),
);

interface Found {
  rule: Rule;
  start: number;
  end: number;
  loc: Position;
}

const PARSE_OPTIONS = {
  sourceType: "script",
  allowReturnOutsideFunction: true,
  locations: true,
} as const;

function isNode(value: unknown): value is AnyNode {
  return (
    typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string"
  );
}

function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === "loc") continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
  return out;
}

/** Only whitespace, comments and one comma between `from` and `to`. */
function trailingCommaBetween(code: string, from: number, to: number): boolean {
  const between = code
    .slice(from, to)
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n\r]*/g, "")
    .trim();
  return between === ",";
}

function collect(code: string, program: AnyNode): Found[] {
  const found: Found[] = [];
  const add = (rule: Rule, node: AnyNode, start = node.start): void => {
    found.push({ rule, start, end: node.end, loc: node.loc!.start });
  };

  const visit = (node: AnyNode, inPattern: boolean): void => {
    let pattern = inPattern;
    switch (node.type) {
      case "VariableDeclaration":
        if (node.kind !== "var") add(RULES.letConst, node);
        break;
      case "ArrowFunctionExpression":
        add(RULES.arrow, node);
        break;
      case "TemplateLiteral":
        add(RULES.template, node);
        break;
      case "ObjectPattern":
      case "ArrayPattern":
        if (!inPattern) add(RULES.destructuring, node);
        pattern = true;
        break;
      case "ClassDeclaration":
      case "ClassExpression":
        add(RULES.classes, node);
        break;
      case "StaticBlock":
        add(RULES.staticBlock, node);
        break;
      case "SpreadElement":
        add(RULES.spread, node);
        break;
      case "RestElement":
        if (!inPattern) add(RULES.rest, node);
        break;
      case "AssignmentPattern":
        if (!inPattern) add(RULES.defaults, node);
        break;
      case "ForOfStatement":
        add(RULES.forOf, node);
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
        if (node.async) add(RULES.async, node);
        else if (node.generator) add(RULES.generator, node);
        break;
      case "ChainExpression":
        add(RULES.optionalChaining, node);
        break;
      case "BinaryExpression":
        if (node.operator === "**") add(RULES.exponent, node);
        break;
      case "LogicalExpression":
        if (node.operator === "??") add(RULES.nullish, node);
        break;
      case "AssignmentExpression":
        if (node.operator === "**=") add(RULES.exponent, node);
        else if (node.operator === "||=" || node.operator === "&&=" || node.operator === "??=")
          add(RULES.logicalAssign, node);
        break;
      case "Property":
        if (inPattern) break;
        if (node.kind === "get" || node.kind === "set") add(RULES.accessor, node);
        else if (node.method) add(RULES.method, node);
        else if (node.shorthand) add(RULES.shorthand, node);
        if (node.computed) add(RULES.computed, node);
        else if (isNode(node.key) && node.key.type === "Identifier" && KEYWORDS.has(String(node.key.name))) {
          add(RULES.reservedName, node);
        }
        break;
      case "Literal":
        if (typeof node.bigint === "string") add(RULES.bigint, node);
        else if (typeof node.value === "number" && /^0[bBoO]|_/.test(String(node.raw)))
          add(RULES.numeric, node);
        else if (isNode(node) && typeof (node.regex as { flags?: string } | undefined)?.flags === "string") {
          if (/[^gim]/.test((node.regex as { flags: string }).flags)) add(RULES.regexFlags, node);
        }
        break;
      case "MemberExpression":
        if (!node.computed && isNode(node.property) && KEYWORDS.has(String(node.property.name))) {
          found.push({
            rule: RULES.reservedName,
            start: node.property.start,
            end: node.property.end,
            loc: node.property.loc!.start,
          });
        }
        break;
      case "MetaProperty":
        add(RULES.newTarget, node);
        break;
      case "ImportExpression":
        add(RULES.dynamicImport, node);
        break;
      case "ObjectExpression": {
        const props = node.properties as AnyNode[];
        const lastProp = props[props.length - 1];
        if (lastProp && trailingCommaBetween(code, lastProp.end, node.end - 1)) {
          add(RULES.trailingComma, node);
        }
        break;
      }
      case "CallExpression":
      case "NewExpression": {
        const args = node.arguments as AnyNode[];
        const lastArg = args[args.length - 1];
        if (lastArg && code[node.end - 1] === ")" && trailingCommaBetween(code, lastArg.end, node.end - 1)) {
          add(RULES.trailingComma, node);
        }
        break;
      }
    }
    for (const child of children(node)) visit(child, pattern && isPatternPart(node, child));
  };
  visit(program, false);
  return found;
}

/** Whether `child` of `node` is still part of a destructuring pattern (not a default value). */
function isPatternPart(node: AnyNode, child: AnyNode): boolean {
  if (node.type === "AssignmentPattern") return node.left === child;
  if (node.type === "Property") return node.value === child;
  return true;
}

function cleanMessage(message: string): string {
  return message.replace(/\s*\(\d+:\d+\)$/, "");
}

interface SyntaxProblem {
  message: string;
  pos: number;
  loc: Position;
}

function parseError(cause: unknown): SyntaxProblem | undefined {
  if (cause instanceof SyntaxError) {
    const { pos, loc } = cause as SyntaxError & { pos?: number; loc?: Position };
    if (typeof pos === "number" && loc) return { message: cleanMessage(cause.message), pos, loc };
  }
  return undefined;
}

export function preflightExtendScript(code: string): PreflightIssue[] {
  const source = blankDirectives(code);
  let program: AnyNode;
  try {
    program = parseJavaScript(source, { ...PARSE_OPTIONS, ecmaVersion: "latest" }) as unknown as AnyNode;
  } catch (cause) {
    const problem = parseError(cause);
    if (!problem) throw cause;
    return [
      {
        message: `syntax error: ${problem.message}`,
        line: problem.loc.line,
        column: problem.loc.column + 1,
      },
    ];
  }
  const found = collect(source, program).sort((a, b) => a.start - b.start);
  const issues: PreflightIssue[] = found.map((f) => ({
    message: `ExtendScript (ES3) does not support ${f.rule.what}`,
    line: f.loc.line,
    column: f.loc.column + 1,
    hint: f.rule.hint,
  }));
  try {
    parseJavaScript(source, { ...PARSE_OPTIONS, ecmaVersion: 3 });
  } catch (cause) {
    const problem = parseError(cause);
    if (!problem) throw cause;
    const known = found.some((f) => problem.pos >= f.start && problem.pos <= f.end);
    if (!known) {
      issues.push({
        message: `not valid ES3 (ExtendScript): ${problem.message}`,
        line: problem.loc.line,
        column: problem.loc.column + 1,
        hint: reservedWordHint(source, problem.pos),
      });
    }
  }
  return issues;
}

const ES3_RESERVED = new Set(
  (
    "break case catch continue default delete do else finally for function if in instanceof new return switch " +
    "this throw try typeof var void while with abstract boolean byte char class const debugger double enum export " +
    "extends final float goto implements import int interface long native package private protected public short " +
    "static super synchronized throws transient volatile null true false"
  ).split(" "),
);

function reservedWordHint(source: string, pos: number): string {
  const word = /^[A-Za-z_$][\w$]*/.exec(source.slice(pos))?.[0];
  if (word && ES3_RESERVED.has(word)) {
    return `\`${word}\` is reserved in ES3: quote it as a property name (obj["${word}"], { "${word}": … }) or rename the variable`;
  }
  return "rewrite this in ES3 syntax (ECMAScript 3, 1999)";
}
