// Class, interface and enum members → model Members, one per declaration (overloads
// included: one Member per overload signature, all under the same name).
import ts from "typescript";
import type { Member, MemberKind } from "../../shared/docs-model.js";
import { type DocText, docOf } from "./jsdoc.js";
import { printNode, printParams, typeParamsText, typeText } from "./signature.js";

export interface CallSignatureSource {
  node: ts.CallSignatureDeclaration;
  sf: ts.SourceFile;
}

export interface MemberContext {
  sf: ts.SourceFile;
  /** The entry the members belong to: constructors print as `new Owner(…)`. */
  owner: string;
  /**
   * The members come from a global's constructor interface (`FileConstructor` behind
   * `declare const File`): they are statics of the global (`File.decode`), and its call
   * signatures are calls of the global itself (`File(path)`).
   */
  ofConstructor?: boolean;
  /**
   * Call signatures of an interface that has nothing else (ScriptUI's `_AddControl`), so a
   * property typed with it (`add: _AddControl`) reads as the methods it is (`add(type: "button", …)`).
   */
  callOnly(typeName: string): CallSignatureSource[] | undefined;
}

type MemberNode = ts.ClassElement | ts.TypeElement;

// ScriptUI and the apps name their callbacks `onClick`, `onDraw`, `onError`…
const EVENT_NAME = /^on[A-Z]/;

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

function kindFor(name: string, fallback: MemberKind): MemberKind {
  return EVENT_NAME.test(name) ? "event" : fallback;
}

export function membersOf(nodes: readonly MemberNode[], ctx: MemberContext): Member[] {
  return nodes.flatMap((node) => memberOf(node, ctx));
}

function memberOf(node: MemberNode, ctx: MemberContext): Member[] {
  if (hasModifier(node, ts.SyntaxKind.PrivateKeyword)) return [];
  if (node.name && ts.isPrivateIdentifier(node.name)) return [];
  if (ts.isPropertyDeclaration(node) || ts.isPropertySignature(node)) return propertyMember(node, ctx);
  if (ts.isMethodDeclaration(node) || ts.isMethodSignature(node)) return [methodMember(node, ctx)];
  if (ts.isConstructorDeclaration(node) || ts.isConstructSignatureDeclaration(node)) {
    return [constructorMember(node, ctx)];
  }
  if (ts.isCallSignatureDeclaration(node)) return [callMember(node, ctx)];
  if (ts.isIndexSignatureDeclaration(node)) return [indexMember(node, ctx)];
  return [];
}

function withDoc(member: Member, doc: DocText): Member {
  if (doc.description) member.description = doc.description;
  return member;
}

function flags(member: Member, isStatic: boolean, readonly: boolean): Member {
  if (isStatic) member.static = true;
  if (readonly) member.readonly = true;
  return member;
}

function propertyMember(node: ts.PropertyDeclaration | ts.PropertySignature, ctx: MemberContext): Member[] {
  const name = node.name.getText(ctx.sf);
  const doc = docOf(node);
  const expanded = expandCallOnly(node, name, doc, ctx);
  if (expanded) return expanded;
  const isStatic = ctx.ofConstructor === true || hasModifier(node, ts.SyntaxKind.StaticKeyword);
  const readonly = hasModifier(node, ts.SyntaxKind.ReadonlyKeyword);
  const type = typeText(node.type, ctx.sf);
  const prefix = `${isStatic ? "static " : ""}${readonly ? "readonly " : ""}`;
  const signature = `${prefix}${name}${node.questionToken ? "?" : ""}${type ? `: ${type}` : ""}`;
  const member: Member = { name, kind: kindFor(name, "property"), signature };
  if (type) member.type = type;
  return [flags(withDoc(member, doc), isStatic, readonly)];
}

/** `add: _AddControl` → one `add(…)` method per call signature of `_AddControl`. */
function expandCallOnly(
  node: ts.PropertyDeclaration | ts.PropertySignature,
  name: string,
  doc: DocText,
  ctx: MemberContext,
): Member[] | undefined {
  const type = node.type;
  if (!type || !ts.isTypeReferenceNode(type) || type.typeArguments || !ts.isIdentifier(type.typeName)) {
    return undefined;
  }
  const signatures = ctx.callOnly(type.typeName.text);
  if (!signatures) return undefined;
  const isStatic = ctx.ofConstructor === true || hasModifier(node, ts.SyntaxKind.StaticKeyword);
  return signatures.map(({ node: signature, sf }) => {
    const own = docOf(signature);
    // The property's JSDoc describes every variant; a variant's own text is more specific.
    const merged: DocText = {
      description: own.description ?? doc.description,
      params: [...own.params, ...doc.params],
    };
    const params = printParams(signature.parameters, sf, merged);
    const returns = typeText(signature.type, sf);
    const text = `${name}${typeParamsText(signature.typeParameters, sf)}${params.text}${returns ? `: ${returns}` : ""}`;
    const member: Member = {
      name,
      kind: kindFor(name, "method"),
      signature: `${isStatic ? "static " : ""}${text}`,
      params: params.params,
    };
    if (returns) member.type = returns;
    return flags(withDoc(member, merged), isStatic, false);
  });
}

function methodMember(node: ts.MethodDeclaration | ts.MethodSignature, ctx: MemberContext): Member {
  const name = node.name.getText(ctx.sf);
  const doc = docOf(node);
  const isStatic = ctx.ofConstructor === true || hasModifier(node, ts.SyntaxKind.StaticKeyword);
  const params = printParams(node.parameters, ctx.sf, doc);
  const returns = typeText(node.type, ctx.sf);
  const optional = node.questionToken ? "?" : "";
  const head = `${isStatic ? "static " : ""}${name}${optional}${typeParamsText(node.typeParameters, ctx.sf)}`;
  const member: Member = {
    name,
    kind: kindFor(name, "method"),
    signature: `${head}${params.text}${returns ? `: ${returns}` : ""}`,
    params: params.params,
  };
  if (returns) member.type = returns;
  return flags(withDoc(member, doc), isStatic, false);
}

