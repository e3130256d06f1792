// What the outside sees of each registered app: `GET /api/apps`, the chat panel, CLI help and
// argument checks. Derived from the adapter, so adding an app adds it everywhere.
import { readOnlyRulesFor } from "./classify.js";
import { type Adapter, adapterLanguages, type LanguageKit } from "./types.js";

/** What the bridge can do with an app, as far as its adapter says. */
export type AppCapability =
  /** Managed headless instances (`serve --headless APP`). */
  | "headless"
  /** Batch jobs: headless instances that open documents. */
  | "batch"
  /** A state probe (`get_app_state`, `GET /api/hosts/:id/state`). */
  | "state"
  /** Pictures of the open document (`capture`: agent, MCP, CLI, `POST /api/capture`). */
  | "capture"
  /** An API reference: built from a dependency or files, synced from a live host, or borrowed. */
  | "docs"
  /** Read-only approval mode, in at least one of its languages. */
  | "read-only"
  /** A panel `scriptwright panel install` installs (CEP panel, COM runner, add-on). */
  | "panel";

export interface AppInfo {
  app: string;
  displayName: string;
  /** Every language its hosts speak; the first is the default. */
  languages: string[];
  defaultLanguage: string;
  /** Languages with a read-only mode (the app's list of pure reads). */
  readOnlyLanguages: string[];
  capabilities: AppCapability[];
}

export function appInfo(adapter: Adapter, kits: ReadonlyMap<string, LanguageKit>): AppInfo {
  const languages = adapterLanguages(adapter);
  const readOnlyLanguages = languages.filter((language) => {
    const kit = kits.get(language);
    return kit !== undefined && readOnlyRulesFor(adapter, kit) !== undefined;
  });
  const capabilities: AppCapability[] = [];
  if (adapter.headless) capabilities.push("headless");
  if (adapter.headless && adapter.openDocument) capabilities.push("batch");
  if (adapter.stateProbe) capabilities.push("state");
  if (adapter.capture) capabilities.push("capture");
  if (adapter.docs) capabilities.push("docs");
  if (readOnlyLanguages.length) capabilities.push("read-only");
  if (adapter.panel) capabilities.push("panel");
  return {
    app: adapter.app,
    displayName: adapter.displayName,
    languages,
    defaultLanguage: adapter.language,
    readOnlyLanguages,
    capabilities,
  };
}

/** Every registered app, in registry order. */
export function appInfos(
  adapters: ReadonlyMap<string, Adapter>,
  kits: ReadonlyMap<string, LanguageKit>,
): AppInfo[] {
  return [...adapters.values()].map((adapter) => appInfo(adapter, kits));
}
