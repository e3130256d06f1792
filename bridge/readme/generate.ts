import { readFileSync, writeFileSync } from "node:fs";
import { appInfos } from "../../adapters/app-info.js";
import { adapters, languageKits } from "../../adapters/registry.js";
import { packagePath } from "../../adapters/shared/package-path.js";
import { appsTable, withAppsTable } from "./apps-table.js";

const target = packagePath("README.md");
const table = appsTable(appInfos(adapters, languageKits), adapters);
writeFileSync(target, withAppsTable(readFileSync(target, "utf8"), table));
console.log(`wrote the apps table in ${target}`);
