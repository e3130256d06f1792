// What a Python script's imports bind, so the risk classifier judges a renamed name by the
// module it came from (`import subprocess as sp; sp.run` is subprocess.run).
import type { Token } from "./tokens.js";

export interface Imports {
  /** Local name → canonical dotted name. */
  aliases: Map<string, string>;
  /** Modules imported with `from m import *`. */
  starModules: string[];
  /** Canonical names each import statement brings in, with its line. */
  imported: { name: string; line: number }[];
  /** Token indexes that belong to import statements. */
  importTokens: Set<number>;
}

export function isOp(token: Token | undefined, text: string): boolean {
  return token?.kind === "op" && token.text === text;
}

export function isName(token: Token | undefined, text?: string): boolean {
  return token?.kind === "name" && (text === undefined || token.text === text);
}

/** `a.b.c` starting at a name token: its parts and the index just after it. */
function readDotted(tokens: Token[], start: number): { parts: string[]; end: number } {
  const parts = [tokens[start]!.text];
  let end = start + 1;
  while (isOp(tokens[end], ".") && isName(tokens[end + 1])) {
    parts.push(tokens[end + 1]!.text);
    end += 2;
  }
  return { parts, end };
}

/** `import a.b as c, d` starting at the `import` token. Returns the index after it. */
function readImport(tokens: Token[], at: number, imports: Imports): number {
  let i = at + 1;
  for (;;) {
    if (!isName(tokens[i])) return i;
    const line = tokens[i]!.line;
    const dotted = readDotted(tokens, i);
    const module = dotted.parts.join(".");
    i = dotted.end;
    imports.imported.push({ name: module, line });
    if (isName(tokens[i], "as") && isName(tokens[i + 1])) {
      imports.aliases.set(tokens[i + 1]!.text, module);
      i += 2;
    } else {
      // `import os.path` binds `os`.
      imports.aliases.set(dotted.parts[0]!, dotted.parts[0]!);
    }
    if (!isOp(tokens[i], ",")) return i;
    i++;
  }
}

/** `from m import a as b, c` / `from m import (a, b)` / `from m import *`. */
function readFromImport(tokens: Token[], at: number, imports: Imports): number {
  let i = at + 1;
  let relative = false;
  while (isOp(tokens[i], ".") || isOp(tokens[i], "...")) {
    relative = true;
    i++;
  }
  let module = "";
  if (isName(tokens[i]) && !isName(tokens[i], "import")) {
    const dotted = readDotted(tokens, i);
    module = dotted.parts.join(".");
    i = dotted.end;
  }
  if (!isName(tokens[i], "import")) return at + 1; // `yield from x`, `raise X from Y`
  const line = tokens[at]!.line;
  i++;
  const parenthesised = isOp(tokens[i], "(");
  if (parenthesised) i++;
  // Relative imports name the user's own package: nothing known to resolve them to.
  const base = relative ? "" : module;
  for (;;) {
    if (isOp(tokens[i], "*")) {
      if (base) imports.starModules.push(base);
      i++;
    } else if (isName(tokens[i])) {
      const name = tokens[i]!.text;
      const canonical = base ? `${base}.${name}` : name;
      i++;
      let local = name;
      if (isName(tokens[i], "as") && isName(tokens[i + 1])) {
        local = tokens[i + 1]!.text;
        i += 2;
      }
      if (base) {
        imports.aliases.set(local, canonical);
        imports.imported.push({ name: canonical, line });
      }
    }
    if (!isOp(tokens[i], ",")) break;
    i++;
  }
  if (parenthesised && isOp(tokens[i], ")")) i++;
  return i;
}

export function collectImports(tokens: Token[]): Imports {
  const imports: Imports = { aliases: new Map(), starModules: [], imported: [], importTokens: new Set() };
  for (let i = 0; i < tokens.length; i++) {
    if (isOp(tokens[i - 1], ".")) continue;
    let end = i;
    if (isName(tokens[i], "import")) end = readImport(tokens, i, imports);
    else if (isName(tokens[i], "from")) end = readFromImport(tokens, i, imports);
    if (end > i + 1) {
      for (let j = i; j < end; j++) imports.importTokens.add(j);
      i = end - 1;
    }
  }
  return imports;
}

/** The names written parts may stand for: through their alias, or through a star import. */
export function resolveImported(parts: readonly string[], imports: Imports): string[] {
  const [head, ...rest] = parts;
  const alias = imports.aliases.get(head!);
  if (alias !== undefined) return [[alias, ...rest].join(".")];
  const written = parts.join(".");
  return [written, ...imports.starModules.map((module) => `${module}.${written}`)];
}
