// unwrap, preflight and wrap of the Python kit on their own (no Python needed).
import { describe, expect, it } from "vitest";
import { ENVELOPE_TAG, OUTPUT_VARIABLE, pythonKit } from "../adapters/python/index.js";

const wrapped = pythonKit.wrap("1");

describe("python unwrap", () => {
  it("never treats missing or garbage output as success", () => {
    const garbage = [
      "",
      "   ",
      "undefined",
      "None",
      "null",
      "EvalScript error.",
      "{not json",
      "42",
      '"a string"',
      "[1, 2]",
      '{"value": 1}',
      '{"ok": true, "value": 1}',
    ];
    for (const output of garbage) {
      const result = pythonKit.unwrap(output, wrapped);
      expect(result.error?.message, output).toMatch(/Python panel returned|envelope/);
      expect(result).not.toHaveProperty("value");
    }
    expect(pythonKit.unwrap("", wrapped).error?.message).toContain("empty");
    expect(pythonKit.unwrap("None", wrapped).error?.message).toContain("None");
    expect(pythonKit.unwrap("{not json", wrapped).error?.message).toContain("not JSON");
  });

  it("rejects envelopes it cannot read", () => {
    const cases = [
      { [ENVELOPE_TAG]: 2, ok: true, value: 1 },
      { [ENVELOPE_TAG]: 1, ok: "yes", value: 1 },
      { [ENVELOPE_TAG]: 1, ok: true },
    ];
    for (const envelope of cases) {
      const result = pythonKit.unwrap(JSON.stringify(envelope), wrapped);
      expect(result.error?.message, JSON.stringify(envelope)).toBeTruthy();
      expect(result).not.toHaveProperty("value");
    }
  });

  it("reads success with value and logs", () => {
    const output = JSON.stringify({ [ENVELOPE_TAG]: 1, ok: true, value: { a: [1, null] }, logs: "hi\n" });
    expect(pythonKit.unwrap(output, wrapped)).toEqual({ value: { a: [1, null] }, logs: "hi\n" });
    const nullValue = JSON.stringify({ [ENVELOPE_TAG]: 1, ok: true, value: null });
    expect(pythonKit.unwrap(nullValue, wrapped)).toEqual({ value: null });
  });

  it("reads errors, keeping only sound positions", () => {
    const error = { message: "boom", type: "ValueError", line: 3, column: 5, stack: "Traceback..." };
    const output = JSON.stringify({ [ENVELOPE_TAG]: 1, ok: false, error, logs: "before\n" });
    expect(pythonKit.unwrap(output, wrapped)).toEqual({ error, logs: "before\n" });
    const odd = JSON.stringify({
      [ENVELOPE_TAG]: 1,
      ok: false,
      error: { message: "", line: -1, column: "x" },
    });
    expect(pythonKit.unwrap(odd, wrapped)).toEqual({ error: { message: "the script failed (no message)" } });
    const bare = JSON.stringify({ [ENVELOPE_TAG]: 1, ok: false });
    expect(pythonKit.unwrap(bare, wrapped).error?.message).toContain("no error details");
  });
});

describe("python preflight", () => {
  it("accepts anything Python might accept", () => {
    const valid = [
      "",
      "x = 1",
      "def f(\n    a,\n):\n\treturn a",
      "é = '✓'  # unicode names and text",
      "s = '\\0 and \\x00 written as escapes'",
      "match x:\n    case [1, *rest]:\n        pass",
      "x = (",
      "print(f'{x!r:>{w}}')",
    ];
    for (const code of valid) expect(pythonKit.preflight(code), code).toEqual([]);
  });

  it("flags a NUL character with its position", () => {
    const issues = pythonKit.preflight("x = 1\ny = 'a\0b'");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 2, column: 7 });
    expect(issues[0]!.message).toContain("NUL");
  });

  it("flags an unpaired surrogate but not a paired one", () => {
    expect(pythonKit.preflight("x = '💥'")).toEqual([]);
    expect(pythonKit.preflight("x = 1\r\ny = '\ud800'")[0]).toMatchObject({ line: 2, column: 6 });
  });
});

describe("python wrap", () => {
  it("produces one statement that stores the output, with the user's lines unshifted", () => {
    const result = pythonKit.wrap("x = 1\nx", { prelude: "import bpy", epilogue: "pass", params: { a: 1 } });
    expect(result.lineOffset).toBe(0);
    expect(result.code.startsWith(`${OUTPUT_VARIABLE} = `)).toBe(true);
    expect(result.code.trimEnd().split("\n")).toHaveLength(1);
  });

  it("embeds the user's code, prelude and params only as string literals", () => {
    const code = "print('hi')\n\"\"\"\n'''";
    const result = pythonKit.wrap(code, { params: "x'); import os #" });
    expect(result.code).toContain(JSON.stringify(code));
    expect(result.code).toContain(JSON.stringify(JSON.stringify("x'); import os #")));
    expect(result.code).not.toContain("import os #\n");
  });
});
