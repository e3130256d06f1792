// Reads the UXP runtime's envelope back. Anything that is not a well-formed envelope is an
// error with an explanation: garbage must never pass for a successful run. The runtime
// already mapped positions to the user's lines (it measures the engine's header itself),
// so lines are only checked here, never shifted.
import { unwrapEnvelope } from "../envelope.js";
import type { Unwrapped, Wrapped } from "../types.js";

export function unwrapUxp(output: string, _wrapped: Wrapped): Unwrapped {
  return unwrapEnvelope(output, {
    panel: "the Premiere (UXP) panel",
    placeholders: ["undefined", "null"],
    placeholderHint: "the code it ran was not wrapped by the uxp-js kit, or the plugin dropped its result",
    lineOffset: 0,
  });
}
