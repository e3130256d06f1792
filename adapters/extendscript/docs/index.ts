// The ExtendScript docs source of After Effects and Premiere Pro: the versions `types-for-adobe`
// ships, and a build that runs the builder (and with it the TypeScript compiler, ~0.6 s to
// load and seconds to run) in a worker thread, only when a reference is built: loading the
// adapters stays cheap and the bridge keeps serving while it builds.
import type { DocSet } from "../../shared/docs-model.js";
import { runOffThread } from "../../shared/off-thread.js";
import type { DocsSource } from "../../types.js";
import { type AdobeProduct, typesForAdobeVersions } from "./types-for-adobe.js";

export type { AdobeProduct } from "./types-for-adobe.js";
export { typesForAdobeVersions } from "./types-for-adobe.js";

export function extendscriptDocsSource(app: string, product: AdobeProduct): DocsSource {
  return {
    versions: () => typesForAdobeVersions(product),
    build: (version?: string) =>
      runOffThread<DocSet>(["adapters", "extendscript", "docs", "build.js"], "buildFromTypesForAdobe", [
        version === undefined ? { app, product } : { app, product, version },
      ]),
  };
}
