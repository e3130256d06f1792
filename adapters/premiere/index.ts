// Premiere Pro: its ExtendScript API reference (Premiere before 25.6, and the ExtendScript
// surface newer versions still run) is built from the types-for-adobe dependency.
import { extendscriptDocsSource } from "../extendscript/docs/index.js";
import type { Adapter } from "../types.js";

export const premiereAdapter: Adapter = {
  app: "premiere",
  displayName: "Premiere Pro",
  language: "extendscript",
  docs: extendscriptDocsSource("premiere", "Premiere"),
};
