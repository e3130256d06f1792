// The VBA kit's read-only check (pure TypeScript): every word a script uses must be a
// keyword, its own variable, procedure or label, or a name the list allows; assignments only
// to its own variables. Each refusal is paired with the nearest script that is allowed.
import { describe, expect, it } from "vitest";
import type { ReadOnlyRules } from "../adapters/types.js";
import { vbaKit } from "../adapters/vba/index.js";

// A small list of its own, so these tests are about the rules, not about an app's list.
const rules: ReadOnlyRules = {
  functions: ["Range", "Cells", "ActiveSheet", "Application", "Log", "JsonObject", "Len", "Array", "UBound"],
  methods: ["Value", "Name", "Address", "Count", "Rows", "UsedRange", "WorksheetFunction", "Sum", "Cells"],
};

const readOnly = (code: string) => vbaKit.isReadOnly!(code, rules);

function expectRefused(...scripts: string[]): void {
  for (const code of scripts) expect(readOnly(code), code).toBe(false);
}

function expectAllowed(...scripts: string[]): void {
  for (const code of scripts) expect(readOnly(code), code).toBe(true);
}

describe("vba read-only: names", () => {
  it("allows listed functions, listed members after a dot, and the script's own names", () => {
    expectAllowed(
      'Result = Range("A1").Value',
      'result = range("a1").VALUE',
      "Dim n As Long\nn = ActiveSheet.UsedRange.Rows.Count\nResult = n",
      'Log "sheet", ActiveSheet.Name',
      'Result = Application.WorksheetFunction.Sum(Range("A1:A3"))',
    );
  });

  it("refuses any function, statement or member the list does not name, called or not", () => {
    expectRefused(
      'Shell "x"',
      'Kill "x"',
      'Result = CreateObject("WScript.Shell")',
      "ActiveWorkbook.Close",
      'Application.Run "x"',
      'Range("A1").Clear',
      'Result = Range("A1").Formula',
      "Result = Foo",
      "Call Log(1)",
      "Debug.Print 1",
    );
  });

  it("refuses statements that stop, jump or reach outside: End, Stop, Declare, Open, GoSub, On … GoTo", () => {
    expectRefused(
      "End",
      "Stop",
      'Declare PtrSafe Function GetTickCount Lib "kernel32" () As Long',
      'Open "f" For Output As #1',
      "GoSub There",
      "On n GoTo There",
      "Result = [A1]",
      "#If 1 Then\n#End If",
      "Set c = New Collection",
    );
    expectAllowed(
      "On Error Resume Next\nResult = 1",
      "On Error GoTo Done\nResult = 1\nDone:",
      "If 1 Then\nEnd If",
    );
  });

  it("allows the block statements of a read: If, For, For Each, Do, Select Case, With", () => {
    expectAllowed(
      [
        "Dim i As Long, total As Double, c As Variant",
        "For i = 1 To 3 Step 1",
        "    If i > 1 Then total = total + i Else total = total - 1",
        "Next i",
        'For Each c In Range("A1:A3")',
        "    total = total + c.Value",
        "Next c",
        "Do While total > 100",
        "    total = total / 2",
        "Loop",
        "Select Case total",
        "    Case Is > 10: Result = 1",
        "    Case 1 To 10: Result = 2",
        "    Case Else: Result = 3",
        "End Select",
        'With Range("A1")',
        "    Log .Address, .Value",
        "End With",
      ].join("\n"),
    );
  });

  it("knows the procedures, parameters and return variables of a module", () => {
    expectAllowed(
      [
        "Function Main()",
        '    Main = Describe(Range("A1"))',
        "End Function",
        "Function Describe(r As Object) As Variant",
        '    Describe = JsonObject("address", r.Address, "length", Len(r.Value))',
        "End Function",
      ].join("\n"),
    );
    // Describe's return variable is its own; Main cannot assign it.
    expectRefused("Function Main()\n    Describe = 1\nEnd Function\nFunction Describe()\nEnd Function");
  });
});

describe("vba read-only: writes", () => {
  it("refuses assignments to members and indexed properties, With members included", () => {
    expectRefused(
      'Range("A1").Value = 1',
      "Cells(1, 1) = 2",
      'With Range("A1")\n    .Value = 1\nEnd With',
      'Set Range("A1").Name = x',
      'Let Range("A1") = 3',
    );
  });

  it("refuses assignments to names the script did not declare: they may be globals", () => {
    // `Cells = 2` writes every cell, `Date = …` sets the system date.
    expectRefused("Cells = 2", "Date = 1", "total = 1", "For i = 1 To 3\nNext i", 'Mid(s, 1, 1) = "x"');
    expectAllowed("Dim total As Long\ntotal = 1", "Dim i As Long\nFor i = 1 To 3\nNext i");
  });

  it("never Let-assigns a variable that may hold an object: that writes its default member", () => {
    expectRefused(
      'Dim r As Object\nSet r = Range("A1")\nr = 5',
      'Dim v\nSet v = Range("A1")\nv = 5',
      'Dim c\nFor Each c In Range("A1:A3")\n    c = 0\nNext c',
      "Function F(r)\n    r = 5\nEnd Function",
    );
    expectAllowed(
      'Dim r As Object\nSet r = Range("A1")\nSet r = Nothing',
      "Function F(n As Long)\n    n = 5\nEnd Function",
    );
  });

  it("writes by index only into the script's own arrays, never ones that may hold objects", () => {
    expectAllowed(
      "Dim a() As Variant\nReDim a(0 To 2)\na(0) = 1\nResult = a",
      "Dim a()\na = Array()\na(0) = 1",
    );
    expectRefused(
      'Dim a()\na = Array(Range("A1"))\na(0) = 1',
      'Dim a()\nReDim a(1)\nSet a(0) = Range("A1")',
      "Dim n As Long\nn(0) = 1",
    );
  });
});
