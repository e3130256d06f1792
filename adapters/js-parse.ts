// JavaScript parsing for the ExtendScript and UXP kits. acorn (one 230 KB file) loads on the
// first parse, not with the registry: CLI commands import the kits to list apps, and most never
// parse JavaScript. Its CommonJS build is required, as a synchronous preflight cannot import().
import { createRequire } from "node:module";
import type * as Acorn from "acorn";

let acorn: typeof Acorn | undefined;

export function parseJavaScript(code: string, options: Acorn.Options): Acorn.Program {
  acorn ??= createRequire(import.meta.url)("acorn") as typeof Acorn;
  return acorn.parse(code, options);
}
