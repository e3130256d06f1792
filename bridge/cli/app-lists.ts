// The app and language names CLI help shows, from the registry: adding an app adds it here.
import { type AppCapability, appInfos } from "../../adapters/app-info.js";
import { adapters, languageKits } from "../../adapters/registry.js";

/** The registered apps' ids, in registry order; only those with `capability` when given. */
export function appList(capability?: AppCapability): string {
  return appInfos(adapters, languageKits)
    .filter((app) => capability === undefined || app.capabilities.includes(capability))
    .map((app) => app.app)
    .join(", ");
}

export function languageList(): string {
  return [...languageKits.keys()].join(", ");
}

/** What `docs build --from` reads, for each app whose reference is built from the user's own files. */
export function docsFromHints(): string {
  return [...adapters.values()]
    .filter((adapter) => adapter.docs?.buildFrom)
    .map((adapter) => `${adapter.app}: ${adapter.docs?.fromHint ?? "its help files"}`)
    .join("; ");
}
