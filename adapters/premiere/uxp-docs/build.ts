// Builds Premiere Pro's UXP API reference from `@adobe/premierepro`: one .d.ts of
// `export declare type X = {…}` with JSDoc, where `XStatic` holds X's static members (what
// `require("premierepro").X` is) and `namespace Constants` its enums. One entry per class,
// statics merged into it; enums under Constants.
import { readFileSync } from "node:fs";
import ts from "typescript";
import { docOf, joinSentences } from "../../extendscript/docs/jsdoc.js";
import { printNode, printParams, typeText } from "../../extendscript/docs/signature.js";
import type { DocSet, Entry, Member } from "../../shared/docs-model.js";
import { UXP_TYPES_PACKAGE, uxpTypesPackage } from "./package.js";

const STATIC_SUFFIX = "Static";
/** The module's own export list: every class is an entry already. */
const MODULE_TYPE = "premierepro";

export function buildPremiereUxpDocs(options: { app: string; version?: string }): DocSet {
  const pkg = uxpTypesPackage();
  if (options.version !== undefined && options.version !== pkg.version) {
    throw new Error(
      `${UXP_TYPES_PACKAGE} ${pkg.version} is installed: it has no version "${options.version}" of the UXP reference; available: ${pkg.version}`,
    );
  }
  const text = readFileSync(pkg.declarations, "utf8");
  return {
    app: options.app,
    version: pkg.version,
    source: `${UXP_TYPES_PACKAGE} ${pkg.version}`,
    entries: entriesFromUxpTypes(text, pkg.declarations),
  };
}

export function entriesFromUxpTypes(text: string, path = "premierepro.d.ts"): Entry[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const types = new Map<string, ts.TypeAliasDeclaration>();
  const enums: ts.EnumDeclaration[] = [];
  for (const statement of sf.statements) {
    if (ts.isTypeAliasDeclaration(statement) && ts.isTypeLiteralNode(statement.type))
      types.set(statement.name.text, statement);
    else if (ts.isModuleDeclaration(statement) && statement.body && ts.isModuleBlock(statement.body)) {
      for (const inner of statement.body.statements) if (ts.isEnumDeclaration(inner)) enums.push(inner);
    }
  }
  const entries: Entry[] = [];
  for (const [name, node] of types) {
    if (name === MODULE_TYPE) continue;
    const owner = name.endsWith(STATIC_SUFFIX) ? name.slice(0, -STATIC_SUFFIX.length) : name;
    if (owner !== name && types.has(owner)) continue; // merged into its class below
    const statics = owner === name ? types.get(`${name}${STATIC_SUFFIX}`) : node;
    const instance = owner === name ? node : undefined;
    const members = [
      ...(statics ? membersOf(statics, sf, owner, true) : []),
      ...(instance ? membersOf(instance, sf, owner, false) : []),
    ];
    const description = joinSentences(
      [instance, statics].map((n) => (n ? (docOf(n).description ?? "") : "")),
    );
    entries.push({
      name: owner,
      kind: "class",
      group: "classes",
      ...(description ? { description } : {}),
      members,
    });
  }
  for (const node of enums) {
    const name = `Constants.${node.name.text}`;
    const description = docOf(node).description;
    entries.push({
      name,
      kind: "enum",
      group: "enums",
      ...(description ? { description } : {}),
      members: node.members.map((member): Member => {
        const memberName = member.name.getText(sf);
        const doc = docOf(member).description;
        // Without an initializer the value is the runtime's own: use the name, never a number.
        return {
          name: memberName,
          kind: "enum-value",
          signature: `${name}.${memberName}`,
          ...(member.initializer ? { value: printNode(member.initializer, sf) } : {}),
          ...(doc ? { description: doc } : {}),
        };
      }),
    });
  }
  return entries;
}

function membersOf(
  node: ts.TypeAliasDeclaration,
  sf: ts.SourceFile,
  owner: string,
  isStatic: boolean,
): Member[] {
  const literal = node.type as ts.TypeLiteralNode;
  const members: Member[] = [];
  for (const element of literal.members) {
    const doc = docOf(element);
    if (ts.isConstructSignatureDeclaration(element)) {
      const printed = printParams(element.parameters, sf, doc);
      members.push({
        name: "constructor",
        kind: "constructor",
        signature: `new ${owner}${printed.text}`,
        type: owner,
        params: printed.params,
        ...(doc.description ? { description: doc.description } : {}),
      });
    } else if (ts.isMethodSignature(element)) {
      const name = element.name.getText(sf);
      const printed = printParams(element.parameters, sf, doc);
      const type = typeText(element.type, sf);
      const isAsync = type?.startsWith("Promise<") === true;
      const how = isAsync ? "Async: returns a Promise, await it." : "";
      const description = joinSentences([doc.description ?? "", how]);
      members.push({
        name,
        kind: "method",
        signature: `${isStatic ? `${owner}.` : ""}${name}${printed.text}${type ? `: ${type}` : ""}`,
        ...(type ? { type } : {}),
        ...(description ? { description } : {}),
        ...(isStatic ? { static: true } : {}),
        params: printed.params,
      });
    } else if (ts.isPropertySignature(element)) {
      const name = element.name.getText(sf);
      const type = typeText(element.type, sf);
      const readonly = element.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) === true;
      members.push({
        name,
        kind: "property",
        signature: `${readonly ? "readonly " : ""}${isStatic ? `${owner}.` : ""}${name}${type ? `: ${type}` : ""}`,
        ...(type ? { type } : {}),
        ...(doc.description ? { description: doc.description } : {}),
        ...(readonly ? { readonly: true } : {}),
        ...(isStatic ? { static: true } : {}),
      });
    }
    // Call signatures (`(): X`) say the same as the constructor.
  }
  return members;
}
