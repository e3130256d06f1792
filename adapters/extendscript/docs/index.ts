// The ExtendScript docs source of After Effects and Premiere Pro: the versions `types-for-adobe`
// ships, and a build that imports the builder (and with it the TypeScript compiler, ~0.6 s to
// load) only when a reference is built, so loading the adapters stays cheap.
import type { DocsSource } from "../../types.js";
import { type AdobeProduct, typesForAdobeVersions } from "./types-for-adobe.js";

export type { AdobeProduct } from "./types-for-adobe.js";
export { typesForAdobeVersions } from "./types-for-adobe.js";

export function extendscriptDocsSource(app: string, product: AdobeProduct): DocsSource {
  return {
    versions: () => typesForAdobeVersions(product),
    build: async (version?: string) => {
      const { buildFromTypesForAdobe } = await import("./build.js");
      return buildFromTypesForAdobe(version === undefined ? { app, product } : { app, product, version });
    },
  };
}
