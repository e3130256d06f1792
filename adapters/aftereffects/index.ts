// After Effects: ExtendScript through a CEP panel (the panel and the ExtendScript kit come
// with the AE integration). Its API reference is built from the types-for-adobe dependency.
import { extendscriptDocsSource } from "../extendscript/docs/index.js";
import type { Adapter } from "../types.js";

export const afterEffectsAdapter: Adapter = {
  app: "aftereffects",
  displayName: "After Effects",
  language: "extendscript",
  docs: extendscriptDocsSource("aftereffects", "AfterEffects"),
};
