// Merges the parsed declarations into model Entries: one per symbol name, whatever mix of
// `interface`, `declare class`, `declare const` and `declare function` declares it.
import ts from "typescript";
import type { Entry, EntryKind, Member } from "../../shared/docs-model.js";
import type { Declaration, Origin } from "./declarations.js";
import { docOf, joinSentences } from "./jsdoc.js";
import {
  type CallSignatureSource,
  enumMembers,
  functionMember,
  type MemberContext,
  membersOf,
  shareOverloadDocs,
} from "./members.js";
import { printNode, typeParamsText, typeText } from "./signature.js";

/** Groups of the app's own types, by kind; the shared files' types are grouped by file. */
const APP_GROUPS: Record<"class" | "interface" | "enum" | "type", string> = {
  class: "classes",
  interface: "interfaces",
  enum: "enums",
  type: "types",
};

const SHARED_GROUPS: Record<Exclude<Origin, "app">, string> = {
  // global.d.ts declares globals only, plus an empty `Application` the apps fill in.
  global: "javascript",
  javascript: "javascript",
  scriptui: "scriptui",
  xmp: "xmp",
};

const GLOBALS_GROUP = "globals";
const FUNCTIONS_GROUP = "functions";

type TypeNode = ts.ClassDeclaration | ts.InterfaceDeclaration | ts.EnumDeclaration | ts.TypeAliasDeclaration;

interface NamedSymbol {
  name: string;
  types: Array<Declaration & { node: TypeNode }>;
  variables: Array<Declaration & { node: ts.VariableDeclaration }>;
  functions: Array<Declaration & { node: ts.FunctionDeclaration }>;
}

