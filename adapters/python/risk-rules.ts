// What the Python risk classifier looks for on its own, in any app that hosts Python: the
// standard library (files through os, shutil, open; processes; network; the registry),
// ways to end the process, reflection and code loading, and COM classes reached through
// pywin32. An app's object model (bpy.ops.wm.quit_blender, swApp.ExitApp, UNO's
// SystemShellExecute) is that app's rules, in adapters/<app>/risk-rules.ts.
// Names are canonical dotted names, after import aliases are resolved
// (`from shutil import rmtree as r; r(p)` is shutil.rmtree).
import { type NameRule, NameRules, rulesOfKind } from "../risk-names.js";

const NAME_RULES: NameRule[] = [
  ...rulesOfKind("file-delete", [
    "os.remove",
    "os.unlink",
    "os.rmdir",
    "os.removedirs",
    "shutil.rmtree",
    // pathlib.Path and friends, whatever the receiver.
    "*.unlink",
    "*.rmdir",
  ]),
  ...rulesOfKind("file-overwrite", [
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
    "*.write_text",
    "*.write_bytes",
  ]),
  ...rulesOfKind("process", [
    "subprocess",
    "_posixsubprocess",
    "_winapi",
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
  ...rulesOfKind("network", [
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
  ...rulesOfKind("registry", ["winreg", "_winreg"]),
  { pattern: "sys.exit", kind: "app-quit", reason: "ends the app's process: sys.exit" },
  { pattern: "os._exit", kind: "app-quit", reason: "ends the app's process: os._exit" },
  { pattern: "os.abort", kind: "app-quit", reason: "ends the app's process: os.abort" },
  { pattern: "os.kill", kind: "app-quit", reason: "kills processes, the app's included: os.kill" },
  { pattern: "os.killpg", kind: "app-quit", reason: "kills processes, the app's included: os.killpg" },
  {
    pattern: "signal.raise_signal",
    kind: "app-quit",
    reason: "signals the app's process: signal.raise_signal",
  },
  {
    pattern: "signal.pthread_kill",
    kind: "app-quit",
    reason: "signals the app's process: signal.pthread_kill",
  },
  ...rulesOfKind("dynamic-code", [
    // Loading and running code.
    "importlib",
    "imp",
    "zipimport",
    "runpy",
    "code.interact",
    "code.InteractiveConsole",
    "code.InteractiveInterpreter",
    "code.compile_command",
    "codeop",
    "pdb",
    "types.FunctionType",
    "types.LambdaType",
    "types.CodeType",
    "builtins.exec",
    "builtins.eval",
    "builtins.compile",
    "builtins.__import__",
    // Deserialisers that build arbitrary objects (and call them).
    "pickle.load*",
    "pickle.Unpickler",
    "_pickle",
    "cPickle",
    "marshal.load*",
    "shelve",
    "dill",
    "cloudpickle",
    "jsonpickle",
    "joblib.load",
    "pandas.read_pickle",
    "yaml.load",
    "yaml.unsafe_load",
    // Reaching names by string, or through frames and the garbage collector.
    "sys.modules",
    "sys._getframe",
    "inspect.currentframe",
    "inspect.stack",
    "inspect.getmembers",
    "inspect.getattr_static",
    "gc.get_objects",
    "gc.get_referrers",
    "gc.get_referents",
    "pydoc.locate",
    "pkgutil.resolve_name",
    "*.f_globals",
    "*.f_locals",
    "*.f_builtins",
  ]),
  ...rulesOfKind("native-code", ["ctypes", "_ctypes", "cffi"]),
];

export const PYTHON_NAME_RULES = new NameRules(NAME_RULES);

/** Modules that are os under another name: `posix.system` is os.system. */
export const OS_ALIASES: ReadonlySet<string> = new Set(["posix", "nt"]);

/**
 * Modules another module may hand out as an attribute (`shutil.os.system`): a name passing
 * through one of them is judged from there on too.
 */
export const REACHABLE_MODULES: ReadonlySet<string> = new Set([
  "os",
  "sys",
  "posix",
  "nt",
  "subprocess",
  "shutil",
  "builtins",
  "importlib",
  "ctypes",
  "socket",
  "pickle",
  "marshal",
  "pty",
  "runpy",
]);

/** Builtins that run code, flagged when used by their bare (un-imported) name. */
export const DYNAMIC_BUILTINS: ReadonlySet<string> = new Set([
  "exec",
  "eval",
  "compile",
  "__import__",
  "breakpoint",
]);

/** Builtins that hand out a namespace to reach names in by string. */
export const NAMESPACE_BUILTINS: ReadonlySet<string> = new Set(["vars", "globals", "locals"]);

/** Builtins that end the process (they raise SystemExit). */
export const QUIT_BUILTINS: ReadonlySet<string> = new Set(["exit", "quit", "SystemExit"]);

/** Builtins that take an attribute name: `getattr(os, "system")` is os.system. */
export const ATTRIBUTE_BUILTINS: ReadonlySet<string> = new Set(["getattr", "setattr", "delattr"]);

/** Callables built from attribute or method names: `operator.methodcaller("system")`. */
export const NAME_CALLABLES: ReadonlySet<string> = new Set(["operator.attrgetter", "operator.methodcaller"]);

/**
 * Calls that make an object of a class named by their first argument (COM through pywin32,
 * UNO service factories): the class is judged like a name the code uses, and a class
 * computed at run time is flagged.
 */
export const FACTORY_RULES = new NameRules(
  rulesOfKind("dynamic-code", [
    "win32com.client.Dispatch",
    "win32com.client.DispatchEx",
    "win32com.client.DispatchWithEvents",
    "win32com.client.dynamic.Dispatch",
    "win32com.client.gencache.EnsureDispatch",
    "win32com.client.GetObject",
    "win32com.client.GetActiveObject",
    "comtypes.client.CreateObject",
    "comtypes.client.GetActiveObject",
    "*.createInstance",
    "*.createInstanceWithContext",
    "*.createInstanceWithArguments",
    "*.createInstanceWithArgumentsAndContext",
  ]),
);

/** Dunder names that only describe (never reach code or namespaces): any other is reflection. */
export const PLAIN_DUNDERS: ReadonlySet<string> = new Set([
  "__name__",
  "__qualname__",
  "__doc__",
  "__module__",
  "__file__",
  "__version__",
  "__all__",
  "__slots__",
  "__annotations__",
  "__init__",
  "__new__",
  "__post_init__",
  "__enter__",
  "__exit__",
  "__iter__",
  "__next__",
  "__len__",
  "__repr__",
  "__str__",
  "__main__",
  "__future__",
  "__debug__",
]);

/**
 * Calls that open files, with the index of their positional `mode` argument. A write
 * mode (w, a, x or +) or a mode only known at run time is flagged.
 */
export const OPEN_CALLS: ReadonlyMap<string, number> = new Map([
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
