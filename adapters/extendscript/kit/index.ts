// The ExtendScript language kit: After Effects (and Premiere before UXP) through a CEP panel
// that runs __adobe_cep__.evalScript(wrapped.code) and returns the string it gets back.
import type { LanguageKit, WrapOptions, Wrapped } from "../../types.js";
import { preflightExtendScript } from "./preflight.js";
import { riskExtendScript } from "./risk.js";
import { loadRuntimeSource } from "./runtime-source.js";
import { unwrapExtendScript } from "./unwrap.js";
import { wrapExtendScript } from "./wrap.js";

export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ITEMS,
  DEFAULT_MAX_LOG_CHARS,
  DEFAULT_MAX_VALUE_CHARS,
  ENVELOPE_TAG,
  ENVELOPE_VERSION,
} from "./envelope.js";
export { RUNTIME_FUNCTION, RUNTIME_PATH } from "./runtime-source.js";
export { returnLastExpression } from "./wrap.js";

const runtime = loadRuntimeSource();

export const extendscriptKit: LanguageKit = {
  language: "extendscript",
  preflight: preflightExtendScript,
  wrap: (code: string, options?: WrapOptions): Wrapped => wrapExtendScript(runtime, code, options),
  unwrap: unwrapExtendScript,
  risk: riskExtendScript,
  promptNotes: [
    "ExtendScript is ES3 (1999 JavaScript): use var and function expressions; no let/const, arrow",
    "functions, template literals, classes, destructuring, for…of or `**`. Do not rely on JSON,",
    "Object.keys or Array map/filter/forEach/indexOf (often missing): write plain for loops.",
    "The value of the last expression is the result (the wrapper serialises it for you, no",
    "JSON.stringify needed; app objects come back as {$ref, name}); top-level `return x` works too.",
    "log(...) (and $.writeln) output comes back as logs. Each run is one undo step, opened and",
    "closed for you, with dialogs suppressed. Errors come back with the line in your script.",
  ].join("\n"),
};
