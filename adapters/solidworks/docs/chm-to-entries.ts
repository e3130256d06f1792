// Decompiled CHM help pages → docs entries, matched by page title the way API help titles its
// topics: "SaveAs3 Method (IModelDoc2)", "ActiveDoc Property (ISldWorks)", "IModelDoc2 Interface",
// "swDocumentTypes_e Enumeration". Other pages (member lists, overviews, examples) are not entries.
import type { Entry, Member, Param } from "../../shared/docs-model.js";
import type { HtmlPage, PageSection } from "./html-page.js";

/** Help pages carry syntax in several languages, examples and more: the text kept per topic. */
export const MAX_TOPIC_CHARS = 6000;

const MEMBER_TITLE = /^(\S+) (Method|Property|Event|Field|Constructor) \(([A-Za-z_][\w.]*)\)$/;
const TYPE_TITLE = /^(\S+) (Interface|Class|Structure|Delegate|Enumeration|Enum)$/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;
const NUMBER = /^=?\s*(-?(?:0x[0-9a-f]+|\d+))$/i;

const MEMBER_KINDS: Record<string, Member["kind"]> = {
  Method: "method",
  Property: "property",
  Event: "event",
  Field: "enum-value",
  Constructor: "constructor",
};

export interface ChmEntries {
  entries: Entry[];
  /** Pages that were topics of a type or a member. */
  topics: number;
}

export function entriesFromHelpPages(pages: readonly HtmlPage[]): ChmEntries {
  const entries = new Map<string, Entry>();
  const entryFor = (name: string): Entry => {
    let entry = entries.get(name);
    if (!entry) {
      const kind: Entry["kind"] = /^I[A-Z]/.test(name) ? "interface" : "class";
      entry = { name, kind, group: groupOf(kind), members: [] };
      entries.set(name, entry);
    }
    return entry;
  };
  let topics = 0;
  for (const page of pages) {
    const title = page.title || page.sections.find((s) => s.heading)?.heading || "";
    const member = MEMBER_TITLE.exec(title);
    if (member) {
      topics++;
      entryFor(member[3]!).members.push(memberFrom(member[1]!, MEMBER_KINDS[member[2]!]!, page, title));
      continue;
    }
    const type = TYPE_TITLE.exec(title);
    if (type) {
      topics++;
      const entry = entryFor(type[1]!);
      const kind = typeKind(type[2]!);
      entry.kind = kind;
      entry.group = groupOf(kind);
      const description = topicText(page, title, []);
      if (description) entry.description = description;
      if (kind === "enum") entry.members.push(...enumValues(page.sections));
    }
  }
  for (const entry of entries.values()) {
    if (entry.kind !== "enum") {
      entry.members = entry.members.map((m) => (m.kind === "enum-value" ? { ...m, kind: "property" } : m));
    }
  }
  return { entries: [...entries.values()], topics };
}

function typeKind(word: string): Entry["kind"] {
  if (word === "Interface") return "interface";
  if (word === "Enumeration" || word === "Enum") return "enum";
  return "class";
}

function groupOf(kind: Entry["kind"]): string {
  return kind === "enum" ? "enums" : kind === "interface" ? "interfaces" : "classes";
}

function isParameters(section: PageSection): boolean {
  return /^parameters$/i.test(section.heading);
}

function memberFrom(name: string, kind: Member["kind"], page: HtmlPage, title: string): Member {
  const params: Param[] = page.sections
    .filter(isParameters)
    .flatMap((section) => section.pairs)
    .filter((pair) => pair.term)
    .map((pair) =>
      pair.definition ? { name: pair.term, description: pair.definition } : { name: pair.term },
    );
  const member: Member = {
    name,
    kind,
    signature:
      kind === "method" || kind === "constructor" ? `${name}(${params.map((p) => p.name).join(", ")})` : name,
  };
  if (params.length) member.params = params;
  const description = topicText(page, title, params);
  if (description) member.description = description;
  return member;
}

/** The page's sections as text, headings kept; parameter lists are left to `params`. */
function topicText(page: HtmlPage, title: string, params: readonly Param[]): string {
  const text = page.sections
    .filter((section) => !(isParameters(section) && params.length))
    .map((section) => {
      const heading = section.heading && section.heading !== title ? `${section.heading}:\n` : "";
      return `${heading}${section.text}`.trim();
    })
    .filter(Boolean)
    .join("\n\n");
  return text.length > MAX_TOPIC_CHARS ? `${text.slice(0, MAX_TOPIC_CHARS - 1).trimEnd()}…` : text;
}

/** Table rows whose first cell is an identifier: the member, a numeric cell its value, the rest its text. */
function enumValues(sections: readonly PageSection[]): Member[] {
  const members: Member[] = [];
  for (const row of sections.flatMap((section) => section.rows)) {
    const [name, ...rest] = row;
    if (!name || !IDENTIFIER.test(name)) continue;
    const valueCell = rest.find((cell) => NUMBER.test(cell));
    const value = valueCell ? NUMBER.exec(valueCell)![1]! : undefined;
    const description = rest.filter((cell) => cell !== valueCell && cell).join(" ");
    const member: Member = { name, kind: "enum-value", signature: value ? `${name} = ${value}` : name };
    if (value !== undefined) member.value = value;
    if (description) member.description = description;
    members.push(member);
  }
  return members;
}
