// The SolidWorks adapter's docs source: `scriptwright docs build --app solidworks --from <path>`
// builds the reference from the user's own install. The builder (and its XML and HTML parsers)
// is imported only then, so loading the adapters stays cheap.
import type { DocsSource } from "../../types.js";

export const solidworksDocs: DocsSource = {
  buildFrom: async (from, version) => (await import("./build.js")).buildFromSolidworksHelp(from, version),
  fromHint: "<SolidWorks install>\\api\\redist, or a folder of decompiled API help (.chm) pages",
};
