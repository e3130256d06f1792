// The VBA kit's preflight: block structure with lines (LibreOffice reports a compile error as
// nothing at all, so this is where a missing End If gets its line), strings, and what the
// wrapper's two shapes (bare body, module with Main) cannot run.
import { describe, expect, it } from "vitest";
import { preflightVba } from "../adapters/vba/preflight.js";

const issues = (code: string) => preflightVba(code).map((i) => `${i.line}:${i.column} ${i.message}`);

describe("VBA preflight: valid code passes", () => {
  it("accepts every block kind, nested, in any case, with comments and strings that look like code", () => {
    const code = [
      "Dim i As Long, s As String, ws ' End If in a comment",
      "REM a Rem comment: For i = 1 To 2",
      "For i = 1 To 3",
      "  IF i = 2 THEN",
      '    s = s & "End If"',
      "  ElseIf i = 3 Then",
      "    s = s & i",
      "  else",
      '    s = s & "Next"',
      "  end if",
      "NEXT i",
      "For Each ws In Worksheets",
      "  With ws",
      '    .Range("A1").Value = "With ""quoted"" End With"',
      "  End With",
      "Next",
      "Do While i > 0",
      "  i = i - 1",
      "Loop",
      "Do",
      "  i = i + 1",
      "Loop Until i > 2",
      "While i > 0: i = i - 1: Wend",
      "Select Case s",
      '  Case "a", "b": s = "x"',
      "  Case Else",
      '    s = "y"',
      "End Select",
      "Result = s",
    ].join("\n");
    expect(issues(code)).toEqual([]);
  });

  it("treats one-line Ifs (also with Else and several statements) as complete, and a continued If as one line", () => {
    const code = [
      "If a Then b = 1",
      "If a Then b = 1 Else b = 2",
      "If a Then b = 1: c = 2 Else c = 3",
      "If a Then Exit Sub",
      "If a Then _",
      "  b = 3",
      "If a _",
      "   And c Then",
      "  b = 4",
      "End If",
      "If a Then ' a block If with a comment after Then",
      "End If",
    ].join("\n");
    expect(issues(code)).toEqual([]);
  });

  it("accepts labels, GoTo, On Error, and `Next i, j` closing two loops", () => {
    const code = [
      "Dim i, j",
      "On Error GoTo Fail",
      "For i = 1 To 2",
      "  For j = 1 To 2",
      "  Next j, i",
      "Again:",
      "Result = i",
      "Exit Sub",
      "Fail: Result = Err.Description",
    ].join("\n");
    expect(issues(code)).toEqual([]);
  });

  it("accepts a module: Option, Declare, Type, Enum, Const, Property, Function Main", () => {
    const code = [
      "Option Explicit",
      'Private Declare PtrSafe Function GetTickCount Lib "kernel32" () As Long',
      "Private Type Point",
      "  X As Long",
      "  Next As Long",
      "End Type",
      "Public Enum Colour",
      "  Red = 1",
      "End Enum",
      "Const LIMIT = 10",
      "Private total As Long",
      "Property Get Total() As Long",
      "  Total = total",
      "End Property",
      "Private Sub Add(ByVal n As Long)",
      "  total = total + n",
      "End Sub",
      "Function Main() As Long",
      "  Add 3",
      "  Main = Total",
      "End Function",
    ].join("\n");
    expect(issues(code)).toEqual([]);
  });

  it("checks only the first branch of #If … #Else", () => {
    const code = [
      "#If VBA7 Then",
      "  If x Then",
      "#Else",
      "  If y Then",
      "#End If",
      "  z = 1",
      "End If",
    ].join("\n");
    expect(issues(code)).toEqual([]);
  });
});

