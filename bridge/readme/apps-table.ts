// The README's apps table, written from the registry so it can never disagree with it:
// `npm run gen:readme` rewrites the part between the markers, and a test fails when stale.
import type { AppInfo } from "../../adapters/app-info.js";
import { panelSpecs } from "../../adapters/panel-spec.js";
import type { Adapter } from "../../adapters/types.js";

export const TABLE_START = "<!-- apps table: generated from adapters/registry.ts by `npm run gen:readme` -->";
export const TABLE_END = "<!-- end of apps table -->";

function docsSource(adapter: Adapter, names: ReadonlyMap<string, string>): string {
  const docs = adapter.docs;
  if (!docs) return "none";
  if (docs.readsDocsOf) return `${names.get(docs.readsDocsOf) ?? docs.readsDocsOf}'s`;
  const ways = [
    ...(docs.build ? ["built from a dependency"] : []),
    ...(docs.buildFrom ? ["built from your install's help"] : []),
    ...(docs.introspection ? ["synced from the running app"] : []),
  ];
  return ways.join(", ") || "none";
}

const yes = (on: boolean) => (on ? "yes" : "—");

/** What `scriptwright panel install APP` installs, by the kind of the adapter's panel spec. */
const PANEL_WORDS: Record<string, string> = {
  cep: "CEP panel",
  "com-runner": "COM runner (Windows)",
  addon: "add-on",
  uxp: "UXP plugin",
};

export function appsTable(infos: readonly AppInfo[], adapters: ReadonlyMap<string, Adapter>): string {
  const names = new Map(infos.map((info) => [info.app, info.displayName]));
  const rows = infos.map((info) => {
    const adapter = adapters.get(info.app)!;
    const languages = info.languages.map((l) => (l === info.defaultLanguage ? `**${l}**` : l)).join(", ");
    const panels = panelSpecs(adapter.panel).map((spec) => {
      const words = PANEL_WORDS[spec.kind] ?? spec.kind;
      return spec.appVersions ? `${words} (${spec.appVersions})` : words;
    });
    const panel = panels.join(", ") || "—";
    return `| ${info.displayName} | \`${info.app}\` | ${languages} | ${yes(info.capabilities.includes("headless"))} | ${yes(info.capabilities.includes("batch"))} | ${info.readOnlyLanguages.join(", ") || "—"} | ${docsSource(adapter, names)} | ${panel} |`;
  });
  return [
    TABLE_START,
    "| app | `--app` | languages (default in bold) | managed headless | batch | read-only mode | API docs | `panel install` |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    TABLE_END,
  ].join("\n");
}

/** The README with its apps table replaced; throws when the markers are missing. */
export function withAppsTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error("README.md has no apps table markers");
  return readme.slice(0, start) + table + readme.slice(end + TABLE_END.length);
}
