// `node --import <this file>`: records every module the process loads into the file that
// $SCRIPTWRIGHT_RECORD_IMPORTS names, one URL or path a line. ES modules are seen as they are
// resolved (the hook in record-imports-hooks.mjs); CommonJS modules, which a package may
// require() out of a hook's sight, are read from require.cache at exit.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const out = process.env.SCRIPTWRIGHT_RECORD_IMPORTS;
if (out) {
  register("./record-imports-hooks.mjs", import.meta.url, { data: { out } });
  const cache = createRequire(import.meta.url).cache;
  process.on("exit", () => appendFileSync(out, `${Object.keys(cache).join("\n")}\n`));
}