function isTypeNode(node: Declaration["node"]): node is TypeNode {
  return (
    ts.isClassDeclaration(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isEnumDeclaration(node) ||
    ts.isTypeAliasDeclaration(node)
  );
}

function symbolOf(name: string, declarations: readonly Declaration[]): NamedSymbol {
  const symbol: NamedSymbol = { name, types: [], variables: [], functions: [] };
  for (const declaration of declarations) {
    const node = declaration.node;
    if (isTypeNode(node)) symbol.types.push({ ...declaration, node });
    else if (ts.isVariableDeclaration(node)) symbol.variables.push({ ...declaration, node });
    else symbol.functions.push({ ...declaration, node });
  }
  return symbol;
}

/** `XMPMetaConstructor | undefined` → `XMPMetaConstructor`: the name a global's type refers to. */
function referencedName(type: ts.TypeNode | undefined): string | undefined {
  if (!type) return undefined;
  if (ts.isUnionTypeNode(type)) {
    const named = type.types.filter(
      (part) =>
        part.kind !== ts.SyntaxKind.UndefinedKeyword &&
        !(ts.isLiteralTypeNode(part) && part.literal.kind === ts.SyntaxKind.NullKeyword),
    );
    return named.length === 1 ? referencedName(named[0]) : undefined;
  }
  if (ts.isTypeReferenceNode(type) && !type.typeArguments && ts.isIdentifier(type.typeName)) {
    return type.typeName.text;
  }
  return undefined;
}

function functionTypeOf(type: ts.TypeNode | undefined): ts.FunctionTypeNode | undefined {
  let node = type;
  while (node && ts.isParenthesizedTypeNode(node)) node = node.type;
  return node && ts.isFunctionTypeNode(node) ? node : undefined;
}

function isInterfaceOnly(symbol: NamedSymbol | undefined): symbol is NamedSymbol {
  return (
    symbol !== undefined &&
    symbol.types.length > 0 &&
    symbol.variables.length === 0 &&
    symbol.functions.length === 0 &&
    symbol.types.every((declaration) => ts.isInterfaceDeclaration(declaration.node))
  );
}

export function entriesFromDeclarations(declarations: ReadonlyMap<string, readonly Declaration[]>): Entry[] {
  const symbols = new Map<string, NamedSymbol>();
  for (const [name, list] of declarations) symbols.set(name, symbolOf(name, list));

  const callOnly = new Map<string, CallSignatureSource[]>();
  for (const symbol of symbols.values()) {
    if (!isInterfaceOnly(symbol)) continue;
    const elements = symbol.types.flatMap((d) =>
      (d.node as ts.InterfaceDeclaration).members.map((node) => ({ node, sf: d.sf })),
    );
    if (elements.length > 0 && elements.every(({ node }) => ts.isCallSignatureDeclaration(node))) {
      callOnly.set(symbol.name, elements as CallSignatureSource[]);
    }
  }

  // `declare const File: FileConstructor` + `interface FileConstructor` + `interface File`
  // is how the shared files spell a class: FileConstructor's members become File's statics
  // and constructors, and FileConstructor gets no entry of its own.
  const constructorOf = new Map<string, NamedSymbol>();
  for (const symbol of symbols.values()) {
    const variable = symbol.variables[0];
    const target = variable && referencedName(variable.node.type);
    if (target === `${symbol.name}Constructor` && isInterfaceOnly(symbols.get(target))) {
      constructorOf.set(symbol.name, symbols.get(target)!);
    }
  }
  const folded = new Set([...constructorOf.values()].map((symbol) => symbol.name));

  const entries: Entry[] = [];
  for (const symbol of symbols.values()) {
    if (folded.has(symbol.name)) continue;
    entries.push(entryOf(symbol, constructorOf.get(symbol.name), (name) => callOnly.get(name)));
  }
  // A fixed locale: the order must not depend on the machine building the tree.
  return entries.sort((a, b) => a.group.localeCompare(b.group, "en") || a.name.localeCompare(b.name, "en"));
}

function entryOf(
  symbol: NamedSymbol,
  constructorSymbol: NamedSymbol | undefined,
  callOnly: MemberContext["callOnly"],
): Entry {
  if (symbol.functions.length > 0) return functionEntry(symbol);
  const variable = symbol.variables[0];
  if (!variable) return typeEntry(symbol, callOnly);
  if (constructorSymbol) return classFromConstructor(symbol, constructorSymbol, callOnly);
  const functionType = functionTypeOf(variable.node.type);
  if (functionType && symbol.types.length === 0) {
    const member = functionMember(symbol.name, functionType, variable.sf, docOf(variable.node));
    return finish({ name: symbol.name, kind: "function", group: FUNCTIONS_GROUP, members: [member] });
  }
  return globalEntry(symbol, variable, callOnly);
}

function functionEntry(symbol: NamedSymbol): Entry {
  const members = symbol.functions.map((d) => functionMember(symbol.name, d.node, d.sf, docOf(d.node)));
  return finish({ name: symbol.name, kind: "function", group: FUNCTIONS_GROUP, members });
}

/**
 * A global object. When its type is the interface of the same name (`declare const $: $`)
 * the interface's members are the global's; otherwise the one member is the global itself
 * (`app: Application`), which links the reader to its type's entry.
 */
function globalEntry(
  symbol: NamedSymbol,
  variable: NamedSymbol["variables"][number],
  callOnly: MemberContext["callOnly"],
): Entry {
  const description = docOf(variable.node).description;
  const selfTyped = referencedName(variable.node.type) === symbol.name;
  const members: Member[] = [];
  if (!selfTyped || symbol.types.length === 0) {
    const type = typeText(variable.node.type, variable.sf) ?? "any";
    const readonly = (ts.getCombinedNodeFlags(variable.node) & ts.NodeFlags.Const) !== 0;
    const member: Member = {
      name: symbol.name,
      kind: "property",
      signature: `${readonly ? "readonly " : ""}${symbol.name}: ${type}`,
      type,
    };
    if (readonly) member.readonly = true;
    if (description) member.description = description;
    members.push(member);
  }
  members.push(...typeMembers(symbol, callOnly));
  return finish({
    name: symbol.name,
    kind: "global",
    group: GLOBALS_GROUP,
    description: joinSentences(unique([description, ...symbol.types.map((d) => docOf(d.node).description)])),
    extends: heritageOf(symbol),
    members,
  });
}

function classFromConstructor(
  symbol: NamedSymbol,
  constructorSymbol: NamedSymbol,
  callOnly: MemberContext["callOnly"],
): Entry {
  const variable = symbol.variables[0]!;
  const statics = constructorSymbol.types.flatMap((d) =>
    membersOf(
      (d.node as ts.InterfaceDeclaration).members.filter((m) => m.name?.getText(d.sf) !== "prototype"),
      { sf: d.sf, owner: symbol.name, ofConstructor: true, callOnly },
    ),
  );
  // `declare const XMPMeta: XMPMetaConstructor | undefined`: say so, folding hides it.
  const declaredType = typeText(variable.node.type, variable.sf);
  const typeNote =
    declaredType && declaredType !== constructorSymbol.name ? `Declared as \`${declaredType}\`.` : undefined;
  const origin = symbol.types[0]?.origin ?? variable.origin;
  return finish({
    name: symbol.name,
    kind: "class",
    group: groupFor(origin, "class"),
    description: joinSentences(
      unique([
        ...symbol.types.map((d) => docOf(d.node).description),
        docOf(variable.node).description,
        ...constructorSymbol.types.map((d) => docOf(d.node).description),
        typeParamsNote(symbol),
        typeNote,
      ]),
    ),
    extends: heritageOf(symbol),
    members: [...statics, ...typeMembers(symbol, callOnly)],
  });
}

function typeEntry(symbol: NamedSymbol, callOnly: MemberContext["callOnly"]): Entry {
  const nodes = symbol.types.map((d) => d.node);
  const kind: EntryKind = nodes.some(ts.isClassDeclaration)
    ? "class"
    : nodes.some(ts.isEnumDeclaration)
      ? "enum"
      : "interface";
  const isAlias = nodes.every(ts.isTypeAliasDeclaration);
  const origin = symbol.types.some((d) => d.origin === "app") ? "app" : symbol.types[0]!.origin;
  // Classes first: their text introduces the object; an interface merged onto it adds to it.
  const ordered = [...symbol.types].sort(
    (a, b) => Number(ts.isClassDeclaration(b.node)) - Number(ts.isClassDeclaration(a.node)),
  );
  return finish({
    name: symbol.name,
    kind,
    group: groupFor(origin, isAlias ? "type" : kind),
    description: joinSentences(
      unique([
        ...ordered.map((d) => docOf(d.node).description),
        ...symbol.types.map((d) => aliasNote(d)),
        typeParamsNote(symbol),
        constEnumNote(symbol),
      ]),
    ),
    extends: heritageOf(symbol),
    members: typeMembers(symbol, callOnly),
  });
}

function groupFor(origin: Origin, kind: EntryKind | "type"): string {
  if (origin !== "app") return SHARED_GROUPS[origin];
  return kind === "class" || kind === "interface" || kind === "enum" || kind === "type"
    ? APP_GROUPS[kind]
    : GLOBALS_GROUP;
}

function typeMembers(symbol: NamedSymbol, callOnly: MemberContext["callOnly"]): Member[] {
  return symbol.types.flatMap((d) => {
    const node = d.node;
    if (ts.isEnumDeclaration(node)) return enumMembers(node, d.sf, symbol.name);
    const ctx: MemberContext = { sf: d.sf, owner: symbol.name, callOnly };
    if (ts.isTypeAliasDeclaration(node)) {
      return ts.isTypeLiteralNode(node.type) ? membersOf(node.type.members, ctx) : [];
    }
    return membersOf(node.members, ctx);
  });
}

/** Base names without type arguments (`Point extends Array<number>` → `Array`): they name entries. */
function heritageOf(symbol: NamedSymbol): string[] | undefined {
  const names = new Set<string>();
  for (const { node, sf } of symbol.types) {
    if (!ts.isClassDeclaration(node) && !ts.isInterfaceDeclaration(node)) continue;
    for (const clause of node.heritageClauses ?? []) {
      if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
      for (const base of clause.types) names.add(base.expression.getText(sf));
    }
  }
  names.delete(symbol.name);
  return names.size > 0 ? [...names] : undefined;
}

function aliasNote(declaration: Declaration): string | undefined {
  const node = declaration.node;
  if (!ts.isTypeAliasDeclaration(node) || ts.isTypeLiteralNode(node.type)) return undefined;
  return `Type alias for \`${printNode(node.type, declaration.sf)}\`.`;
}

function typeParamsNote(symbol: NamedSymbol): string | undefined {
  for (const { node, sf } of symbol.types) {
    if (ts.isEnumDeclaration(node) || !node.typeParameters?.length) continue;
    return `Type parameters: \`${typeParamsText(node.typeParameters, sf)}\`.`;
  }
  return undefined;
}

// A `const enum` exists only for the TypeScript compiler: at run time there is no object
// of that name, so scripts pass the values (After Effects' `_CommandID` for executeCommand).
function constEnumNote(symbol: NamedSymbol): string | undefined {
  const isConst = symbol.types.some(
    ({ node }) =>
      ts.isEnumDeclaration(node) &&
      (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ConstKeyword) ?? false),
  );
  return isConst
    ? "A TypeScript const enum: scripts cannot use this name at run time; pass the values."
    : undefined;
}

function unique(texts: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(texts.filter((text): text is string => Boolean(text)))];
}

/**
 * Removes duplicate signatures (merged declarations repeat some), drops empty optional
 * fields and puts keys in reading order for anyone looking at the JSON.
 */
function finish(entry: Entry): Entry {
  const seen = new Set<string>();
  const members = shareOverloadDocs(
    entry.members.filter((member) => {
      const key = `${member.kind}:${member.signature}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
  return {
    name: entry.name,
    kind: entry.kind,
    group: entry.group,
    ...(entry.description ? { description: entry.description } : {}),
    ...(entry.extends?.length ? { extends: entry.extends } : {}),
    members: members.map(orderedMember),
  };
}

function orderedMember(member: Member): Member {
  const { name, kind, signature, type, description, readonly, static: isStatic, params, value } = member;
  return {
    name,
    kind,
    signature,
    ...(type !== undefined ? { type } : {}),
    ...(value !== undefined ? { value } : {}),
    ...(description ? { description } : {}),
    ...(readonly ? { readonly } : {}),
    ...(isStatic ? { static: isStatic } : {}),
    ...(params?.length ? { params } : {}),
  };
}
