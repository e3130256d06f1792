// Builds the Python source a panel execs. The panel runs
//   ns = {"__name__": "__scriptwright__"}; exec(compile(code, "<scriptwright>", "exec"), ns)
// and reads ns["__scriptwright_output__"], so the wrapper's only job is to get the
// runtime module (loading it on the first run in this Python process) and store what
// its run() returns there. Everything else happens inside the runtime.
import { paramsJson } from "../envelope.js";
import type { WrapOptions, Wrapped } from "../types.js";
import { DEFAULT_MAX_ITEMS, DEFAULT_MAX_LOG_CHARS, DEFAULT_MAX_VALUE_CHARS } from "./envelope.js";
import { pythonCount, pythonOptionalString, pythonString } from "./literal.js";
import { RUNTIME_FILENAME, type RuntimeSource } from "./runtime-source.js";

/** The variable the panel contract reads the result from. */
export const OUTPUT_VARIABLE = "__scriptwright_output__";

/**
 * Python that loads the runtime into sys.modules, once per host connection (the kit's
 * setup): runs then send only a short call, because the panel compiles the whole wrapped
 * code on every run and Python's compile() pays for every character.
 */
export function runtimeLoaderSource(runtime: RuntimeSource): string {
  const name = pythonString(runtime.moduleName);
  return [
    "import base64, sys, types, zlib",
    `module = types.ModuleType(${name})`,
    `source = zlib.decompress(base64.b64decode(${pythonString(runtime.compressedBase64)})).decode("utf-8")`,
    `exec(compile(source, ${pythonString(RUNTIME_FILENAME)}, "exec"), module.__dict__)`,
    // Registered only once fully loaded: a load that failed halfway is retried next run.
    "sys.modules[module.__name__] = module",
  ].join("\n");
}

/** The runtime module, which the kit's setup loaded into this Python process. */
export function runtimeExpression(runtime: RuntimeSource): string {
  return `__import__("sys").modules[${pythonString(runtime.moduleName)}]`;
}

/** Loads the runtime and answers like a no-op run, so the bridge can check it worked. */
export function setupSource(runtime: RuntimeSource): string {
  return `${runtimeLoaderSource(runtime)}\n${wrapPython(runtimeExpression(runtime), "None").code}`;
}

export function wrapPython(runtimeModule: string, code: string, options: WrapOptions = {}): Wrapped {
  const args = [
    pythonString(code),
    pythonString(paramsJson(options.params)),
    pythonOptionalString(options.prelude),
    pythonOptionalString(options.epilogue),
    pythonCount(options.maxLogChars, DEFAULT_MAX_LOG_CHARS),
    pythonCount(options.maxValueChars, DEFAULT_MAX_VALUE_CHARS),
    pythonCount(options.maxItems, DEFAULT_MAX_ITEMS),
  ];
  // The user's code is compiled by the runtime under its own filename, so its line
  // numbers are already the user's: no offset to undo.
  // One statement: the panel compiles the wrapped code on every run.
  return { code: `${OUTPUT_VARIABLE} = ${runtimeModule}.run(${args.join(", ")})\n`, lineOffset: 0 };
}
