// What the shipped code imports at run time must be a dependency, not a devDependency: an
// `npm install --omit=dev` (or a global install) has no devDependencies, and one missing
// module breaks every command that loads it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../adapters/shared/package-path.js";

const SHIPPED = ["bridge", "adapters"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Bare module names a file loads at run time (type-only imports are erased, so skipped). */
function runtimeImports(text: string): string[] {
  const names: string[] = [];
  const patterns = [
    /^\s*import\s+(?!type\s)[^;]*?from\s+"([^".][^"]*)"/gms,
    /\bimport\(\s*"([^".][^"]*)"\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) names.push(match[1]!);
  }
  return names
    .filter((name) => !name.startsWith("node:"))
    .map((name) => (name.startsWith("@") ? name.split("/").slice(0, 2).join("/") : name.split("/")[0]!));
}

describe("package dependencies", () => {
  it("lists every module the bridge and adapters import at run time under dependencies", () => {
    const manifest = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const used = new Map<string, string>();
    for (const root of SHIPPED)
      for (const file of sourceFiles(packagePath(root)))
        for (const name of runtimeImports(readFileSync(file, "utf8"))) used.set(name, file);
    expect(used.size).toBeGreaterThan(5);
    const missing = [...used].filter(([name]) => !(name in manifest.dependencies));
    expect(missing, "imported at run time but not a dependency").toEqual([]);
  });
});
