// After Effects: ExtendScript through a CEP panel (the panel and the ExtendScript kit come
// with the AE integration). Its API reference is built from the types-for-adobe dependency.
import { extendscriptDocsSource } from "../extendscript/docs/index.js";
import type { Adapter } from "../types.js";
import { afterEffectsCapture } from "./capture.js";
import { afterEffectsCheckpoint } from "./checkpoint.js";
import { afterEffectsCommonTypes } from "./docs-ranking.js";
import { afterEffectsPanel } from "./panel.js";
import { afterEffectsExtendscriptRiskRules } from "./risk-rules.js";
import { afterEffectsStateProbe } from "./state-probe.js";

export const afterEffectsAdapter: Adapter = {
  app: "aftereffects",
  displayName: "After Effects",
  language: "extendscript",
  docs: { ...extendscriptDocsSource("aftereffects", "AfterEffects"), commonTypes: afterEffectsCommonTypes },
  stateProbe: afterEffectsStateProbe,
  panel: afterEffectsPanel,
  // Frames through CompItem.saveFrameToPng; runs taken back with its own undo (one group per run).
  capture: { extendscript: afterEffectsCapture },
  checkpoint: { extendscript: afterEffectsCheckpoint },
  // No read-only list: the ExtendScript kit has no read-only check, and After Effects cannot run
  // here to ground one.
  rules: { extendscript: { risk: afterEffectsExtendscriptRiskRules, readOnly: null } },
  promptNotes: [
    "The global `app` is the Application; `app.project` the open project; `app.project.activeItem`",
    "the active comp when it is a CompItem. Layers are 1-based (`comp.layer(1)`), as are collections.",
    "Times are in seconds. Docs: classes/*.md (CompItem, LayerCollection, Property, …).",
    "capture (a picture for you): `frames` are comp frame numbers; `range` names a comp (default: the active one).",
  ].join("\n"),
};
