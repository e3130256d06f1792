// The README's apps table is the registry's, and its "Adding an app" steps name files that exist.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { appInfos } from "../adapters/app-info.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { packagePath } from "../adapters/shared/package-path.js";
import { appsTable, withAppsTable } from "../bridge/readme/apps-table.js";

const readme = readFileSync(packagePath("README.md"), "utf8");

describe("README", () => {
  it("has the registry's apps table (run `npm run gen:readme` if this fails)", () => {
    const table = appsTable(appInfos(adapters, languageKits), adapters);
    expect(withAppsTable(readme, table)).toBe(readme);
    for (const adapter of adapters.values()) expect(table).toContain(`| \`${adapter.app}\` |`);
  });
});
