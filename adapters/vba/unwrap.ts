// Reads the VBA runtime's envelope back (adapters/envelope.ts does the work). A host that
// gets nothing from the module (LibreOffice returns None on a compile error) says so itself;
// an empty answer reaching this point is still an error, never a silent success.
import { unwrapEnvelope } from "../envelope.js";
import type { Unwrapped, Wrapped } from "../types.js";

export function unwrapVba(output: string, wrapped: Wrapped): Unwrapped {
  return unwrapEnvelope(output, {
    panel: "the VBA host",
    emptyHint: "(the module may not have compiled, or ScriptwrightRun was not the function called)",
    placeholders: ["None", "null", "undefined", "Empty"],
    placeholderHint: "the module did not compile or ScriptwrightRun returned nothing",
    lineOffset: wrapped.lineOffset,
  });
}
