// Premiere Pro's UXP docs source: the reference `@adobe/premierepro` describes, built in a
// worker thread (the TypeScript parser takes a while to load and run) only when asked for.
import type { DocSet } from "../../shared/docs-model.js";
import { runOffThread } from "../../shared/off-thread.js";
import type { DocsSource } from "../../types.js";
import { type UxpTypesPackage, uxpTypesPackage } from "./package.js";

/** `findPackage`: where the types package is (tests point it at an install without it). */
export function premiereUxpDocsSource(
  app: string,
  findPackage: () => UxpTypesPackage = uxpTypesPackage,
): DocsSource {
  return {
    language: "uxp-js",
    versions: () => {
      try {
        return [findPackage().version];
      } catch {
        return [];
      }
    },
    build: async (version?: string) => {
      findPackage(); // a missing package is said here, as a DocsError, not from the worker
      return runOffThread<DocSet>(["adapters", "premiere", "uxp-docs", "build.js"], "buildPremiereUxpDocs", [
        version === undefined ? { app } : { app, version },
      ]);
    },
  };
}
