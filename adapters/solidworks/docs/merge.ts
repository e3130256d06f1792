// Entries of one reference read from two sources (the XML docs and the help pages): the first
// source's structure wins, the second fills in what it lacks and adds what it has alone.
import type { Entry, Member } from "../../shared/docs-model.js";

export function mergeEntries(base: readonly Entry[], extra: readonly Entry[]): Entry[] {
  const merged = base.map((entry) => ({ ...entry, members: entry.members.map((m) => ({ ...m })) }));
  const byName = new Map(merged.map((entry) => [entry.name, entry]));
  for (const entry of extra) {
    const target = byName.get(entry.name);
    if (!target) {
      merged.push(entry);
      byName.set(entry.name, entry);
      continue;
    }
    if (!target.description && entry.description) target.description = entry.description;
    for (const member of entry.members) {
      const same = target.members.find((m) => m.name === member.name);
      if (same) fillMember(same, member);
      else target.members.push(member);
    }
  }
  return merged;
}

function fillMember(target: Member, extra: Member): void {
  if (!target.description && extra.description) target.description = extra.description;
  if (target.value === undefined && extra.value !== undefined) {
    target.value = extra.value;
    target.signature = extra.signature;
  }
  if (!target.params?.length) {
    if (extra.params?.length) target.params = extra.params;
    return;
  }
  target.params = target.params.map((param) => {
    if (param.description) return param;
    const other = extra.params?.find((p) => p.name.toLowerCase() === param.name.toLowerCase());
    return other?.description ? { ...param, description: other.description } : param;
  });
}
