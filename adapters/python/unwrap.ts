// Reads the Python runtime's envelope back (adapters/envelope.ts does the work).
import { unwrapEnvelope } from "../envelope.js";
import type { Unwrapped, Wrapped } from "../types.js";

export function unwrapPython(output: string, wrapped: Wrapped): Unwrapped {
  return unwrapEnvelope(output, {
    panel: "the Python panel",
    placeholders: ["undefined", "None", "null"],
    lineOffset: wrapped.lineOffset,
  });
}
