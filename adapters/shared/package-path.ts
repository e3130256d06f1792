// Locates files shipped with the package (panels, runtime helpers) whether the code
// runs from sources (tests, tsx) or from the compiled dist/ tree.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "panels"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("scriptwright: cannot find the package root");
    dir = up;
  }
}

export const packageRoot = findRoot();

export function packagePath(...parts: string[]): string {
  return join(packageRoot, ...parts);
}
