// Dependencies point down (DESIGN.md): adapters/ is the lower layer and imports nothing
// from bridge/, and nothing in bridge/ below the CLI reaches into it. Read from the
// sources, so a new upward import fails here, not in review.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../adapters/shared/package-path.js";

/** A path from the package root, with forward slashes. */
const fromRoot = (file: string) => relative(packagePath(), file).split(sep).join("/");
const inside = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** Every relative module a source file names: static and type imports, re-exports, import(). */
function importedPaths(file: string, source: string): string[] {
  const specifiers = [...source.matchAll(/\b(?:from|import)\s*\(?\s*["'](\.[^"']*)["']/g)].map(
    (match) => match[1]!,
  );
  return specifiers.map((specifier) => fromRoot(resolve(dirname(file), specifier)));
}

function sourcesUnder(folder: string): string[] {
  return readdirSync(packagePath(folder), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => packagePath(folder, name));
}

/** `file → module` for each import of a file under `from` that lands in one of `forbidden`. */
function importsInto(from: string[], forbidden: string[]): string[] {
  const found: string[] = [];
  for (const file of from) {
    for (const target of importedPaths(file, readFileSync(file, "utf8"))) {
      if (forbidden.some((prefix) => inside(target, prefix))) found.push(`${fromRoot(file)} → ${target}`);
    }
  }
  return found;
}

describe("layers", () => {
  it("reads every form of import a module can point up with", () => {
    const file = packagePath("adapters", "blender", "example.ts");
    const source = [
      'import { a } from "../../bridge/a.js";',
      'import type { B } from "../../bridge/b/c.js";',
      'export { d } from "../shared/d.js";',
      'const e = await import("../../bridge/e.js");',
      'import {\n  f,\n} from "../../bridge/f.js";',
      'import "zod";',
    ].join("\n");
    expect(importedPaths(file, source)).toEqual([
      "bridge/a.js",
      "bridge/b/c.js",
      "adapters/shared/d.js",
      "bridge/e.js",
      "bridge/f.js",
    ]);
  });

  it("adapters/ imports nothing from bridge/", () => {
    const sources = sourcesUnder("adapters");
    // The scan must see the adapters' own imports, or an empty pass would prove nothing.
    expect(importsInto(sources, ["adapters/shared"]).length).toBeGreaterThan(10);
    expect(importsInto(sources, ["bridge"])).toEqual([]);
  });

  it("bridge/ below the CLI imports nothing from bridge/cli", () => {
    const cli = ["bridge/cli", "bridge/cli.ts"];
    const below = sourcesUnder("bridge").filter((file) => !cli.some((part) => inside(fromRoot(file), part)));
    // bridge/client/ is below the CLI: a prefix test that took it for bridge/cli/ would skip it.
    expect(below.map(fromRoot)).toContain("bridge/client/bridge-client.ts");
    expect(importsInto(sourcesUnder("bridge/cli"), ["bridge/cli"]).length).toBeGreaterThan(10);
    expect(importsInto(below, ["bridge/cli", "bridge/cli.js"])).toEqual([]);
  });
});
