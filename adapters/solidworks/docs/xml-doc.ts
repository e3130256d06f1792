// Reads one .NET XML documentation file (the IntelliSense files next to the SolidWorks interop
// assemblies) into its members: ID, summary, parameters, returns, value and remarks as plain text.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { shortName } from "./doc-id.js";

export interface XmlMember {
  id: string;
  summary: string;
  params: Array<{ name: string; text: string }>;
  returns: string;
  value: string;
  remarks: string;
}

export interface XmlDocFile {
  assembly: string;
  members: XmlMember[];
}

/** fast-xml-parser's ordered form: each node is `{tag: children, ":@"?: attributes}` or `{"#text"}`. */
type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  preserveOrder: true,
  // Mixed content ("Saves <see cref=…/> as …") needs its spaces.
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
});

export class XmlDocError extends Error {}

export function parseXmlDoc(text: string, file: string): XmlDocFile {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new XmlDocError(`${file} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const root = childrenOf(parser.parse(text) as OrderedNode[], "doc");
  const members = root ? childrenOf(root, "members") : undefined;
  if (!root || !members) {
    throw new XmlDocError(`${file} is not a .NET XML documentation file (no <doc><members>)`);
  }
  const assembly = textOf(childrenOf(childrenOf(root, "assembly") ?? [], "name") ?? []);
  const parsed: XmlMember[] = [];
  for (const node of members) {
    if (!("member" in node)) continue;
    const id = attributes(node).name;
    if (!id) continue;
    const children = node.member as OrderedNode[];
    const section = (tag: string) => textOf(childrenOf(children, tag) ?? []);
    parsed.push({
      id,
      summary: section("summary"),
      params: children
        .filter((child) => "param" in child)
        .map((child) => ({ name: attributes(child).name ?? "", text: textOf(child.param as OrderedNode[]) })),
      returns: section("returns"),
      value: section("value"),
      remarks: section("remarks"),
    });
  }
  return { assembly, members: parsed };
}

function attributes(node: OrderedNode): Record<string, string | undefined> {
  return (node[":@"] as Record<string, string> | undefined) ?? {};
}

function childrenOf(nodes: OrderedNode[], tag: string): OrderedNode[] | undefined {
  const found = nodes.find((node) => tag in node);
  return found ? (found[tag] as OrderedNode[]) : undefined;
}

const BLOCKS = new Set(["para", "p", "br", "list", "code", "example"]);

/** Mixed content as plain text: references by their short name, paragraphs and list items on lines. */
export function textOf(nodes: OrderedNode[]): string {
  const out: string[] = [];
  const walk = (list: OrderedNode[]) => {
    for (const node of list) {
      if ("#text" in node) {
        out.push(String(node["#text"]));
        continue;
      }
      const tag = Object.keys(node).find((key) => key !== ":@");
      if (!tag) continue;
      const attrs = attributes(node);
      if (tag === "see" || tag === "seealso") {
        const children = node[tag] as OrderedNode[];
        out.push(
          children.length ? textOf(children) : refName(attrs.cref ?? attrs.langword ?? attrs.href ?? ""),
        );
      } else if (tag === "paramref" || tag === "typeparamref") {
        out.push(attrs.name ?? "");
      } else if (tag === "item") {
        out.push("\n- ");
        walk(node[tag] as OrderedNode[]);
      } else {
        if (BLOCKS.has(tag)) out.push("\n");
        walk(node[tag] as OrderedNode[]);
        if (BLOCKS.has(tag)) out.push("\n");
      }
    }
  };
  walk(nodes);
  return out
    .join("")
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line, i, lines) => line !== "" || (i > 0 && lines[i - 1] !== ""))
    .join("\n")
    .trim();
}

/** `M:Ns.Type.Member(System.String)` → `Type.Member`; `T:Ns.Type` → `Type`. */
function refName(cref: string): string {
  const bare = cref
    .replace(/^[A-Z]:/, "")
    .replace(/\(.*$/, "")
    .replace(/`+\d+/g, "");
  if (!/^[A-Z]:/.test(cref) || cref.startsWith("T:")) return shortName(bare);
  const dot = bare.lastIndexOf(".");
  return `${shortName(bare.slice(0, dot))}.${bare.slice(dot + 1)}`;
}
