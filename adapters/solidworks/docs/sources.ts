// What `--from` points at: the SolidWorks interop XML docs (api/redist), a folder of decompiled
// CHM help pages, or both under one folder. A .chm itself cannot be read here (LZX-compressed,
// and no maintained npm package reads it), so it is answered with how to decompile it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { DocsError } from "../../shared/docs-errors.js";

export interface HelpSources {
  xmlFiles: string[];
  htmlFiles: string[];
}

/** Folders deep enough for an install's api/redist or a decompiled help tree, not a whole disk. */
const MAX_DEPTH = 4;
const MAX_FILES = 200_000;
const INTEROP_XML = /^solidworks\.interop\..+\.xml$/i;
const HTML = /\.html?$/i;

export function findSources(from: string): HelpSources {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(from);
  } catch {
    throw new DocsError("bad-source", `--from ${from}: no such file or folder`);
  }
  if (stats.isFile()) {
    const ext = extname(from).toLowerCase();
    if (ext === ".chm") throw new DocsError("bad-source", decompileHint([from]));
    if (ext === ".xml") return { xmlFiles: [from], htmlFiles: [] };
    if (HTML.test(from)) return { xmlFiles: [], htmlFiles: [from] };
    throw new DocsError("bad-source", `--from ${from}: expected ${EXPECTED}`);
  }
  const found: HelpSources = { xmlFiles: [], htmlFiles: [] };
  const chms: string[] = [];
  let seen = 0;
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (++seen > MAX_FILES) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) walk(path, depth + 1);
      } else if (INTEROP_XML.test(entry.name)) found.xmlFiles.push(path);
      else if (HTML.test(entry.name)) found.htmlFiles.push(path);
      else if (/\.chm$/i.test(entry.name)) chms.push(path);
    }
  };
  walk(from, 0);
  if (found.xmlFiles.length || found.htmlFiles.length) return found;
  if (chms.length) throw new DocsError("bad-source", decompileHint(chms));
  throw new DocsError(
    "bad-source",
    `--from ${from}: found no SolidWorks API help there; expected ${EXPECTED}`,
  );
}

const EXPECTED =
  "the folder with SolidWorks.Interop.*.xml (…\\SOLIDWORKS\\api\\redist in your install), one of those files, or a folder of decompiled API help pages (.htm)";

function decompileHint(chms: readonly string[]): string {
  const chm = chms[0]!;
  const out = `${basename(chm, extname(chm))}-help`;
  return [
    `${chms.length === 1 ? chm : `${chms.length} .chm files (e.g. ${chm})`}: compiled help cannot be read directly. Decompile it into a folder first, with one of:`,
    `  Windows:       hh.exe -decompile ${out} "${chm}"`,
    `  macOS / Linux: 7z x -o${out} "${chm}"      (or: extract_chmLib "${chm}" ${out})`,
    `then: scriptwright docs build --app solidworks --from ${out} --version <SolidWorks version>`,
  ].join("\n");
}

/** A help page's text in the charset its <meta> names (decompiled CHM pages are often windows-1252). */
export function readHtml(path: string): string {
  const bytes = readFileSync(path);
  const head = bytes.subarray(0, 2048).toString("latin1");
  const label = /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1] ?? "utf-8";
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}
