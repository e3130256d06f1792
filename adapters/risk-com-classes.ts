// COM classes (ProgIDs and monikers) that hand a script a shell, the network, the file
// system or a script engine, whatever language asks for them: VBA's CreateObject, GetObject
// and New, and Python's win32com.client.Dispatch, look them up in the same Windows registry.
import type { RiskKind } from "./types.js";

export interface ComClassRule {
  pattern: RegExp;
  kind: RiskKind;
  /** What an object of the class can do, after its name in the flag. */
  what: string;
}

const VERSION = "(?:\\.\\d+)*";

export const COM_CLASS_RULES: readonly ComClassRule[] = [
  {
    pattern: new RegExp(
      `^(?:wscript\\.shell|wshshell|iwshruntimelibrary\\.wshshell|shell\\.application|shell32\\.shell)${VERSION}$`,
      "i",
    ),
    kind: "process",
    what: "a shell object",
  },
  { pattern: /^winmgmts:|^wbemscripting\.swbemlocator/i, kind: "process", what: "WMI (can start processes)" },
  { pattern: /^schedule\.service/i, kind: "process", what: "the task scheduler" },
  { pattern: /^mmc20\.application/i, kind: "process", what: "MMC (runs commands)" },
  {
    pattern: new RegExp(`^(?:scripting\\.)?filesystemobject${VERSION}$`, "i"),
    kind: "file-delete",
    what: "a FileSystemObject (deletes, moves and overwrites files)",
  },
  {
    pattern: /^(?:msscriptcontrol\.)?scriptcontrol|^script:|^scriptlet\./i,
    kind: "dynamic-code",
    what: "a script engine",
  },
  { pattern: /xmlhttp|winhttp|internetexplorer\.application/i, kind: "network", what: "an HTTP client" },
  { pattern: /^mswinsock/i, kind: "network", what: "a socket" },
  { pattern: /^wscript\.network/i, kind: "network", what: "WScript.Network" },
  { pattern: /^cdo\.message|^outlook\.application/i, kind: "network", what: "a mail sender" },
];

/** The rule for a class name (or moniker), if it is a risky one. */
export function comClassRule(name: string): ComClassRule | undefined {
  return COM_CLASS_RULES.find((rule) => rule.pattern.test(name));
}
