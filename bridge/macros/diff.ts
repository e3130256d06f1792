// What changed between two versions of a macro: a unified diff of the code (jsdiff), and what
// happened to its parameters (added, removed, a changed type), its description and its tests.
import { createTwoFilesPatch } from "diff";
import { canonicalJson } from "./params.js";
import type { Macro } from "./schema.js";

export interface ParamChange {
  name: string;
  /** The parameter's JSON Schema type ("number", "string|null", "any"). */
  from: string;
  to: string;
}

export interface ParamChanges {
  added: Array<{ name: string; type: string }>;
  removed: Array<{ name: string; type: string }>;
  /** Parameters whose type changed. */
  changed: ParamChange[];
  /** Parameters whose type is the same but something else changed (default, required, bounds…). */
  otherwise: string[];
}

export interface MacroDiff {
  name: string;
  a: number;
  b: number;
  /** Unified diff of the code, from version a to version b ("" when the code is the same). */
  diff: string;
  params: ParamChanges;
  description?: { from: string; to: string };
  /** Test case names added, removed or changed. */
  tests: { added: string[]; removed: string[]; changed: string[] };
}

export function macroDiff(name: string, a: number, older: Macro, b: number, newer: Macro): MacroDiff {
  const withNewline = (code: string) => (code.endsWith("\n") ? code : `${code}\n`);
  const diff =
    older.code === newer.code
      ? ""
      : createTwoFilesPatch(
          `${name} version ${a}`,
          `${name} version ${b}`,
          withNewline(older.code),
          withNewline(newer.code),
          undefined,
          undefined,
          { context: 3 },
        );
  return {
    name,
    a,
    b,
    diff,
    params: paramChanges(older, newer),
    ...(older.description !== newer.description
      ? { description: { from: older.description, to: newer.description } }
      : {}),
    tests: testChanges(older, newer),
  };
}

function typeOf(schema: Record<string, unknown> | undefined): string {
  const type = schema?.type;
  if (Array.isArray(type)) return type.join("|");
  if (typeof type === "string") return type;
  if (schema?.enum) return "enum";
  return "any";
}

export function paramChanges(older: Pick<Macro, "params">, newer: Pick<Macro, "params">): ParamChanges {
  const before = older.params.properties ?? {};
  const after = newer.params.properties ?? {};
  const requiredBefore = new Set(older.params.required ?? []);
  const requiredAfter = new Set(newer.params.required ?? []);
  const changes: ParamChanges = { added: [], removed: [], changed: [], otherwise: [] };
  for (const [name, schema] of Object.entries(after))
    if (!(name in before)) changes.added.push({ name, type: typeOf(schema) });
  for (const [name, schema] of Object.entries(before)) {
    if (!(name in after)) {
      changes.removed.push({ name, type: typeOf(schema) });
      continue;
    }
    const from = typeOf(schema);
    const to = typeOf(after[name]);
    if (from !== to) changes.changed.push({ name, from, to });
    else if (
      canonicalJson(schema) !== canonicalJson(after[name]) ||
      requiredBefore.has(name) !== requiredAfter.has(name)
    )
      changes.otherwise.push(name);
  }
  return changes;
}

function testChanges(older: Macro, newer: Macro): MacroDiff["tests"] {
  const before = new Map((older.tests ?? []).map((t) => [t.name, canonicalJson(t)]));
  const after = new Map((newer.tests ?? []).map((t) => [t.name, canonicalJson(t)]));
  return {
    added: [...after.keys()].filter((name) => !before.has(name)),
    removed: [...before.keys()].filter((name) => !after.has(name)),
    changed: [...after]
      .filter(([name, text]) => before.has(name) && before.get(name) !== text)
      .map(([n]) => n),
  };
}

/** The parameter changes as lines a person reads (empty when none). */
export function paramChangeLines(changes: ParamChanges): string[] {
  return [
    ...changes.added.map((p) => `+ parameter ${p.name} (${p.type})`),
    ...changes.removed.map((p) => `- parameter ${p.name} (${p.type})`),
    ...changes.changed.map((p) => `~ parameter ${p.name}: ${p.from} → ${p.to}`),
    ...changes.otherwise.map((name) => `~ parameter ${name}: same type, other rules changed`),
  ];
}
