// What the Python risk classifier looks for. Names are canonical dotted names, after
// import aliases are resolved (`from shutil import rmtree as r; r(p)` is shutil.rmtree).
import type { RiskKind } from "../types.js";

/** How a flag of each kind starts, e.g. "deletes files: shutil.rmtree". */
export const KIND_VERBS: Record<RiskKind, string> = {
  "file-delete": "deletes files",
  "file-overwrite": "writes files",
  process: "runs processes",
  network: "uses the network",
  registry: "edits the Windows registry",
  "app-quit": "quits the app",
  "dynamic-code": "runs dynamic code",
  "native-code": "loads native code",
};

export interface NameRule {
  /**
   * A dotted name, matching that name and anything under it (`subprocess` matches
   * `subprocess.run`). `*` stands for any identifier characters (`os.exec*`).
   */
  pattern: string;
  kind: RiskKind;
  /** Overrides the "<verb>: <name>" reason. */
  reason?: string;
}

function rules(kind: RiskKind, patterns: string[]): NameRule[] {
  return patterns.map((pattern) => ({ pattern, kind }));
}

export const NAME_RULES: NameRule[] = [
  ...rules("file-delete", ["os.remove", "os.unlink", "os.rmdir", "os.removedirs", "shutil.rmtree"]),
  ...rules("file-overwrite", [
    "shutil.copy",
    "shutil.copy2",
    "shutil.copyfile",
    "shutil.copytree",
    "shutil.move",
    "os.rename",
    "os.renames",
    "os.replace",
    "os.truncate",
    // os.open with any of these flags writes.
    "os.O_WRONLY",
    "os.O_RDWR",
    "os.O_CREAT",
    "os.O_TRUNC",
    "os.O_APPEND",
    "bpy.ops.export_*",
    "bpy.ops.wm.*export*",
  ]),
  { pattern: "bpy.ops.wm.save_mainfile", kind: "file-overwrite", reason: "saves the .blend file" },
  { pattern: "bpy.ops.wm.save_as_mainfile", kind: "file-overwrite", reason: "saves the .blend file" },
  ...rules("process", [
    "subprocess",
    "os.system",
    "os.popen",
    "os.exec*",
    "os.spawn*",
    "os.posix_spawn*",
    "os.startfile",
    "os.fork*",
    "pty",
    "multiprocessing",
    "asyncio.create_subprocess_*",
    "concurrent.futures.ProcessPoolExecutor",
  ]),
  ...rules("network", [
    "socket",
    "socketserver",
    "ssl.create_connection",
    "urllib.request",
    "urllib.urlopen",
    "urllib2",
    "urllib3",
    "http.client",
    "http.server",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "poplib",
    "imaplib",
    "telnetlib",
    "xmlrpc.client",
    "xmlrpc.server",
    "asyncio.open_connection",
    "asyncio.open_unix_connection",
    "asyncio.start_server",
    "asyncio.start_unix_server",
    "webbrowser",
  ]),
  ...rules("registry", ["winreg", "_winreg"]),
  { pattern: "bpy.ops.wm.quit_blender", kind: "app-quit", reason: "quits Blender: bpy.ops.wm.quit_blender" },
  { pattern: "os._exit", kind: "app-quit", reason: "ends the app's process: os._exit" },
  { pattern: "os.abort", kind: "app-quit", reason: "ends the app's process: os.abort" },
  { pattern: "os.kill", kind: "app-quit", reason: "kills processes, the app's included: os.kill" },
  { pattern: "os.killpg", kind: "app-quit", reason: "kills processes, the app's included: os.killpg" },
  ...rules("dynamic-code", [
    "importlib",
    "runpy",
    "builtins.exec",
    "builtins.eval",
    "builtins.compile",
    "builtins.__import__",
    "__builtins__.exec",
    "__builtins__.eval",
    "__builtins__.compile",
    "__builtins__.__import__",
  ]),
  ...rules("native-code", ["ctypes", "_ctypes", "cffi"]),
];

/** Builtins that run code, flagged when used by their bare (un-imported) name. */
export const DYNAMIC_BUILTINS = new Set(["exec", "eval", "compile", "__import__"]);

/**
 * Calls that open files, with the index of their positional `mode` argument. A write
 * mode (w, a, x or +) or a mode only known at run time is flagged.
 */
export const OPEN_CALLS = new Map<string, number>([
  ["open", 1],
  ["builtins.open", 1],
  ["io.open", 1],
  ["codecs.open", 1],
  ["os.fdopen", 1],
  ["gzip.open", 1],
  ["bz2.open", 1],
  ["lzma.open", 1],
  ["tarfile.open", 1],
  ["zipfile.ZipFile", 1],
]);

/** Method calls flagged whatever the receiver (pathlib.Path and friends). */
export const METHOD_RULES = new Map<string, RiskKind>([
  ["unlink", "file-delete"],
  ["rmdir", "file-delete"],
  ["write_text", "file-overwrite"],
  ["write_bytes", "file-overwrite"],
]);

function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.]/g, "\\."))
    .join("\\w*");
  return new RegExp(`^${body}(?:\\.|$)`);
}

const COMPILED = NAME_RULES.map((rule) => ({ rule, regexp: patternToRegExp(rule.pattern) }));

/** The first rule matching a canonical dotted name. */
export function matchNameRule(name: string): NameRule | undefined {
  return COMPILED.find(({ regexp }) => regexp.test(name))?.rule;
}
