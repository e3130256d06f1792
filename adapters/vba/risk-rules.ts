// What the VBA risk classifier looks for. Names are lower-case (VBA ignores case).
import type { RiskKind } from "../types.js";

/** Statements and functions used by their bare name (or as VBA.Name). */
export const BARE_RULES = new Map<string, { kind: RiskKind; what: string }>([
  ["shell", { kind: "process", what: "Shell" }],
  ["kill", { kind: "file-delete", what: "Kill" }],
  ["rmdir", { kind: "file-delete", what: "RmDir" }],
  ["filecopy", { kind: "file-overwrite", what: "FileCopy" }],
  ["savesetting", { kind: "registry", what: "SaveSetting" }],
  ["deletesetting", { kind: "registry", what: "DeleteSetting" }],
  ["callbyname", { kind: "dynamic-code", what: "CallByName" }],
  ["macscript", { kind: "process", what: "MacScript" }],
  ["applescripttask", { kind: "process", what: "AppleScriptTask" }],
  ["sendkeys", { kind: "process", what: "SendKeys (keystrokes to other programs)" }],
  ["executeexcel4macro", { kind: "dynamic-code", what: "ExecuteExcel4Macro" }],
]);

/** Qualifiers under which a bare rule's name still means the VBA function. */
export const VBA_QUALIFIERS = new Set(["vba", "interaction", "filesystem"]);

/** Methods and properties, whatever object they are called on. */
export const MEMBER_RULES = new Map<string, { kind: RiskKind; what: string }>([
  ["deletefile", { kind: "file-delete", what: ".DeleteFile" }],
  ["deletefolder", { kind: "file-delete", what: ".DeleteFolder" }],
  ["copyfile", { kind: "file-overwrite", what: ".CopyFile" }],
  ["copyfolder", { kind: "file-overwrite", what: ".CopyFolder" }],
  ["movefile", { kind: "file-overwrite", what: ".MoveFile" }],
  ["movefolder", { kind: "file-overwrite", what: ".MoveFolder" }],
  ["createtextfile", { kind: "file-overwrite", what: ".CreateTextFile" }],
  ["savetofile", { kind: "file-overwrite", what: ".SaveToFile" }],
  ["saveas", { kind: "file-overwrite", what: ".SaveAs" }],
  ["savecopyas", { kind: "file-overwrite", what: ".SaveCopyAs" }],
  ["save", { kind: "file-overwrite", what: ".Save (over the document's file)" }],
  ["exportasfixedformat", { kind: "file-overwrite", what: ".ExportAsFixedFormat" }],
  ["store", { kind: "file-overwrite", what: ".store (over the document's file)" }],
  ["storeasurl", { kind: "file-overwrite", what: ".storeAsURL" }],
  ["storetourl", { kind: "file-overwrite", what: ".storeToURL" }],
  ["regwrite", { kind: "registry", what: ".RegWrite" }],
  ["regdelete", { kind: "registry", what: ".RegDelete" }],
  ["exec", { kind: "process", what: ".Exec" }],
  ["shellexecute", { kind: "process", what: ".ShellExecute" }],
  ["followhyperlink", { kind: "network", what: ".FollowHyperlink" }],
  ["navigate", { kind: "network", what: ".Navigate" }],
  ["vbproject", { kind: "dynamic-code", what: ".VBProject (edits VBA code)" }],
]);

/** Members flagged only on a given object: object → member → rule. */
export const QUALIFIED_RULES = new Map<string, Map<string, { kind: RiskKind; what: string }>>([
  [
    "application",
    new Map([
      ["quit", { kind: "app-quit" as RiskKind, what: "Application.Quit" }],
      ["run", { kind: "dynamic-code" as RiskKind, what: "Application.Run (runs a macro by name)" }],
      ["executeexcel4macro", { kind: "dynamic-code" as RiskKind, what: "Application.ExecuteExcel4Macro" }],
    ]),
  ],
  ["stardesktop", new Map([["terminate", { kind: "app-quit" as RiskKind, what: "StarDesktop.terminate" }]])],
  ["thisworkbook", new Map([["close", { kind: "app-quit" as RiskKind, what: "ThisWorkbook.Close" }]])],
  ["activeworkbook", new Map([["close", { kind: "app-quit" as RiskKind, what: "ActiveWorkbook.Close" }]])],
  ["thiscomponent", new Map([["close", { kind: "app-quit" as RiskKind, what: "ThisComponent.close" }]])],
]);

/** ProgIDs given to CreateObject/GetObject (and class names after New). */
export const PROGID_RULES: { pattern: RegExp; kind: RiskKind; what: string }[] = [
  {
    pattern: /^(wscript\.shell|shell\.application|iwshruntimelibrary\.wshshell|wshshell)$/i,
    kind: "process",
    what: "a shell object",
  },
  { pattern: /^winmgmts:/i, kind: "process", what: "WMI (can start processes)" },
  { pattern: /xmlhttp|winhttp|internetexplorer\.application/i, kind: "network", what: "an HTTP client" },
  { pattern: /^mswinsock/i, kind: "network", what: "a socket" },
  { pattern: /^wscript\.network$/i, kind: "network", what: "WScript.Network" },
];
