// Builds the ExtendScript API reference of After Effects or Premiere Pro from the
// `types-for-adobe` dependency: the app's index.d.ts plus the shared JavaScript, ScriptUI
// and XMP declarations it references, as one DocSet.
import type { DocSet } from "../../shared/docs-model.js";
import { parseDeclarations } from "./declarations.js";
import { entriesFromDeclarations } from "./dts-to-entries.js";
import {
  type AdobeProduct,
  declarationFiles,
  indexFileFor,
  packageVersion,
  typesForAdobeVersions,
} from "./types-for-adobe.js";

export interface BuildOptions {
  /** The app id the DocSet is for: "aftereffects", "premiere". */
  app: string;
  product: AdobeProduct;
  /** A version folder of the package, e.g. "26.0"; the newest when omitted. */
  version?: string;
}

export function buildFromTypesForAdobe(options: BuildOptions): DocSet {
  const versions = typesForAdobeVersions(options.product);
  const version = options.version ?? versions[0];
  if (version === undefined || !versions.includes(version)) {
    const wanted = options.version === undefined ? "any version" : `version "${options.version}"`;
    throw new Error(
      `types-for-adobe has no ${wanted} of ${options.product}; available: ${versions.join(", ") || "none"}`,
    );
  }
  const files = declarationFiles(indexFileFor(options.product, version));
  return {
    app: options.app,
    version,
    source: `types-for-adobe ${packageVersion()}`,
    entries: entriesFromDeclarations(parseDeclarations(files)),
  };
}
