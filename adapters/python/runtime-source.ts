// The Python runtime, read once at module load and shipped compressed inside every
// wrapped script. Python compiles the whole wrapped string on every run, and its
// tokenizer pays per character, so a ~8 KB base64 literal costs about a third of the
// ~21 KB source; decompression happens only on the first run in a process.
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";

export const RUNTIME_PATH = packagePath("scripts-lib", "python", "scriptwright_runtime.py");

/** Filename the runtime's own code is compiled under (shows in no user traceback). */
export const RUNTIME_FILENAME = "<scriptwright-runtime>";

export interface RuntimeSource {
  /** The runtime's Python source text. */
  source: string;
  /** sys.modules key: a new runtime version never reuses an older loaded one. */
  moduleName: string;
  /** zlib-compressed UTF-8 source, base64-encoded. */
  compressedBase64: string;
}

export function loadRuntimeSource(path: string = RUNTIME_PATH): RuntimeSource {
  // Loaded here, on first use: node:crypto alone takes ~10 ms to load.
  const { createHash } = process.getBuiltinModule("node:crypto");
  const { deflateSync } = process.getBuiltinModule("node:zlib");
  const source = readFileSync(path, "utf8");
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  return {
    source,
    moduleName: `scriptwright_runtime_${hash}`,
    compressedBase64: deflateSync(Buffer.from(source, "utf8"), { level: 9 }).toString("base64"),
  };
}
