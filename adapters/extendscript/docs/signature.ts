// Printing types, parameters and one-line signatures from syntax nodes. Types are printed
// from the declaration text (no type checker): the files are the API's own words, and
// printing them keeps aliases such as `TwoDProperty` that a checker would expand.
import ts from "typescript";
import type { Param } from "../../shared/docs-model.js";
import type { DocText } from "./jsdoc.js";

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

// The printer lays out tuples and object types over several lines; a signature is one.
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\[ /g, "[").replace(/ \]/g, "]").trim();
}

export function printNode(node: ts.Node, sf: ts.SourceFile): string {
  return oneLine(printer.printNode(ts.EmitHint.Unspecified, node, sf));
}

export function typeText(node: ts.TypeNode | undefined, sf: ts.SourceFile): string | undefined {
  return node ? printNode(node, sf) : undefined;
}

/** `<T extends X = Y>`, or "" when there are none. */
export function typeParamsText(
  params: ts.NodeArray<ts.TypeParameterDeclaration> | undefined,
  sf: ts.SourceFile,
): string {
  return params?.length ? `<${params.map((param) => printNode(param, sf)).join(", ")}>` : "";
}

export interface PrintedParams {
  params: Param[];
  /** `(a: string, b?: number)` */
  text: string;
}

/**
 * Parameters with their JSDoc. `@param` tags are matched by name; a tag that names no
 * parameter still counts for the parameter at its position when the names start alike
 * (a typo in the source: `max_cpu_perc` for `max_cpu_percent`).
 */
export function printParams(
  declarations: ts.NodeArray<ts.ParameterDeclaration>,
  sf: ts.SourceFile,
  doc: DocText,
): PrintedParams {
  const names = declarations.map((param) => param.name.getText(sf));
  const byName = new Map(doc.params.map((tag) => [tag.name, tag.text]));
  const params: Param[] = [];
  const texts: string[] = [];
  declarations.forEach((declaration, i) => {
    const name = names[i]!;
    const type = typeText(declaration.type, sf);
    const rest = declaration.dotDotDotToken !== undefined;
    const optional = declaration.questionToken !== undefined || declaration.initializer !== undefined || rest;
    const tag = doc.params[i];
    const description =
      byName.get(name) ?? (tag && !names.includes(tag.name) && alike(tag.name, name) ? tag.text : undefined);
    const param: Param = { name };
    if (type) param.type = type;
    if (description) param.description = description;
    if (optional) param.optional = true;
    if (declaration.initializer) param.default = printNode(declaration.initializer, sf);
    params.push(param);
    const marker = declaration.questionToken ? "?" : "";
    texts.push(`${rest ? "..." : ""}${name}${marker}${type ? `: ${type}` : ""}`);
  });
  return { params, text: `(${texts.join(", ")})` };
}

function alike(a: string, b: string): boolean {
  const prefix = Math.min(a.length, b.length, 4);
  return prefix >= 3 && a.slice(0, prefix).toLowerCase() === b.slice(0, prefix).toLowerCase();
}
