// After Effects loads the CEP panel (it has no released UXP): its host id in the manifest, and
// the preference scripts need for files and the network, which no installer can set.
import type { CepPanelSpec } from "../panel-spec.js";

export const AE_SCRIPTING_PREF =
  'After Effects: Preferences › Scripting & Expressions › "Allow Scripts to Write Files and Access Network" must be on for scripts that read or write files or use the network.';

export const afterEffectsPanel: CepPanelSpec = {
  kind: "cep",
  hostCode: "AEFT",
  doctorNotes: [{ id: "scripting-pref", title: "scripting preference", detail: AE_SCRIPTING_PREF }],
};
