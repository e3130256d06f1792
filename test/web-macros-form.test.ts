// The chat panel's macro forms as pure functions (panels/web/schema-form.js): a macro's JSON
// Schema → its run form, typed values → params, the "Save as macro" editor's rows → a schema.
import { describe, expect, it } from "vitest";

type Field = {
  name: string;
  label: string;
  kind: string;
  required: boolean;
  description: string;
  initial: unknown;
  options?: Array<{ value: unknown; label: string }>;
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  step?: string;
};
type Problem = { name?: string; row?: number; field?: string; message: string };
type SchemaForm = {
  formModel(schema: unknown): Field[];
  collectParams(
    fields: Field[],
    values: Record<string, unknown>,
  ): { params?: Record<string, unknown>; problem?: Problem };
  buildSchema(rows: Array<Record<string, string>>): { schema?: Record<string, unknown>; problem?: Problem };
  macroNameProblem(name: string): string | null;
  fieldHint(field: Field): string;
  fieldNamedIn(fields: Field[], message: string): Field | undefined;
};
// A plain-JS browser module: loaded by path so the type checker does not need declarations for it.
const modulePath = "../panels/web/schema-form.js";
const form = (await import(modulePath)) as SchemaForm;

const schema = {
  type: "object",
  properties: {
    label: { type: "string", description: "the text", default: "hello" },
    size: { type: "number", exclusiveMinimum: 0, maximum: 1000, default: 2 },
    count: { type: "integer", minimum: 1, maximum: 100, description: "how many" },
    smooth: { type: "boolean", default: true },
    axis: { type: "string", enum: ["X", "Y", "Z"], default: "Y" },
    level: { enum: [1, 2, 3] },
    tags: { type: "array", items: { type: "string" } },
  },
  required: ["count", "axis"],
};

describe("macro run form from a JSON Schema", () => {
  it("makes one field per property, by type, with required, defaults and ranges", () => {
    const fields = form.formModel(schema);
    expect(fields.map((f) => [f.name, f.kind, f.required, f.initial])).toEqual([
      ["label", "text", false, "hello"],
      ["size", "number", false, "2"],
      ["count", "integer", true, ""],
      ["smooth", "checkbox", false, true],
      ["axis", "select", true, "1"],
      ["level", "select", false, ""],
      ["tags", "json", false, ""],
    ]);
    const [label, size, count, , axis, level] = fields as [Field, Field, Field, Field, Field, Field];
    expect(label.description).toBe("the text");
    expect(size).toMatchObject({ min: 0, minExclusive: true, max: 1000, step: "any" });
    expect(size.maxExclusive).toBeUndefined();
    expect(count).toMatchObject({ min: 1, max: 100, step: "1" });
    expect(axis.options).toEqual([
      { value: "X", label: "X" },
      { value: "Y", label: "Y" },
      { value: "Z", label: "Z" },
    ]);
    expect(level.options!.map((o) => o.value)).toEqual([1, 2, 3]);
    expect(form.fieldHint(count)).toBe("how many · 1 to 100 · whole number");
    expect(form.fieldHint(size)).toBe("more than 0, at most 1000");
  });

  it("a required enum without a default starts on its first value; no schema means no fields", () => {
    const [only] = form.formModel({
      type: "object",
      properties: { mode: { enum: ["a", "b"] } },
      required: ["mode"],
    });
    expect(only!.initial).toBe("0");
    expect(form.formModel(undefined)).toEqual([]);
    expect(form.formModel({ type: "object" })).toEqual([]);
  });

  it("turns typed values into params: numbers, booleans, enum values (not their labels), JSON; empty fields left out", () => {
    const fields = form.formModel(schema);
    const { params } = form.collectParams(fields, {
      label: "",
      size: "2.5",
      count: "7",
      smooth: false,
      axis: "2",
      level: "1",
      tags: '["a","b"]',
    });
    expect(params).toEqual({ size: 2.5, count: 7, smooth: false, axis: "Z", level: 2, tags: ["a", "b"] });
    // Out of range or fractional integers go to the bridge as typed: it names the parameter.
    expect(form.collectParams(fields, { count: "1000", smooth: true, axis: "0" }).params).toEqual({
      count: 1000,
      smooth: true,
      axis: "X",
    });
    expect(form.collectParams(fields, { tags: "[oops", smooth: true }).problem).toEqual({
      name: "tags",
      message: "tags: not valid JSON",
    });
  });

  it("finds the parameter a bridge message names", () => {
    const fields = form.formModel(schema);
    expect(form.fieldNamedIn(fields, 'macro m: parameter "count" must be <= 100')?.name).toBe("count");
    expect(form.fieldNamedIn(fields, "size: must be > 0")?.name).toBe("size");
    expect(form.fieldNamedIn(fields, "counter is wrong")).toBeUndefined();
  });
});

describe("macro parameter editor → JSON Schema", () => {
  it("builds typed properties; a parameter without a default is required", () => {
    const built = form.buildSchema([
      { name: "count", type: "integer", default: "3", description: "how many" },
      { name: "label", type: "string", default: "", description: "" },
      { name: "scale", type: "number", default: "0.5", description: "" },
      { name: "hide", type: "boolean", default: "false", description: "" },
    ]);
    expect(built).toEqual({
      schema: {
        type: "object",
        properties: {
          count: { type: "integer", default: 3, description: "how many" },
          label: { type: "string" },
          scale: { type: "number", default: 0.5 },
          hide: { type: "boolean", default: false },
        },
        required: ["label"],
      },
    });
    expect(form.buildSchema([])).toEqual({ schema: undefined });
  });

  it("names the row and field at fault", () => {
    expect(form.buildSchema([{ name: "", type: "string", default: "" }]).problem).toMatchObject({
      row: 0,
      field: "name",
    });
    expect(form.buildSchema([{ name: "2nd", type: "string", default: "" }]).problem?.message).toMatch(
      /Parameter 1: "2nd" is not a valid name/,
    );
    expect(
      form.buildSchema([
        { name: "a", type: "string", default: "" },
        { name: "a", type: "number", default: "" },
      ]).problem,
    ).toMatchObject({ row: 1, field: "name", message: 'Parameter 2: "a" is used twice.' });
    expect(form.buildSchema([{ name: "n", type: "integer", default: "1.5" }]).problem).toMatchObject({
      row: 0,
      field: "default",
      message: 'Parameter 1 (n): the default "1.5" is not a whole number.',
    });
    expect(form.buildSchema([{ name: "b", type: "boolean", default: "maybe" }]).problem?.field).toBe(
      "default",
    );
  });

  it("checks macro names as the bridge does", () => {
    expect(form.macroNameProblem("add-cubes.v2_x")).toBeNull();
    expect(form.macroNameProblem("")).toMatch(/name/);
    expect(form.macroNameProblem("Add")).toMatch(/lowercase/);
    expect(form.macroNameProblem("-x")).toMatch(/starts with/);
    expect(form.macroNameProblem("a".repeat(65))).toMatch(/64/);
  });
});
