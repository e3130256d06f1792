// What the ExtendScript risk classifier looks for on its own, in any Adobe app that runs
// ExtendScript: the toolkit's File and Folder (deleting, writing, running files), the
// `system` object's shell, sockets and HTTP, loading code ($.evalFile, #include, BridgeTalk)
// and native libraries. An app's object model (app.quit, project.save, removing project
// items, app.executeCommand) is that app's rules, in adapters/<app>/risk-rules.ts.
import { kindReason } from "../../risk-flags.js";
import { NameRules } from "../../risk-names.js";

export const EXTENDSCRIPT_NAME_RULES = new NameRules([
  {
    pattern: "*.callSystem",
    kind: "process",
    reason: kindReason("process", "system.callSystem (a shell command)"),
  },
  {
    pattern: "*.evalFile",
    kind: "dynamic-code",
    reason: kindReason("dynamic-code", "$.evalFile (code from a file)"),
  },
  { pattern: "*.openURL", kind: "network", reason: kindReason("network", "openURL (opens a URL)") },
  { pattern: "Socket", kind: "network", reason: kindReason("network", "Socket (a network connection)") },
  { pattern: "HttpConnection", kind: "network", reason: kindReason("network", "HttpConnection") },
  {
    pattern: "BridgeTalk",
    kind: "dynamic-code",
    reason: kindReason("dynamic-code", "BridgeTalk (sends code to another application)"),
  },
  {
    pattern: "ExternalObject",
    kind: "native-code",
    reason: kindReason("native-code", "ExternalObject (a native library)"),
  },
]);

/** Receivers that look like a File or Folder (`f`, `file`, `myFolder`, `files[i]`, `tmpDir`). */
export const FILE_LIKE =
  /^(f|fl|fd|file\w*|\w*File\w*|\w*[Ff]older\w*|folder\w*|fol|dir\w*|\w*Dir|\w*[Pp]ath\w*|tmp\w*|temp\w*)$/;
export const FILE_CONSTRUCTORS: ReadonlySet<string> = new Set(["File", "Folder"]);

/** For code that does not parse: the same rules as plain-text patterns, comment lines skipped. */
export const TEXT_RULES: readonly [
  RegExp,
  "file-delete" | "process" | "network" | "dynamic-code" | "native-code",
  string,
][] = [
  [/\.remove\s*\(/, "file-delete", ".remove() may delete a file or folder"],
  [/\b(callSystem|execute)\s*\(/, "process", "runs a command or opens a file with another application"],
  [/\b(Socket|HttpConnection)\b/, "network", "opens a network connection"],
  [
    /\b(eval|evalFile|BridgeTalk|Reflect)\b|\bFunction\s*\(|\[[^\]]*\]\s*\(/,
    "dynamic-code",
    "runs code built at run time",
  ],
  [/\bExternalObject\b/, "native-code", "loads a native library"],
];
