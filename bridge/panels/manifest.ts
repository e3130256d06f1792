// A small, DOM-free reader for the CEP manifest: enough to check what the panel declares.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface ManifestInfo {
  version?: string;
  bundleId?: string;
  bundleVersion?: string;
  extensionIds: string[];
  hosts: { name: string; version: string }[];
  runtimes: { name: string; version: string }[];
  mainPath?: string;
  cefParameters: string[];
  uiType?: string;
  menu?: string;
  size?: { width: number; height: number };
  minSize?: { width: number; height: number };
}

/** Attributes of the first or every `<tag …>` (comments stripped first). */
function tags(xml: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const match of xml.matchAll(new RegExp(`<${tag}(\\s[^>]*?)?/?>`, "g"))) {
    const attributes: Record<string, string> = {};
    for (const attr of (match[1] ?? "").matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) {
      attributes[attr[1]!] = attr[2]!;
    }
    out.push(attributes);
  }
  return out;
}

function texts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g"))].map((m) =>
    m[1]!.trim(),
  );
}

function geometry(xml: string, tag: string): { width: number; height: number } | undefined {
  const block = texts(xml, tag)[0];
  if (block === undefined) return undefined;
  const width = Number(texts(block, "Width")[0]);
  const height = Number(texts(block, "Height")[0]);
  return Number.isFinite(width) && Number.isFinite(height) ? { width, height } : undefined;
}

export function parseManifest(text: string): ManifestInfo {
  const xml = text.replace(/<!--[\s\S]*?-->/g, "");
  const root = tags(xml, "ExtensionManifest")[0];
  if (!root) throw new Error("not a CEP manifest (no <ExtensionManifest>)");
  const extensionList = texts(xml, "ExtensionList")[0] ?? "";
  return {
    version: root.Version,
    bundleId: root.ExtensionBundleId,
    bundleVersion: root.ExtensionBundleVersion,
    extensionIds: tags(extensionList, "Extension").map((e) => e.Id ?? ""),
    hosts: tags(xml, "Host").map((h) => ({ name: h.Name ?? "", version: h.Version ?? "" })),
    runtimes: tags(xml, "RequiredRuntime").map((r) => ({ name: r.Name ?? "", version: r.Version ?? "" })),
    mainPath: texts(xml, "MainPath")[0],
    cefParameters: texts(texts(xml, "CEFCommandLine")[0] ?? "", "Parameter"),
    uiType: texts(xml, "Type")[0],
    menu: texts(xml, "Menu")[0],
    size: geometry(xml, "Size"),
    minSize: geometry(xml, "MinSize"),
  };
}

export function manifestPath(panelDir: string): string {
  return join(panelDir, "CSXS", "manifest.xml");
}

export function readManifest(panelDir: string): ManifestInfo {
  return parseManifest(readFileSync(manifestPath(panelDir), "utf8"));
}

/** `[24.0,99.9]` → {min, max}; a bare version (an exact match in CEP) gives undefined. */
export function parseVersionRange(range: string): { min: number; max: number } | undefined {
  const match = /^\[\s*([\d.]+)\s*,\s*([\d.]+)\s*\]$/.exec(range.trim());
  if (!match) return undefined;
  return { min: Number.parseFloat(match[1]!), max: Number.parseFloat(match[2]!) };
}
