// .NET XML documentation member IDs ("M:SolidWorks.Interop.sldworks.IModelDoc2.SaveAs3(System.String,
// System.Int32,System.Int32)"): the kind prefix, the type, the member and its parameter types.
// Format: the C# language specification, "Documentation comments", ID string format.

export type IdKind = "type" | "method" | "property" | "field" | "event";

export interface DocId {
  kind: IdKind;
  /** Full type name, generic arity removed: `SolidWorks.Interop.sldworks.IModelDoc2`. */
  type: string;
  /** Member name (`SaveAs3`, `#ctor`), absent for a type. */
  member?: string;
  /** Parameter types as written in the ID, one per parameter (`System.Int32@` is by reference). */
  params: string[];
}

const KINDS: Record<string, IdKind> = { T: "type", M: "method", P: "property", F: "field", E: "event" };

/** Null for IDs this builder has no use for (namespaces, `!:` unresolved references). */
export function parseDocId(id: string): DocId | null {
  const match = /^([TMPFE]):(.+)$/.exec(id.trim());
  if (!match) return null;
  const kind = KINDS[match[1]!]!;
  let rest = match[2]!;
  let params: string[] = [];
  const open = rest.indexOf("(");
  if (open >= 0) {
    const close = rest.lastIndexOf(")");
    if (close < open) return null;
    params = splitTopLevel(rest.slice(open + 1, close));
    rest = rest.slice(0, open);
  }
  const name = stripArity(rest);
  if (kind === "type") return { kind, type: name, params };
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return null;
  return { kind, type: name.slice(0, dot), member: name.slice(dot + 1), params };
}

/** `List``1` → `List`, `Select``2` → `Select`. */
function stripArity(name: string): string {
  return name.replace(/`+\d+/g, "");
}

/** Splits on commas outside `{…}` (generic arguments) and `[…]` (array bounds). */
function splitTopLevel(text: string): string[] {
  if (text.trim() === "") return [];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

export interface ShownType {
  /** Short, readable: `String`, `Int32[]`, `IModelDoc2`, `List<String>`. */
  type: string;
  byRef: boolean;
}

/** An ID parameter type as a reader wants it: namespaces dropped, `@` read as by-reference. */
export function showType(idType: string): ShownType {
  const byRef = idType.endsWith("@");
  const bare = byRef ? idType.slice(0, -1) : idType;
  return { type: shortTypeName(bare), byRef };
}

function shortTypeName(name: string): string {
  const generic = name.indexOf("{");
  if (generic >= 0 && name.endsWith("}")) {
    const inner = splitTopLevel(name.slice(generic + 1, -1)).map(shortTypeName);
    return `${shortTypeName(name.slice(0, generic))}<${inner.join(", ")}>`;
  }
  const suffix = /((\[[^\]]*\])|\*)*$/.exec(name)?.[0] ?? "";
  const base = name.slice(0, name.length - suffix.length);
  return `${base.slice(base.lastIndexOf(".") + 1)}${suffix.replace(/\[[^\]]*\]/g, (b) => (b.includes(",") ? b.replace(/[^,[\]]/g, "") : "[]"))}`;
}

/** The last segment of a full type name: `SolidWorks.Interop.sldworks.IModelDoc2` → `IModelDoc2`. */
export function shortName(fullType: string): string {
  return fullType.slice(fullType.lastIndexOf(".") + 1);
}
