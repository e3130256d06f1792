// The Python language kit: Blender first, any Python host that follows the panel
// contract (exec the wrapped code, read __scriptwright_output__) after.
import type { KitSetup, LanguageKit, WrapOptions, Wrapped } from "../types.js";
import { preflightPython } from "./preflight.js";
import { isReadOnlyPython } from "./read-only.js";
import { riskPython } from "./risk.js";
import { loadRuntimeSource } from "./runtime-source.js";
import { unwrapPython } from "./unwrap.js";
import { runtimeExpression, setupSource, wrapPython } from "./wrap.js";

export { ENVELOPE_TAG, ENVELOPE_VERSION, type Envelope, type EnvelopeError } from "./envelope.js";
export { OUTPUT_VARIABLE } from "./wrap.js";

/**
 * The runtime, read, hashed and compressed on first use rather than when the registry loads
 * (every CLI command loads it; few wrap Python).
 */
let prepared: { moduleName: string; expression: string; setup: KitSetup } | undefined;
function runtime(): NonNullable<typeof prepared> {
  if (!prepared) {
    const source = loadRuntimeSource();
    prepared = {
      moduleName: source.moduleName,
      expression: runtimeExpression(source),
      setup: { key: source.moduleName, code: setupSource(source) },
    };
  }
  return prepared;
}

/** sys.modules name the runtime lives under in a host process (it changes with its source). */
export function pythonRuntimeModule(): string {
  return runtime().moduleName;
}

export const pythonKit: LanguageKit = {
  language: "python",
  get setup() {
    return runtime().setup;
  },
  preflight: preflightPython,
  wrap: (code: string, options?: WrapOptions): Wrapped => wrapPython(runtime().expression, code, options),
  unwrap: unwrapPython,
  risk: riskPython,
  isReadOnly: isReadOnlyPython,
  promptNotes: [
    "Python runs like a notebook cell: the value of the last expression is the result (end with the",
    "value you want back, e.g. `[o.name for o in D.objects]`); print() output comes back as logs.",
    "Each run has a fresh namespace; what you create in the app stays. Errors come back with the",
    "line in your script. Only the standard library and the app's own modules are available.",
  ].join("\n"),
};
