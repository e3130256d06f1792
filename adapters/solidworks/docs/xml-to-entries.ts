// .NET XML documentation members → docs entries: one per documented type (interfaces such as
// IModelDoc2, enums such as swDocumentTypes_e), its methods, properties, events and values.
// The XML has no return or property types and no enum values (those live in the assemblies).
import type { Entry, Member, Param } from "../../shared/docs-model.js";
import { type DocId, parseDocId, shortName, showType } from "./doc-id.js";
import type { XmlDocFile, XmlMember } from "./xml-doc.js";

interface TypeDraft {
  full: string;
  description: string;
  members: Member[];
  fields: number;
  others: number;
}

export function entriesFromXmlDocs(files: readonly XmlDocFile[]): Entry[] {
  const types = new Map<string, TypeDraft>();
  const draft = (full: string): TypeDraft => {
    let found = types.get(full);
    if (!found) {
      found = { full, description: "", members: [], fields: 0, others: 0 };
      types.set(full, found);
    }
    return found;
  };
  for (const file of files) {
    for (const member of file.members) {
      const id = parseDocId(member.id);
      if (!id) continue;
      const type = draft(id.type);
      if (id.kind === "type") {
        type.description = sections(member);
        continue;
      }
      if (id.kind === "field") type.fields++;
      else type.others++;
      type.members.push(memberFrom(id, member));
    }
  }
  return namedEntries([...types.values()]);
}

function memberFrom(id: DocId, doc: XmlMember): Member {
  const isConstructor = id.member === "#ctor" || id.member === "#cctor";
  const name = isConstructor ? shortName(id.type) : id.member!;
  const params: Param[] = id.params.map((idType, i) => {
    const shown = showType(idType);
    const param: Param = { name: doc.params[i]?.name || `arg${i + 1}`, type: shown.type };
    const text = [shown.byRef ? "By reference." : "", doc.params[i]?.text ?? ""].filter(Boolean).join(" ");
    if (text) param.description = text;
    return param;
  });
  const paramList = params.map(
    (p, i) => `${showType(id.params[i]!).byRef ? "ByRef " : ""}${p.name}: ${p.type}`,
  );
  const kind: Member["kind"] =
    id.kind === "method"
      ? isConstructor
        ? "constructor"
        : "method"
      : id.kind === "event"
        ? "event"
        : id.kind === "field"
          ? "enum-value"
          : "property";
  const member: Member = {
    name,
    kind,
    signature: id.kind === "method" || params.length ? `${name}(${paramList.join(", ")})` : name,
  };
  if (params.length) member.params = params;
  const description = sections(doc);
  if (description) member.description = description;
  return member;
}

/** Summary, then what it returns, its value and remarks, each as its own paragraph. */
function sections(doc: XmlMember): string {
  return [
    doc.summary,
    doc.returns ? `Returns: ${doc.returns}` : "",
    doc.value ? `Value: ${doc.value}` : "",
    doc.remarks ? `Remarks: ${doc.remarks}` : "",
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** Short names (IModelDoc2); a name two namespaces share gets its namespace's last part in front. */
function namedEntries(drafts: TypeDraft[]): Entry[] {
  const taken = new Set<string>();
  return drafts.map((type) => {
    let name = shortName(type.full);
    if (taken.has(name)) name = `${shortName(type.full.slice(0, type.full.lastIndexOf(".")))}.${name}`;
    taken.add(name);
    const isEnum = type.fields > 0 && type.others === 0;
    const kind: Entry["kind"] = isEnum
      ? "enum"
      : /^I[A-Z]/.test(shortName(type.full))
        ? "interface"
        : "class";
    const members = isEnum
      ? type.members
      : type.members.map((m) => (m.kind === "enum-value" ? { ...m, kind: "property" as const } : m));
    const entry: Entry = {
      name,
      kind,
      group: kind === "enum" ? "enums" : kind === "interface" ? "interfaces" : "classes",
      members,
    };
    if (type.description) entry.description = type.description;
    return entry;
  });
}
