// Premiere Pro: two API references, each read by the hosts that speak its language: the UXP
// one (25.6+) from the @adobe/premierepro types package, the ExtendScript one (the CEP panel,
// older versions) from types-for-adobe. The ExtendScript tree keeps the app's own folder, as
// before there were two.
import { extendscriptDocsSource } from "../extendscript/docs/index.js";
import type { Adapter } from "../types.js";
import { premiereQeCapture, premiereUxpCapture } from "./capture.js";
import { premiereExtendScriptCommonTypes, premiereUxpCommonTypes } from "./docs-ranking.js";
import { premiereCepPanel, premiereUxpPlugin } from "./panel.js";
import { premiereExtendscriptRiskRules, premiereUxpJsRiskRules } from "./risk-rules.js";
import { premiereExtendScriptStateProbe, premiereUxpStateProbe } from "./state-probe.js";
import { premiereUxpDocsSource } from "./uxp-docs/index.js";

export const premiereAdapter: Adapter = {
  app: "premiere",
  displayName: "Premiere Pro",
  // 25.6+ runs UXP JavaScript; older versions connect through the CEP panel with ExtendScript.
  language: "uxp-js",
  docs: {
    ...extendscriptDocsSource("premiere", "Premiere"),
    language: "extendscript",
    commonTypes: premiereExtendScriptCommonTypes,
  },
  moreDocs: [{ ...premiereUxpDocsSource("premiere"), commonTypes: premiereUxpCommonTypes }],
  // 25.6+ load the UXP plugin (the default), older versions the CEP panel.
  panel: [premiereUxpPlugin, premiereCepPanel],
  stateProbe: { "uxp-js": premiereUxpStateProbe, extendscript: premiereExtendScriptStateProbe },
  // A frame of the active sequence: its exporter in UXP, the QE DOM in ExtendScript.
  capture: { "uxp-js": premiereUxpCapture, extendscript: premiereQeCapture },
  // Neither UXP nor ExtendScript documents an undo a script can drive, and saving a copy of the
  // project (saveAs) would switch Premiere to that copy; a transaction is one step of its own undo.
  undoInApp:
    "in Premiere, Edit › Undo takes back a UXP run that edited through edit() or executeTransaction: each is one undo step, named for it",
  // No read-only lists: neither the UXP nor the ExtendScript kit has a read-only check, and
  // Premiere cannot run here to ground one.
  rules: {
    "uxp-js": { risk: premiereUxpJsRiskRules, readOnly: null },
    extendscript: { risk: premiereExtendscriptRiskRules, readOnly: null },
  },
  promptNotes: [
    'Premiere 25.6+ (UXP): `const ppro = require("premierepro")`; methods are async (await them);',
    "`await ppro.Project.getActiveProject()`, then `await project.getActiveSequence()`. Edits go through",
    "`project.lockedAccess(() => project.executeTransaction((compound) => compound.addAction(...)))`: one undo step;",
    'the kit\'s `edit(project, (compound) => { compound.addAction(trackItem.createSetNameAction("B")) }, "Rename")` does that in one line.',
    "Older Premiere (ExtendScript): `app.project.activeSequence`, synchronous. The docs are those of the host's language.",
    "capture (a picture for you): `frames` count from the active sequence's start (default: under the playhead).",
  ].join("\n"),
};