function constructorMember(
  node: ts.ConstructorDeclaration | ts.ConstructSignatureDeclaration,
  ctx: MemberContext,
): Member {
  const doc = docOf(node);
  const params = printParams(node.parameters, ctx.sf, doc);
  const returns = typeText(node.type, ctx.sf);
  const head = `new ${ctx.owner}${typeParamsText(node.typeParameters, ctx.sf)}`;
  const member: Member = {
    name: "constructor",
    kind: "constructor",
    signature: `${head}${params.text}${returns ? `: ${returns}` : ""}`,
    type: returns ?? ctx.owner,
    params: params.params,
  };
  return withDoc(member, doc);
}

/**
 * A constructor interface's call signature is a call of the global (`File(path)`); any
 * other is a call of an instance (`group(1)` on an AE PropertyGroup), named `()`.
 */
function callMember(node: ts.CallSignatureDeclaration, ctx: MemberContext): Member {
  const doc = docOf(node);
  const params = printParams(node.parameters, ctx.sf, doc);
  const returns = typeText(node.type, ctx.sf);
  const callee = ctx.ofConstructor ? ctx.owner : "";
  const member: Member = {
    name: ctx.ofConstructor ? ctx.owner : "()",
    kind: "function",
    signature: `${callee}${typeParamsText(node.typeParameters, ctx.sf)}${params.text}${returns ? `: ${returns}` : ""}`,
    params: params.params,
  };
  if (returns) member.type = returns;
  return withDoc(member, doc);
}

/** `readonly [index: number]: Layer`, named `[index]`. */
function indexMember(node: ts.IndexSignatureDeclaration, ctx: MemberContext): Member {
  const key = node.parameters[0];
  const keyName = key ? key.name.getText(ctx.sf) : "key";
  const keyType = key ? typeText(key.type, ctx.sf) : undefined;
  const type = typeText(node.type, ctx.sf);
  const readonly = hasModifier(node, ts.SyntaxKind.ReadonlyKeyword);
  const isStatic = hasModifier(node, ts.SyntaxKind.StaticKeyword);
  const signature = `${isStatic ? "static " : ""}${readonly ? "readonly " : ""}[${keyName}${keyType ? `: ${keyType}` : ""}]: ${type ?? "any"}`;
  const member: Member = { name: `[${keyName}]`, kind: "property", signature };
  if (type) member.type = type;
  return flags(withDoc(member, docOf(node)), isStatic, readonly);
}

/** A top-level function, or a global declared as a function type (`declare var writeLn: (text: string) => void`). */
export function functionMember(
  name: string,
  node: ts.FunctionDeclaration | ts.FunctionTypeNode,
  sf: ts.SourceFile,
  doc: DocText,
): Member {
  const params = printParams(node.parameters, sf, doc);
  const returns = typeText(node.type, sf);
  const member: Member = {
    name,
    kind: "function",
    signature: `${name}${typeParamsText(node.typeParameters, sf)}${params.text}${returns ? `: ${returns}` : ""}`,
    params: params.params,
  };
  if (returns) member.type = returns;
  return withDoc(member, doc);
}

/** Enum values, with implicit values counted on from the previous numeric one as TypeScript does. */
export function enumMembers(node: ts.EnumDeclaration, sf: ts.SourceFile, owner: string): Member[] {
  let next: number | undefined = 0;
  return node.members.map((declaration) => {
    const name = declaration.name.getText(sf);
    let value: string | undefined;
    if (declaration.initializer) {
      value = printNode(declaration.initializer, sf);
      const numeric = numericValue(declaration.initializer);
      next = numeric === undefined ? undefined : numeric + 1;
    } else if (next !== undefined) {
      value = String(next);
      next += 1;
    }
    const member: Member = {
      name,
      kind: "enum-value",
      signature: `${owner}.${name}${value === undefined ? "" : ` = ${value}`}`,
    };
    if (value !== undefined) member.value = value;
    return withDoc(member, docOf(declaration));
  });
}

function numericValue(expression: ts.Expression): number | undefined {
  if (ts.isNumericLiteral(expression)) return Number(expression.text);
  if (
    ts.isPrefixUnaryExpression(expression) &&
    expression.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(expression.operand)
  ) {
    return -Number(expression.operand.text);
  }
  return undefined;
}

/**
 * Overloads often document only their first signature (`File.openDialog`): a later one
 * with no text at all reuses the description and parameter text of an earlier same-named
 * member. One that documents its parameters only (`new XMPMeta(packet)`) keeps its own
 * silence on the description: the first overload's text may not fit it.
 */
export function shareOverloadDocs(members: Member[]): Member[] {
  const described = new Map<string, Member>();
  return members.map((member) => {
    const key = `${member.kind}:${member.name}`;
    const earlier = described.get(key);
    if (!earlier) {
      if (member.description) described.set(key, member);
      return member;
    }
    const shared: Member = { ...member };
    const documented = member.params?.some((param) => param.description) ?? false;
    if (!shared.description && !documented && earlier.description) shared.description = earlier.description;
    if (shared.params && earlier.params) {
      shared.params = shared.params.map((param) => {
        if (param.description) return param;
        const text = earlier.params?.find((other) => other.name === param.name)?.description;
        return text ? { ...param, description: text } : param;
      });
    }
    return shared;
  });
}
