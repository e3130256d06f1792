// Builds the SolidWorks API reference on the user's machine from their own install's help:
// the interop IntelliSense XML files (api/redist) and/or decompiled CHM help pages. Nothing of
// Dassault's is shipped with Scriptwright; the tree is written under the user's data dir only.
import { existsSync, readFileSync } from "node:fs";
import { DocsError } from "../../shared/docs-errors.js";
import type { DocSet } from "../../shared/docs-model.js";
import { entriesFromHelpPages } from "./chm-to-entries.js";
import { fileVersionOf } from "./file-version.js";
import { parseHtmlPage } from "./html-page.js";
import { mergeEntries } from "./merge.js";
import { findSources, readHtml } from "./sources.js";
import { parseXmlDoc, XmlDocError } from "./xml-doc.js";
import { entriesFromXmlDocs } from "./xml-to-entries.js";

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function buildFromSolidworksHelp(from: string, version?: string): DocSet {
  if (version !== undefined && !VERSION.test(version)) {
    throw new DocsError(
      "bad-source",
      `--version ${version}: use letters, digits, dots and dashes (e.g. 2024)`,
    );
  }
  const sources = findSources(from);
  const xmlDocs = sources.xmlFiles.map((file) => {
    try {
      return parseXmlDoc(readFileSync(file, "utf8").replace(/^\uFEFF/, ""), file);
    } catch (error) {
      if (error instanceof XmlDocError) throw new DocsError("bad-source", error.message);
      throw error;
    }
  });
  const help = entriesFromHelpPages(sources.htmlFiles.map((file) => parseHtmlPage(readHtml(file))));
  const entries = mergeEntries(entriesFromXmlDocs(xmlDocs), help.entries);
  if (!entries.length) {
    throw new DocsError("bad-source", `--from ${from}: no documented types or members found in those files`);
  }
  const resolved = version ?? versionOfInterop(sources.xmlFiles);
  if (!resolved) {
    throw new DocsError(
      "bad-source",
      "say which SolidWorks version this help is for with --version (e.g. --version 2024): it is read from the interop DLL next to the XML files, and there is none here",
    );
  }
  const parts = [
    xmlDocs.length ? `${xmlDocs.length} interop XML doc file${xmlDocs.length === 1 ? "" : "s"}` : "",
    help.topics ? `${help.topics} help page${help.topics === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return {
    app: "solidworks",
    version: resolved,
    source: `the SolidWorks API help of your install (${parts.join(", ")})`,
    entries,
  };
}

/** The file version of the first SolidWorks.Interop.*.dll that sits next to its XML docs. */
function versionOfInterop(xmlFiles: readonly string[]): string | null {
  for (const xml of xmlFiles) {
    const dll = xml.replace(/\.xml$/i, ".dll");
    if (dll !== xml && existsSync(dll)) {
      const version = fileVersionOf(dll);
      if (version) return version;
    }
  }
  return null;
}
