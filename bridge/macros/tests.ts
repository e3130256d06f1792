// A macro's tests, checked case by case when the macro is saved, so that every problem names
// its case: the case's shape, a unique name, something to expect, its params against the
// macro's params schema, an expected `schema` that compiles (its patterns on RE2), and a
// fixture that is an existing file.
import { isAbsolute } from "node:path";
import type { ErrorObject } from "ajv";
import { unreadableFile } from "../readable-file.js";
import { UnsupportedPatternError } from "../security/linear-regex.js";
import { firstIssueText } from "../zod-issue.js";
import { MacroError } from "./errors.js";
import { linearAjv } from "./linear-ajv.js";
import { validateParams } from "./params.js";
import { MacroTestCase, type ParamsSchema } from "./schema.js";

const valueAjv = linearAjv();

/** The cases as they will be stored, or a 400 naming the first bad case and what is wrong. */
export function checkTests(
  raw: readonly unknown[],
  params: ParamsSchema,
  macroName: string,
): MacroTestCase[] {
  const seen = new Set<string>();
  return raw.map((item, i) => {
    const label = caseLabel(item, i);
    const fail = (problem: string): never => {
      throw new MacroError(400, "bad-tests", `tests: ${label}: ${problem}`);
    };
    const parsed = MacroTestCase.safeParse(item);
    if (!parsed.success) fail(firstIssueText(parsed.error, "case"));
    const test = parsed.data!;
    if (seen.has(test.name)) fail(`another case is named "${test.name}" (names must differ)`);
    seen.add(test.name);
    if (!("value" in test.expect) && test.expect.schema === undefined && test.expect.check === undefined)
      fail("expect: give value, schema or check (what the run must produce)");
    try {
      validateParams(macroName, params, test.params ?? {});
    } catch (error) {
      if (!(error instanceof MacroError)) throw error;
      fail(`params: ${error.message.replace(`macro ${macroName}: `, "")}`);
    }
    if (test.expect.schema !== undefined) {
      const problem = schemaProblem(test.expect.schema);
      if (problem) fail(`expect.schema: ${problem}`);
    }
    if (test.fixture !== undefined) {
      if (!isAbsolute(test.fixture)) fail(`fixture: "${test.fixture}" is not an absolute path`);
      const unreadable = unreadableFile(test.fixture);
      if (unreadable) fail(`fixture: ${unreadable}`);
    }
    return test;
  });
}

/** `case 2 "adds three"` (1-based), or `case 2` when it has no usable name. */
export function caseLabel(item: unknown, index: number): string {
  const name = (item as { name?: unknown } | null)?.name;
  return typeof name === "string" && name ? `case ${index + 1} "${name}"` : `case ${index + 1}`;
}

function schemaProblem(schema: unknown): string | null {
  try {
    valueAjv.removeSchema(valueAjv.compile(schema as object).schema as object);
    return null;
  } catch (error) {
    if (error instanceof UnsupportedPatternError) return error.message;
    return `not a valid JSON Schema: ${(error as Error).message}`;
  }
}

/** Why `value` does not match `schema` (the first few problems, at their paths), or null. */
export function valueSchemaProblem(schema: unknown, value: unknown): string | null {
  const validate = valueAjv.compile(schema as object);
  try {
    if (validate(value)) return null;
    return [...new Set((validate.errors ?? []).slice(0, 3).map(describeValueError))].join("; ");
  } finally {
    valueAjv.removeSchema(schema as object);
  }
}

function describeValueError(error: ErrorObject): string {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  const where = path.length ? `value.${path.join(".")}` : "value";
  const extra =
    error.keyword === "required"
      ? ` (${(error.params as { missingProperty: string }).missingProperty})`
      : error.keyword === "additionalProperties"
        ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
        : error.keyword === "enum"
          ? `: ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`
          : "";
  return `${where} ${error.message ?? "is invalid"}${extra}`;
}
