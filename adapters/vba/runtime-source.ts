// The VBA runtime (scripts-lib/vba/scriptwright_runtime.bas), read once. A VBA module
// must declare its variables before any procedure, and the user's module-level
// declarations sit between the two, so the file has two parts split at a marker line.
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";

export const RUNTIME_PATH = packagePath("scripts-lib", "vba", "scriptwright_runtime.bas");

const MARKER = "' ==== procedures ====";

export interface RuntimeSource {
  /** Module-level variables, placed before the user's code. */
  declarations: string;
  /** Helper procedures (Log, JsonObject, the JSON encoder and parser), placed after it. */
  procedures: string;
}

export function loadRuntimeSource(path: string = RUNTIME_PATH): RuntimeSource {
  const text = readFileSync(path, "utf8").replace(/\r\n?/g, "\n");
  const at = text.indexOf(MARKER);
  if (at < 0) throw new Error(`${path} has no "${MARKER}" line`);
  return {
    declarations: text.slice(0, at).trimEnd(),
    procedures: text.slice(at + MARKER.length).trim(),
  };
}
