// The macro format, written once in zod. The JSON Schema that ajv checks macro files
// against (on load and on save) is derived from it, so the two can never disagree.
import { z } from "zod";

export const MACRO_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const MacroName = z
  .string()
  .regex(MACRO_NAME, "a macro name is 1-64 characters of a-z 0-9 . _ -, starting with a letter or digit");

/** Where a macro came from. */
export const MacroSource = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("session"),
    sessionId: z.string().min(1).max(128),
    /** The run_script call whose code was saved, when the code matches one. */
    scriptId: z.string().min(1).max(128).optional(),
  }),
  z.strictObject({ kind: z.literal("file"), path: z.string().min(1).max(4096) }),
  z.strictObject({ kind: z.literal("api") }),
  z.strictObject({ kind: z.literal("starter") }),
  /** A person brought back an earlier version's code (`macro revert`, the panel, the API). */
  z.strictObject({
    kind: z.literal("revert"),
    version: z.number().int().min(1),
    via: z.enum(["cli", "panel", "api"]),
  }),
]);
export type MacroSource = z.infer<typeof MacroSource>;

export const MacroHash = z.string().regex(/^[0-9a-f]{64}$/);

/** How a person approved a macro's code: the CLI, the chat panel, the HTTP API, or by approving a run of it. */
export const REVIEW_VIAS = ["cli", "panel", "api", "approved-run"] as const;

/**
 * A person's approval of one exact version of a macro (its hash). Code an agent session saved
 * is unreviewed until then: running it asks like any script (see MacroStore.reviewed).
 */
export const MacroReview = z.strictObject({
  hash: MacroHash,
  at: z.iso.datetime(),
  via: z.enum(REVIEW_VIAS),
});
export type MacroReview = z.infer<typeof MacroReview>;
export type ReviewVia = MacroReview["via"];

/** A JSON Schema for the parameters: always an object schema; other keywords pass through. */
export const ParamsSchema = z.looseObject({
  type: z.literal("object"),
  properties: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  required: z.array(z.string()).optional(),
});
export type ParamsSchema = z.infer<typeof ParamsSchema>;

export const EMPTY_PARAMS: ParamsSchema = { type: "object", properties: {}, required: [] };

/**
 * What a test case expects of the macro's run, at least one of: `value` (deep equality with
 * the value of its last expression), `schema` (a JSON Schema the value must match) and `check`
 * (code in the macro's language, run after it on the same document, whose value must be true).
 */
export const MacroExpect = z.strictObject({
  value: z.unknown().optional(),
  schema: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
  check: z
    .string()
    .min(1)
    .max(256 * 1024)
    .optional(),
});
export type MacroExpect = z.infer<typeof MacroExpect>;

/** One test of a macro: run on a fresh document (or `fixture`, a file opened first) with `params`. */
export const MacroTestCase = z.strictObject({
  name: z.string().min(1).max(200),
  fixture: z.string().min(1).max(4096).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  expect: MacroExpect,
});
export type MacroTestCase = z.infer<typeof MacroTestCase>;

export const MAX_TEST_CASES = 100;

export const Macro = z.strictObject({
  name: MacroName,
  app: z.string().min(1).max(64),
  language: z.string().min(1).max(32),
  description: z.string().max(2000),
  params: ParamsSchema,
  code: z
    .string()
    .min(1)
    .max(4 * 1024 * 1024),
  source: MacroSource,
  createdAt: z.iso.datetime(),
  /** sha256 (hex) of the code and the canonical JSON of the params schema. */
  hash: MacroHash,
  review: MacroReview.optional(),
  /** Its tests (see bridge/macros/tests.ts); part of the hash, since a check is code that runs. */
  tests: z.array(MacroTestCase).max(MAX_TEST_CASES).optional(),
});
export type Macro = z.infer<typeof Macro>;

/** What a caller gives to save a macro; the store fills in the rest. */
export const MacroInput = Macro.pick({ name: true, app: true, description: true, code: true }).extend({
  language: Macro.shape.language.optional(),
  params: ParamsSchema.optional(),
  source: MacroSource.optional(),
  /** Checked case by case (bridge/macros/tests.ts), so an error can name the case. */
  tests: z.array(z.unknown()).max(MAX_TEST_CASES).optional(),
  /** Why this version: kept in the history, not in the file. */
  message: z.string().max(2000).optional(),
});
export type MacroInput = z.infer<typeof MacroInput>;

/** The JSON Schema of a macro file (draft 2020-12), for ajv. */
export const MACRO_FILE_JSON_SCHEMA = z.toJSONSchema(Macro, { target: "draft-2020-12" });
