// The VBA kit's risk classifier (with lines; never fooled by strings or comments), and
// `scriptwright check --app libreoffice`, which runs it with the preflight and no host.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { riskVba } from "../adapters/vba/risk.js";
import { runCli } from "./helpers/cli.js";

const flags = (code: string) => riskVba(code).map((f) => `${f.line} ${f.kind}`);

describe("VBA risk", () => {
  it("flags each risky operation at its line", () => {
    const code = [
      'Shell "cmd /c dir", vbHide', // 1
      'Kill "C:\\temp\\*.log"', // 2
      'RmDir "C:\\temp\\old"', // 3
      'Set fso = CreateObject("Scripting.FileSystemObject")', // 4 (it deletes files by other names too: .GetFile(p).Delete)
      'fso.DeleteFile "a.txt"', // 5
      'fso.DeleteFolder "C:\\x"', // 6
      'Set sh = CreateObject("WScript.Shell")', // 7
      'SaveSetting "app", "s", "k", "v"', // 8
      'DeleteSetting "app"', // 9
      'sh.RegWrite "HKCU\\Software\\x", 1', // 10
      'Set http = CreateObject("MSXML2.XMLHTTP")', // 11
      'Set w = CreateObject("WinHttp.WinHttpRequest.5.1")', // 12
      'Private Declare PtrSafe Function GetTickCount Lib "kernel32" () As Long', // 13
      "Set f = New Scripting.FileSystemObject", // 14
    ].join("\n");
    expect(flags(code)).toEqual([
      "1 process",
      "2 file-delete",
      "3 file-delete",
      "4 file-delete",
      "5 file-delete",
      "6 file-delete",
      "7 process",
      "8 registry",
      "9 registry",
      "10 registry",
      "11 network",
      "12 network",
      "13 native-code",
      "14 file-delete",
    ]);
  });

  it("says what it found", () => {
    expect(riskVba('x = Shell("calc")')).toEqual([
      { kind: "process", reason: "runs processes: Shell", line: 1 },
    ]);
    expect(riskVba('Set o = CreateObject("WScript.Shell")')[0]?.reason).toBe(
      'runs processes: CreateObject("WScript.Shell"), a shell object',
    );
  });

  it("ignores the same words in strings and comments, and as other objects' members", () => {
    const code = [
      'MsgBox "Shell Kill RmDir"',
      "' Kill the old file with Shell",
      "Rem Application.Quit",
      'x = "CreateObject(""WScript.Shell"")"',
      "ws.Shell = 1",
      "Dim killCount As Long",
    ].join("\n");
    expect(flags(code)).toEqual([]);
  });

  it("flags writes through Open, Name, FileCopy, text files, and LibreOffice's store calls", () => {
    const code = [
      'Open "C:\\a.txt" For Output As #1', // 1
      'Open "C:\\a.txt" For Input As #2', // 2 (reading)
      'Name "a.txt" As "b.txt"', // 3
      'FileCopy "a", "b"', // 4
      'Set t = fso.OpenTextFile("a.txt", ForAppending)', // 5
      'Set t = fso.OpenTextFile("a.txt", 1)', // 6 (reading)
      // The document's own saves are the app's rules (test/app-risk-rules.test.ts), not the language's.
      "ThisComponent.store()", // 7
      "ThisWorkbook.Save", // 8
    ].join("\n");
    expect(flags(code)).toEqual([
      "1 file-overwrite",
      "3 file-overwrite",
      "4 file-overwrite",
      "5 file-overwrite",
    ]);
  });

  it("flags early-bound HTTP clients, and VBA.Shell", () => {
    const code = ["Set h = New MSXML2.XMLHTTP60", 'VBA.Shell "x"', 'Interaction.Shell "x"'].join("\n");
    expect(flags(code)).toEqual(["1 network", "2 process", "3 process"]);
  });
});

describe("VBA risk fails closed on what it cannot read", () => {
  it("flags objects and monikers chosen at run time as dynamic code", () => {
    const code = [
      "Set o = CreateObject(progId)", // 1
      "Set o = VBA.CreateObject(a & b)", // 2
      "Set o = GetObject(path)", // 3
      "Set o = GetObject(, cls)", // 4
      "Set s = createUnoService(name)", // 5
      "Set s = GetProcessServiceManager().createInstance(name)", // 6
      'Set x = GetObject(, "Excel.Application")', // 7: a class named in the code
      'Set d = createUnoService("com.sun.star.frame.Desktop")', // 8
    ].join("\n");
    expect(flags(code)).toEqual([
      "1 dynamic-code",
      "2 dynamic-code",
      "3 dynamic-code",
      "4 dynamic-code",
      "5 dynamic-code",
      "6 dynamic-code",
    ]);
  });

  it("judges the class a literal names, whichever factory makes it", () => {
    const code = [
      'Set o = GetObject("winmgmts:\\\\.\\root\\cimv2")',
      'Set o = GetObject("script:https://example.com/x.sct")',
      'Set sc = CreateObject("MSScriptControl.ScriptControl")',
      'Set sh = CreateObject("Shell.Application")',
    ].join("\n");
    expect(flags(code)).toEqual(["1 process", "2 dynamic-code", "3 dynamic-code", "4 process"]);
  });

  it("flags calls by name and native declarations", () => {
    const code = [
      'CallByName obj, "Delete", VbMethod',
      "x = VBA.CallByName(obj, m, VbGet)",
      'Declare Sub Sleep Lib "kernel32" (ByVal ms As Long)',
    ];
    expect(flags(code.join("\n"))).toEqual(["1 dynamic-code", "2 dynamic-code", "3 native-code"]);
  });

  it("reads With blocks and member chains through calls as dotted names", () => {
    const code = [
      "With fso",
      '  .DeleteFile "a.txt"',
      "End With",
      'fso.GetFolder("x").Files(1).CopyFile "a", "b"',
    ];
    expect(flags(code.join("\n"))).toEqual(["2 file-delete", "4 file-overwrite"]);
  });
});

describe("scriptwright check --app libreoffice", () => {
  it("lists Shell and Kill with their lines (exit 1) without any host", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sw-vba-check-"));
    const file = join(dir, "risky.bas");
    writeFileSync(file, 'Dim n\nn = 1\nShell "rm -rf /tmp/x"\nKill "C:\\a.txt"\nResult = n\n');
    const human = await runCli(["check", "--app", "libreoffice", "--file", file]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("3:1 warning runs processes: Shell");
    expect(human.stdout).toContain("4:1 warning deletes files: Kill");
    const json = await runCli(["check", "--app", "libreoffice", "--code", 'If x Then\nShell "a"', "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ line: 1, severity: "error", message: "If is never closed" }),
      expect.objectContaining({ line: 2, severity: "warning", kind: "process" }),
    ]);
    const clean = await runCli(["check", "--app", "libreoffice", "--code", 'Range("A1").Value = 1']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("no problems found (vba)");
  });
});
