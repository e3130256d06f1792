// Premiere before 25.6 loads the CEP panel; 25.6 and later load the UXP plugin instead, which
// is loaded with Adobe's UXP Developer Tool, not installed by Scriptwright: both say so.
import type { CepPanelSpec } from "../panel-spec.js";

export const UXP_PREMIERE_NOTE =
  "Premiere Pro 25.6 and later use the UXP plugin in panels/uxp-premiere instead (load it with Adobe's UXP Developer Tool); this CEP panel is for older Premiere.";

export const premierePanel: CepPanelSpec = {
  kind: "cep",
  hostCode: "PPRO",
  notes: [UXP_PREMIERE_NOTE],
  doctorNotes: [{ id: "premiere-uxp", title: "Premiere 25.6+", detail: UXP_PREMIERE_NOTE }],
};
