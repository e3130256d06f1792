// The Excel object model subset LibreOffice implements for VBA, introspected live through
// UNO by Python in the running office (LibreOffice hosts speak both VBA and Python), so the
// reference is exact for that version and nothing of Microsoft's text is involved.
import { readFileSync } from "node:fs";
import { packagePath } from "../../shared/package-path.js";
import type { DocsSource, Introspection } from "../../types.js";

export const VBA_INTROSPECT_PATH = packagePath("adapters", "libreoffice", "docs", "vba_introspect.py");

const source = readFileSync(VBA_INTROSPECT_PATH, "utf8");

export const libreofficeVbaIntrospection: Introspection = {
  language: "python",
  listScript: `${source}\nlist_names()\n`,
  describeScript: `${source}\ndescribe(params["names"])\n`,
  // LibreOffice 7.4: 514 names, ~1 MB in all; the largest entry (WorksheetFunction, ~500
  // functions with Calc's descriptions) is ~250 KB, so a batch of 60 stays far under the page cap.
  batchSize: 60,
};

/** The LibreOffice adapter's `docs`: `scriptwright docs sync --app libreoffice`. */
export const libreofficeDocs: DocsSource = { introspection: libreofficeVbaIntrospection };
