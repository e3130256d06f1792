// The VBA kit's wrapper and unwrap, on the module text itself: the entry point hosts rely
// on, where line tracking goes (and where it must not), the two shapes, strings kept
// ASCII, params as data. What the module does when run is tested in LibreOffice
// (test/libreoffice-*.test.ts).
import { describe, expect, it } from "vitest";
import { vbaKit } from "../adapters/vba/index.js";
import { asciiParamsJson } from "../adapters/vba/wrap.js";

const wrap = (code: string, params?: unknown) =>
  vbaKit.wrap(code, params === undefined ? {} : { params }).code;

/** The user's part of the module: from the bare body's Sub (or the first user line) to its end. */
function bodyOf(module: string): string[] {
  const lines = module.split("\n");
  const start = lines.indexOf("Private Sub Swrt_Body(Result As Variant)");
  const end = lines.indexOf("End Sub", start);
  return lines.slice(start + 1, end);
}

describe("VBA wrap: the module hosts run", () => {
  it("has exactly `Public Function ScriptwrightRun() As String`, once, and no host-specific lines", () => {
    const module = wrap("Result = 1");
    expect(module.match(/^Public Function ScriptwrightRun\(\) As String$/gm)).toHaveLength(1);
    expect(module).not.toMatch(/VBASupport/i);
    expect(vbaKit.wrap("Result = 1").lineOffset).toBe(0);
  });

  it("puts the adapter's prelude first, and the user's Option lines before any declaration", () => {
    const module = vbaKit.wrap("Option Explicit\nOption Base 1\nDim x\nResult = x", {
      prelude: "Option VBASupport 1",
    }).code;
    const lines = module.split("\n");
    expect(lines.slice(0, 3)).toEqual(["Option VBASupport 1", "Option Explicit", "Option Base 1"]);
    const firstDeclaration = lines.findIndex((line) => /^(Private|Public|Dim) /.test(line));
    expect(firstDeclaration).toBeGreaterThan(2);
    expect(lines.filter((line) => /^Option /i.test(line))).toHaveLength(3);
  });

  it("does not repeat an Option line the prelude already has, and drops exported Attribute lines", () => {
    const module = vbaKit.wrap('Attribute VB_Name = "Module1"\noption vbasupport 1\nResult = 2', {
      prelude: "Option VBASupport 1",
    }).code;
    expect(module.match(/^option vbasupport 1$/gim)).toHaveLength(1);
    expect(module).not.toContain("Attribute VB_Name");
  });
});

describe("VBA wrap: line tracking", () => {
  it("sets Swrt_Line to the user's line before each statement line of a bare body", () => {
    expect(bodyOf(wrap("Dim x\n\nx = 1 ' one\nResult = x"))).toEqual([
      "Swrt_Line = 1",
      "Dim x",
      "",
      "Swrt_Line = 3",
      "x = 1 ' one",
      "Swrt_Line = 4",
      "Result = x",
    ]);
  });

  it("tracks a continued statement once, at its first line, and leaves continuation lines whole", () => {
    expect(bodyOf(wrap('s = "a" & _\n    "b"\nResult = s'))).toEqual([
      "Swrt_Line = 1",
      's = "a" & _',
      '    "b"',
      "Swrt_Line = 3",
      "Result = s",
    ]);
  });

  it("does not track Else, ElseIf, Case, End …, Next, Loop and Wend, and splits `Case x: stmt`", () => {
    const body = bodyOf(
      wrap(
        [
          "If a Then",
          "  b = 1",
          "ElseIf c Then",
          "Else",
          "End If",
          "Select Case a",
          "Case 1: b = 2",
          "Case Else",
          "End Select",
          "For i = 1 To 2",
          "Next",
          "Do",
          "Loop",
          "While a",
          "Wend",
        ].join("\n"),
      ),
    );
    const tracked = body
      .filter((line) => line.startsWith("Swrt_Line"))
      .map((line) => Number(line.split("= ")[1]));
    expect(tracked).toEqual([1, 2, 6, 7, 10, 12, 14]);
    expect(body).toContain("Case 1");
    expect(body[body.indexOf("Case 1") + 1]).toBe("Swrt_Line = 7");
    expect(body[body.indexOf("Case 1") + 2]).toBe("b = 2");
  });

  it("keeps a label on its own line and tracks the statement after it", () => {
    expect(bodyOf(wrap("Again: n = n + 1\nIf n < 3 Then GoTo Again"))).toEqual([
      "Again:",
      "Swrt_Line = 1",
      " n = n + 1",
      "Swrt_Line = 2",
      "If n < 3 Then GoTo Again",
    ]);
  });

  it("in a module tracks procedure bodies only and calls Main (a Function's value is the result)", () => {
    const code = [
      "Private total As Long",
      "Private Sub Add(n)",
      "  total = total + n",
      "End Sub",
      "Function Main()",
      "  Add 2",
      "  Main = total",
      "End Function",
    ].join("\n");
    const module = wrap(code);
    expect(module).not.toContain("Swrt_Body");
    expect(module).toContain(
      "Private total As Long\nPrivate Sub Add(n)\nSwrt_Line = 3\n  total = total + n\nEnd Sub",
    );
    expect(module).toContain(
      "Function Main()\nSwrt_Line = 6\n  Add 2\nSwrt_Line = 7\n  Main = total\nEnd Function",
    );
    expect(module).toContain("    Swrt_Store Swrt_Value, Main()\n");
    expect(wrap("Sub Main()\nEnd Sub")).toMatch(/\n {4}Main\n/);
  });
});

