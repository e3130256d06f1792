// A macro's parameters: its params schema (JSON Schema) checks the values with ajv, fills in
// defaults, and, for `k=v` text from the CLI, says what type each value should become.
import { createHash } from "node:crypto";
import type { ErrorObject, ValidateFunction } from "ajv";
import { UnsupportedPatternError } from "../security/linear-regex.js";
import { MacroError } from "./errors.js";
import { linearAjv } from "./linear-ajv.js";
import type { ParamsSchema } from "./schema.js";

// `pattern` and `patternProperties` come from whoever saved the macro: see linear-ajv.ts.
const ajv = linearAjv({ useDefaults: true });
const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles a params schema, or says why it is not one (the `$schema` dialect is ignored). */
export function compileParams(schema: ParamsSchema): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(rest);
  } catch (error) {
    if (error instanceof UnsupportedPatternError) {
      const name = Object.entries(schema.properties ?? {}).find(([, sub]) =>
        usesPattern(sub, error.pattern),
      )?.[0];
      const where = name === undefined ? "params" : `params: parameter "${name}"`;
      throw new MacroError(400, "bad-request", `${where}: ${error.message}`);
    }
    throw new MacroError(400, "bad-request", `params: not a valid JSON Schema: ${(error as Error).message}`);
  }
  compiled.set(schema, validate);
  return validate;
}

/** Whether a (sub)schema holds this regex as a `pattern` or a `patternProperties` key. */
export function usesPattern(node: unknown, pattern: string): boolean {
  if (Array.isArray(node)) return node.some((item) => usesPattern(item, pattern));
  if (!isPlainObject(node)) return false;
  return Object.entries(node as Record<string, unknown>).some(
    ([key, value]) =>
      (key === "pattern" && value === pattern) ||
      (key === "patternProperties" && isPlainObject(value) && Object.hasOwn(value as object, pattern)) ||
      usesPattern(value, pattern),
  );
}

/** Checks values against the schema (defaults filled in, unknown names refused); returns the values. */
export function validateParams(
  macroName: string,
  schema: ParamsSchema,
  values: unknown,
): Record<string, unknown> {
  if (values !== undefined && (typeof values !== "object" || values === null || Array.isArray(values)))
    throw new MacroError(400, "bad-params", `macro ${macroName}: params must be an object of name → value`);
  const copy = structuredClone((values ?? {}) as Record<string, unknown>);
  const known = Object.keys(schema.properties ?? {});
  if (schema.additionalProperties === undefined && schema.patternProperties === undefined) {
    const unknown = Object.keys(copy).filter((key) => !known.includes(key));
    if (unknown.length) {
      throw new MacroError(
        400,
        "bad-params",
        `macro ${macroName}: unknown parameter ${unknown.map((k) => `"${k}"`).join(", ")} (it takes ${known.length ? known.join(", ") : "no parameters"})`,
      );
    }
  }
  const validate = compileParams(schema);
  if (!validate(copy)) {
    const problems = (validate.errors ?? []).map(describeError);
    throw new MacroError(400, "bad-params", `macro ${macroName}: ${[...new Set(problems)].join("; ")}`);
  }
  return copy;
}

export function describeError(error: ErrorObject): string {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return `parameter "${[...path, missing].join(".")}" is required`;
  }
  if (error.keyword === "additionalProperties") {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return `unknown parameter "${[...path, extra].join(".")}"`;
  }
  const where = path.length ? `parameter "${path.join(".")}"` : "params";
  const allowed =
    error.keyword === "enum"
      ? `: ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`
      : "";
  return `${where} ${error.message ?? "is invalid"}${allowed}`;
}

/**
 * Turns `name=value` text (CLI `--param`) into typed values by the schema: numbers and
 * integers, booleans, JSON for objects and arrays; strings stay as typed. A value that does
 * not convert stays a string, and validation then names the parameter.
 */
export function coerceParams(schema: ParamsSchema, pairs: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new MacroError(400, "bad-usage", `--param takes name=value, got "${pair}"`);
    const name = pair.slice(0, eq);
    values[name] = coerceValue(schema.properties?.[name], pair.slice(eq + 1));
  }
  return values;
}

function coerceValue(property: Record<string, unknown> | undefined, text: string): unknown {
  const declared = property?.type;
  const types = Array.isArray(declared) ? declared : declared === undefined ? [] : [declared];
  if (types.length === 0) return text;
  for (const type of types) {
    switch (type) {
      case "string":
        return text;
      case "number":
      case "integer": {
        const n = text.trim() === "" ? Number.NaN : Number(text);
        if (Number.isFinite(n)) return n;
        break;
      }
      case "boolean": {
        const lower = text.trim().toLowerCase();
        if (["true", "yes", "on", "1"].includes(lower)) return true;
        if (["false", "no", "off", "0"].includes(lower)) return false;
        break;
      }
      case "null":
        if (text === "null" || text === "") return null;
        break;
      case "object":
      case "array":
        try {
          const parsed: unknown = JSON.parse(text);
          if (type === "array" ? Array.isArray(parsed) : isPlainObject(parsed)) return parsed;
        } catch {
          // falls through: the schema check names the parameter
        }
        break;
    }
  }
  return text;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * sha256 of the code and the canonical (sorted-key) JSON of the params schema, and of the
 * tests when there are any (their checks are code that runs too; without tests the hash is
 * what it always was).
 */
export function macroHash(code: string, params: ParamsSchema, tests?: readonly unknown[]): string {
  const hash = createHash("sha256").update(code).update("\u0000").update(canonicalJson(params));
  if (tests?.length) hash.update("\u0000").update(canonicalJson(tests));
  return hash.digest("hex");
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