describe("VBA preflight: block problems, each at its line", () => {
  it("an unclosed block is reported at its opening line", () => {
    expect(issues("x = 1\nIf x Then\n  y = 2\n")).toEqual(["2:1 If is never closed"]);
    expect(preflightVba("For i = 1 To 2\n")[0]).toMatchObject({ line: 1, column: 1, hint: "add Next" });
    expect(issues("Do\nx = 1")).toEqual(["1:1 Do is never closed"]);
    expect(issues("  With ws\n.Value = 1")).toEqual(["1:3 With is never closed"]);
    expect(issues("Select Case x\nCase 1\n")).toEqual(["1:1 Select Case is never closed"]);
  });

  it("a stray closer is reported at its own line", () => {
    expect(issues("x = 1\nEnd If")).toEqual(["2:1 End If without a matching If"]);
    expect(issues("x = 1\n\nNext")).toEqual(["3:1 Next without a matching For"]);
    expect(issues("Loop")).toEqual(["1:1 Loop without a matching Do"]);
    expect(issues("x = 1: Wend")).toEqual(["1:8 Wend without a matching While"]);
  });

  it("a closer of the wrong block names both blocks and their lines", () => {
    const found = preflightVba("For i = 1 To 3\n  With ws\n    .Value = i\nNext i\n");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 4, column: 1, hint: "close it first with End With" });
    expect(found[0]!.message).toBe(
      "Next closes the For opened at line 1, but the With opened at line 2 is still open",
    );
  });

  it("Else, ElseIf and Case outside their blocks", () => {
    expect(issues("Else")).toEqual(["1:1 Else outside an If block"]);
    expect(issues("Case 1")).toEqual(["1:1 Case outside a Select Case block"]);
    expect(issues("Select Case x\nCase 1\n  If y Then\n  Case 2\n  End If\nEnd Select")).toEqual([
      "4:3 Case outside a Select Case block (it is inside the If opened at line 3)",
    ]);
  });

  it("a procedure ended with a block still open reports the block at its line", () => {
    const code = "Sub Main()\n  If x Then\n    y = 1\nEnd Sub\n";
    expect(issues(code)).toEqual(["2:3 If is not closed before End Sub at line 4"]);
  });

  it("a procedure starting inside another reports the unclosed one", () => {
    expect(issues("Sub Main()\n  x = 1\nSub Other()\nEnd Sub")).toEqual([
      "1:1 Sub is not closed before the Sub at line 3",
    ]);
  });

  it("ignores keywords in comments, strings and after Rem, and is case-insensitive", () => {
    expect(issues('s = "If x Then" \' For i = 1 To 2\nRem Do\nif S then\nEND IF')).toEqual([]);
  });

  it("an unterminated string is reported with its column", () => {
    expect(preflightVba('x = 1\ns = "abc\ny = 2')).toEqual([
      expect.objectContaining({ line: 2, column: 5, message: "string not closed on its line" }),
    ]);
  });

  it("a comment continued with _ swallows the next line, code continued with _ keeps its first line", () => {
    expect(issues("' comment _\nIf x Then\nx = 1")).toEqual([]);
    expect(issues("x = 1 + _\n  2\nIf x Then\n")).toEqual(["3:1 If is never closed"]);
  });
});

describe("VBA preflight: what the wrapper's shapes need", () => {
  it("a module needs a Main without required arguments", () => {
    expect(issues("Sub Helper()\nEnd Sub")).toEqual([
      "1:1 the module declares procedures but no Sub Main or Function Main to run",
    ]);
    expect(issues("Sub Main(n As Long)\nEnd Sub")).toEqual([
      "1:1 Sub Main must take no arguments (it is called as Main)",
    ]);
    expect(issues("Sub Main(Optional n As Long = 2)\nEnd Sub")).toEqual([]);
  });

  it("a module's statements must be inside procedures", () => {
    expect(issues('x = 1\nMsgBox "hi"\nSub Main()\nEnd Sub')).toEqual([
      "1:1 statement outside a Sub or Function: a module may only declare things outside its procedures",
      "2:1 statement outside a Sub or Function: a module may only declare things outside its procedures",
    ]);
  });

  it("a bare body cannot hold module-only declarations, Exit Function, or its own Result", () => {
    expect(
      issues('Private x As Long\nDeclare Function F Lib "k" () As Long\nType P\n X As Long\nEnd Type'),
    ).toEqual([
      "1:1 Private declarations only work at module level, but this script is a body of statements",
      "2:1 Declare declarations only work at module level, but this script is a body of statements",
      "3:1 Type can only be declared in a module",
    ]);
    expect(issues("If x Then Exit Function")).toEqual([
      "1:11 Exit Function in a script body, which runs as a Sub",
    ]);
    expect(issues("Exit Function")).toEqual(["1:1 Exit Function in a script body, which runs as a Sub"]);
    expect(issues("Dim Result As Long")).toEqual([
      "1:5 Result is predefined (a Variant that holds the script's value)",
    ]);
  });
});