describe("VBA wrap: text stays ASCII, params stay data", () => {
  it("moves string literals with non-ASCII characters to a table filled with ChrW pieces", () => {
    const module = wrap('s = "naïve — 日本 ""q"""\nResult = s');
    expect(module).toContain("s = Swrt_S(1)");
    expect(module).toContain(
      'Swrt_S(1) = Swrt_S(1) & "na" & ChrW(239) & "ve " & ChrW(8212) & " " & ChrW(26085)',
    );
    expect(module).toContain('ChrW(26412) & " ""q"""');
    expect(/^[\x20-\x7e\n]*$/.test(module)).toBe(true);
  });

  it("leaves Const literals alone (a Const cannot call ChrW)", () => {
    expect(wrap('Const GREETING = "héllo"\nResult = GREETING')).toContain('Const GREETING = "héllo"');
  });

  it("binds params as ASCII JSON in slot 0 of the table, never in the code", () => {
    const params = { file: 'C:\\data\\"x".xlsx', note: "日本", n: 3 };
    const module = wrap('Result = params("file")', params);
    expect(asciiParamsJson(params)).toBe(
      '{"file":"C:\\\\data\\\\\\"x\\".xlsx","note":"\\u65e5\\u672c","n":3}',
    );
    expect(module).toContain(`Swrt_S(0) = Swrt_S(0) & "${asciiParamsJson(params).replace(/"/g, '""')}"`);
    expect(module).toContain('Result = params("file")');
  });

  it("keeps every physical line of a long params JSON under VBA's 1023-character limit", () => {
    const module = wrap("Result = 1", { rows: Array.from({ length: 20_000 }, (_, i) => `row ${i} ü`) });
    const longest = Math.max(...module.split("\n").map((line) => line.length));
    expect(longest).toBeLessThan(1023);
    const loaders = module.match(/^Private Sub Swrt_LoadStrings\d+\(\)$/gm) ?? [];
    expect(loaders.length).toBeGreaterThan(1);
  });

  it("passes the log, value and item caps to the runtime", () => {
    const module = vbaKit.wrap("Result = 1", { maxLogChars: 10, maxValueChars: 2000, maxItems: 5 }).code;
    expect(module).toContain("    Swrt_Begin 10, 2000, 5\n");
    expect(wrap("Result = 1")).toContain("    Swrt_Begin 65536, 1000000, 1000\n");
  });

  it("runs an epilogue after the user's code on both paths, its own errors ignored", () => {
    const module = vbaKit.wrap("Result = 1", { epilogue: "Application.ScreenUpdating = True" }).code;
    expect(module).toContain(
      "Private Sub Swrt_Epilogue()\n    On Error Resume Next\nApplication.ScreenUpdating = True\nEnd Sub",
    );
    expect(module.match(/^ {4}Swrt_Epilogue$/gm)).toHaveLength(2);
  });
});

describe("VBA unwrap", () => {
  const wrapped = vbaKit.wrap("Result = 1");

  it("reads values, logs, and errors with the user's line", () => {
    expect(vbaKit.unwrap('{"$scriptwright":1,"ok":true,"value":[1,"a"],"logs":"x\\n"}', wrapped)).toEqual({
      value: [1, "a"],
      logs: "x\n",
    });
    expect(
      vbaKit.unwrap(
        '{"$scriptwright":1,"ok":false,"error":{"message":"Division by zero.","type":"VBA error 11","line":4}}',
        wrapped,
      ),
    ).toEqual({ error: { message: "Division by zero.", type: "VBA error 11", line: 4 } });
  });

  it("never turns an empty, placeholder or foreign answer into a value", () => {
    expect(vbaKit.unwrap("", wrapped).error?.message).toMatch(/empty result.*not have compiled/);
    expect(vbaKit.unwrap("None", wrapped).error?.message).toMatch(/returned None/);
    expect(vbaKit.unwrap("42", wrapped).error?.message).toMatch(/not a Scriptwright result envelope/);
    expect(vbaKit.unwrap("Error 13", wrapped).error?.message).toMatch(/not JSON/);
  });
});
