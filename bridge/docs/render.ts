// One Markdown file per entry. Each member gets an anchor (`<a id="layers"></a>`) so a
// search result can point at `classes/CompItem.md#layers` and a read can start there.
import type { Entry, Member } from "../../adapters/shared/docs-model.js";

export interface RenderedEntry {
  /** Path inside the tree, e.g. `classes/CompItem.md`. */
  path: string;
  markdown: string;
  /** Member name → anchor id, in member order (overloads get `-2`, `-3`, …). */
  anchors: string[];
}

/** File names keep the symbol readable and portable. */
export function fileNameFor(name: string): string {
  // `$` stays: it is ExtendScript's global helper object and a valid file name everywhere.
  const safe = name.replace(/[^A-Za-z0-9._$-]+/g, "_").replace(/^\.+/, "");
  return `${safe || "entry"}.md`;
}

export function anchorsFor(members: readonly Member[]): string[] {
  const seen = new Map<string, number>();
  return members.map((member) => {
    const base = member.name.replace(/[^A-Za-z0-9_-]+/g, "_") || "member";
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

const KIND_HEADINGS: Record<Member["kind"], string> = {
  constructor: "Constructors",
  property: "Properties",
  method: "Methods",
  function: "Functions",
  event: "Events",
  operator: "Operators",
  "enum-value": "Values",
};

export function renderEntry(
  entry: Entry,
  path: string,
  title: string,
  linkFor: (name: string) => string | null,
): RenderedEntry {
  const anchors = anchorsFor(entry.members);
  const lines: string[] = [`# ${entry.name}`, ""];
  const parents = (entry.extends ?? []).map((name) => {
    const target = linkFor(name);
    return target ? `[${name}](${target})` : name;
  });
  lines.push(`${entry.kind}${parents.length ? ` · extends ${parents.join(", ")}` : ""} · ${title}`, "");
  if (entry.description) lines.push(entry.description, "");

  const order = Object.keys(KIND_HEADINGS) as Member["kind"][];
  for (const kind of order) {
    const indexes = entry.members.map((member, i) => (member.kind === kind ? i : -1)).filter((i) => i >= 0);
    if (!indexes.length) continue;
    lines.push(`## ${KIND_HEADINGS[kind]}`, "");
    for (const i of indexes) lines.push(...renderMember(entry.members[i]!, anchors[i]!));
  }
  return { path, markdown: `${lines.join("\n").trimEnd()}\n`, anchors };
}

function renderMember(member: Member, anchor: string): string[] {
  const flags = [member.static ? "static" : "", member.readonly ? "read-only" : ""].filter(Boolean);
  const lines = [
    `<a id="${anchor}"></a>`,
    `### ${member.name}${flags.length ? ` (${flags.join(", ")})` : ""}`,
    "",
  ];
  lines.push(`\`${member.signature.replace(/`/g, "'")}\``, "");
  if (member.description) lines.push(member.description, "");
  if (member.value !== undefined) lines.push(`Value: \`${member.value}\``, "");
  if (member.params?.length) {
    lines.push("Parameters:");
    for (const param of member.params) {
      const type = param.type ? `: ${param.type}` : "";
      const extra = [
        param.optional ? "optional" : "",
        param.default !== undefined ? `default ${param.default}` : "",
      ]
        .filter(Boolean)
        .join(", ");
      lines.push(
        `- \`${param.name}${type}\`${extra ? ` (${extra})` : ""}${param.description ? ` — ${param.description}` : ""}`,
      );
    }
    lines.push("");
  }
  if (member.values?.length) {
    lines.push(
      `Values: ${member.values.map((v) => `\`${v.name}\`${v.description ? ` (${v.description})` : ""}`).join(", ")}`,
      "",
    );
  }
  return lines;
}

/** First sentence, for indexes and listings. */
export function summaryOf(text: string | undefined, max = 120): string {
  if (!text) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(flat)?.[1] ?? flat;
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}
