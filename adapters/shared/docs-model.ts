// What every docs builder produces, whatever its source (a .d.ts dependency, live
// introspection of a running app): entries with members. The store renders each entry to
// one Markdown file and indexes entries and members for search.
import { z } from "zod";

export const EntryKind = z.enum([
  "class",
  "interface",
  "enum",
  "global",
  "namespace",
  "operator-group",
  "function",
]);
export type EntryKind = z.infer<typeof EntryKind>;

export const MemberKind = z.enum([
  "property",
  "method",
  "function",
  "constructor",
  "enum-value",
  "operator",
  "event",
]);
export type MemberKind = z.infer<typeof MemberKind>;

export const Param = z.object({
  name: z.string(),
  type: z.string().optional(),
  description: z.string().optional(),
  optional: z.boolean().optional(),
  /** Default value as source text, when known. */
  default: z.string().optional(),
});
export type Param = z.infer<typeof Param>;

export const Member = z.object({
  name: z.string().min(1),
  kind: MemberKind,
  /** One line as a user would write it: `addText(sourceText?: string | TextDocument): TextLayer`. */
  signature: z.string(),
  /** Property type or return type. */
  type: z.string().optional(),
  description: z.string().optional(),
  readonly: z.boolean().optional(),
  static: z.boolean().optional(),
  params: z.array(Param).optional(),
  /** Allowed values of an enum-typed property or parameter (Blender RNA enums). */
  values: z.array(z.object({ name: z.string(), description: z.string().optional() })).optional(),
  /** Enum member value, as text. */
  value: z.string().optional(),
});
export type Member = z.infer<typeof Member>;

export const Entry = z.object({
  /** The symbol: `CompItem`, `bpy.types.Object`, `bpy.ops.mesh`. */
  name: z.string().min(1),
  kind: EntryKind,
  /** Grouping folder in the tree: `classes`, `enums`, `globals`, `operators`, … */
  group: z.string().regex(/^[a-z][a-z0-9-]*$/),
  description: z.string().optional(),
  extends: z.array(z.string()).optional(),
  /** One of the types scripts use most (DocsSource.commonTypes): ranked higher in search. */
  common: z.boolean().optional(),
  members: z.array(Member),
});
export type Entry = z.infer<typeof Entry>;

export const DocSet = z.object({
  app: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** The app version the reference describes, e.g. "26.0" or "3.4.1". */
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
  /** Where it came from: "types-for-adobe 7.2.6", "introspection of Blender 3.4.1". */
  source: z.string(),
  entries: z.array(Entry),
});
export type DocSet = z.infer<typeof DocSet>;
