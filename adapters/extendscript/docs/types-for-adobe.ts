// Where the `types-for-adobe` dependency lives, which app versions it ships, and which
// .d.ts files make up one version (its index.d.ts plus the shared files it references).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

export type AdobeProduct = "AfterEffects" | "Premiere";

const require = createRequire(import.meta.url);

let cachedRoot: string | undefined;

/** The installed package's directory (resolved like an import, so hoisting does not matter). */
export function packageRoot(): string {
  cachedRoot ??= dirname(require.resolve("types-for-adobe/package.json"));
  return cachedRoot;
}

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as {
    version?: string;
  };
  return manifest.version ?? "unknown";
}

/** Numeric, segment by segment: "26.0" > "25.4" > "9.0" > "8.0". */
export function compareVersionsDescending(a: string, b: string): number {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (right[i] ?? 0) - (left[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Version folders that hold an index.d.ts, newest first. */
export function typesForAdobeVersions(product: AdobeProduct): string[] {
  const productDir = join(packageRoot(), product);
  return readdirSync(productDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d+(\.\d+)*$/.test(entry.name))
    .filter((entry) => existsSync(join(productDir, entry.name, "index.d.ts")))
    .map((entry) => entry.name)
    .sort(compareVersionsDescending);
}

export function indexFileFor(product: AdobeProduct, version: string): string {
  return join(packageRoot(), product, version, "index.d.ts");
}

const REFERENCE = /^\s*\/\/\/\s*<reference\s+path\s*=\s*["']([^"']+)["']/gm;

/**
 * The index file and every file it pulls in through `/// <reference path>`, depth first so
 * shared files come before the app's own (the app's declarations then merge onto them).
 * Following the references rather than listing shared files keeps each app to what the
 * package says it has: After Effects references ScriptUI, Premiere Pro does not.
 */
export function declarationFiles(indexFile: string): Array<{ path: string; text: string }> {
  const files: Array<{ path: string; text: string }> = [];
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = readFileSync(path, "utf8");
    for (const match of text.matchAll(REFERENCE)) visit(resolve(dirname(path), match[1]!));
    files.push({ path, text });
  };
  visit(indexFile);
  return files;
}
