// What the VBA risk classifier looks for on its own, in any app that hosts VBA (or
// LibreOffice Basic): the language's statements and functions that touch files, processes
// and the registry (Shell, Kill, FileCopy, SaveSetting, Open … For Output, Declare), running
// code by name (CallByName), and the Windows COM classes any VBA can create
// (FileSystemObject, WScript.Shell, HTTP clients; see ../risk-com-classes.ts) with their
// methods. An app's object model (Application.Quit, Workbook.SaveAs, ThisComponent.store,
// UNO's SystemShellExecute) is that app's rules, in adapters/<app>/risk-rules.ts.
// Names compare without case, as VBA does.
import { kindReason } from "../risk-flags.js";
import { type NameRule, NameRules } from "../risk-names.js";
import type { RiskKind } from "../types.js";

/** A VBA library function: its bare name, and the same through its module (`VBA.Shell`, `Interaction.Shell`). */
function vbaFunction(name: string, module: string, kind: RiskKind, what = name): NameRule[] {
  const reason = kindReason(kind, what);
  return [name, `VBA.${name}`, `${module}.${name}`].map((pattern) => ({ pattern, kind, reason }));
}

export const VBA_NAME_RULES = new NameRules(
  [
    ...vbaFunction("Shell", "Interaction", "process"),
    ...vbaFunction("Kill", "FileSystem", "file-delete"),
    ...vbaFunction("RmDir", "FileSystem", "file-delete"),
    ...vbaFunction("FileCopy", "FileSystem", "file-overwrite"),
    ...vbaFunction("SaveSetting", "Interaction", "registry"),
    ...vbaFunction("DeleteSetting", "Interaction", "registry"),
    ...vbaFunction("CallByName", "Interaction", "dynamic-code", "CallByName (calls a member chosen by name)"),
    ...vbaFunction("MacScript", "Interaction", "process"),
    ...vbaFunction("AppleScriptTask", "Interaction", "process"),
    ...vbaFunction("SendKeys", "Interaction", "process", "SendKeys (keystrokes to other programs)"),
    // Methods of the COM classes in ../risk-com-classes.ts, whatever holds the object.
    ...(
      [
        ["*.DeleteFile", "file-delete"],
        ["*.DeleteFolder", "file-delete"],
        ["*.CopyFile", "file-overwrite"],
        ["*.CopyFolder", "file-overwrite"],
        ["*.MoveFile", "file-overwrite"],
        ["*.MoveFolder", "file-overwrite"],
        ["*.CreateTextFile", "file-overwrite"],
        ["*.SaveToFile", "file-overwrite"],
        ["*.RegWrite", "registry"],
        ["*.RegDelete", "registry"],
        ["*.Exec", "process"],
        ["*.ShellExecute", "process"],
        ["*.Navigate", "network"],
      ] as const
    ).map(([pattern, kind]) => ({ pattern, kind })),
  ],
  true,
);

/**
 * Calls that make an object of a class named by their first argument: the class is judged
 * (COM classes, and as a name against the rules), and a class chosen at run time is flagged.
 * createUnoService is LibreOffice Basic's CreateObject; createInstance* are UNO's factories.
 */
export const FACTORY_RULES = new NameRules(
  [
    "CreateObject",
    "VBA.CreateObject",
    "Interaction.CreateObject",
    "createUnoService",
    "*.createInstance*",
  ].map((pattern) => ({ pattern, kind: "dynamic-code" as const })),
  true,
);

/** GetObject's first argument is a moniker (a file, `winmgmts:`, `script:`), its second a class. */
export const MONIKER_RULES = new NameRules(
  ["GetObject", "VBA.GetObject", "Interaction.GetObject"].map((pattern) => ({
    pattern,
    kind: "dynamic-code" as const,
  })),
  true,
);

/** Words that start statements or join expressions: never the head of a name. */
export const KEYWORDS: ReadonlySet<string> = new Set(
  (
    "and as byref byval call case const declare dim do each else elseif end enum erase exit explicit " +
    "for friend function get global gosub goto if implements in is let like loop lset mod new next not " +
    "on option optional or paramarray preserve private property public redim resume return rset select " +
    "set static step stop sub then to type typeof until wend while with withevents xor"
  ).split(" "),
);

/** Words after which a name is being declared, not used. */
export const DECLARING: ReadonlySet<string> = new Set(
  "dim private public static const redim global friend as sub function property get let type enum declare byval byref optional paramarray".split(
    " ",
  ),
);
