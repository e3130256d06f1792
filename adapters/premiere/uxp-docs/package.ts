// Where the `@adobe/premierepro` types package is installed. Its `exports` name only a
// `types` condition, so Node cannot resolve it as a module: its folder is looked for on the
// same node_modules paths an import would search.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DocsError } from "../../shared/docs-errors.js";

export const UXP_TYPES_PACKAGE = "@adobe/premierepro";
const require = createRequire(import.meta.url);

export interface UxpTypesPackage {
  root: string;
  version: string;
  /** The one declaration file the package ships. */
  declarations: string;
}

/**
 * The installed package, or a DocsError naming the package and how to install it. `searched`:
 * the node_modules folders to look in (default: those an import from here would search).
 */
export function uxpTypesPackage(
  searched: readonly string[] = require.resolve.paths(UXP_TYPES_PACKAGE) ?? [],
): UxpTypesPackage {
  for (const dir of searched) {
    const root = join(dir, ...UXP_TYPES_PACKAGE.split("/"));
    const manifestPath = join(root, "package.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { version?: string; types?: string };
    const declarations = join(root, manifest.types ?? "src/premierepro.d.ts");
    if (!existsSync(declarations) || !manifest.version) continue;
    return { root, version: manifest.version, declarations };
  }
  throw new DocsError(
    "no-source",
    `the ${UXP_TYPES_PACKAGE} package (Premiere Pro's UXP types) is not installed; reinstall scriptwright or run: npm install ${UXP_TYPES_PACKAGE}`,
  );
}
