// The ExtendScript runtime, read once at module load and inlined into every wrapped script
// (a CEP panel has no module system, and AE's session-long globals are best left alone).
import { readFileSync } from "node:fs";
import { packagePath } from "../../shared/package-path.js";

export const RUNTIME_PATH = packagePath("scripts-lib", "extendscript", "scriptwright_runtime.jsx");

/** The function the runtime file declares. */
export const RUNTIME_FUNCTION = "__scriptwright_v1";

/** The runtime without its whole-line comments and blank lines (less to send and parse per run). */
export function loadRuntimeSource(path: string = RUNTIME_PATH): string {
  const source = readFileSync(path, "utf8");
  if (!source.includes(`function ${RUNTIME_FUNCTION}(`)) {
    throw new Error(`${path} does not declare ${RUNTIME_FUNCTION}`);
  }
  return source
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "" && !/^\s*\/\//.test(line))
    .join("\n");
}
