// The VBA language kit: Excel (through a COM runner) and LibreOffice Calc in VBA mode.
// Hosts insert the wrapped module, call `ScriptwrightRun` (it returns the envelope text) and
// remove the module. Host-specific header lines (LibreOffice's `Option VBASupport 1`) come
// from the adapter's wrap options prelude, never from the kit.
import type { LanguageKit, WrapOptions, Wrapped } from "../types.js";
import { preflightVba } from "./preflight.js";
import { isReadOnlyVba } from "./read-only.js";
import { riskVba } from "./risk.js";
import { loadRuntimeSource } from "./runtime-source.js";
import { unwrapVba } from "./unwrap.js";
import { ENTRY_POINT, wrapVba } from "./wrap.js";

export { ENTRY_POINT } from "./wrap.js";

const runtime = loadRuntimeSource();

export const vbaKit: LanguageKit = {
  language: "vba",
  preflight: preflightVba,
  wrap: (code: string, options?: WrapOptions): Wrapped => wrapVba(runtime, code, options),
  unwrap: unwrapVba,
  risk: riskVba,
  isReadOnly: isReadOnlyVba,
  promptNotes: [
    "VBA runs as plain statements or as a module. Statements: assign the value you want back to",
    "`Result` (predefined; `Set Result = obj` for objects). A module with Sub/Function runs its `Main`",
    '(a Function Main\'s return value is the result). `Log "text", value` writes to the logs',
    '(Debug.Print output is lost). Macro parameters: `params("count")`, nested `params("opts", "size")`.',
    '`JsonObject("name", v, "n", 3)` returns a JSON object; arrays and Range.Value come back as',
    "lists (rows of cells). Errors report Err.Number, Err.Description and your line. Each run is",
    `a fresh module (${ENTRY_POINT} is reserved): keep state in the document, not in variables.`,
  ].join("\n"),
};
