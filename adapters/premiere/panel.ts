// Premiere 25.6 and later load the UXP plugin (panels/uxp-premiere), packed as a .ccx that
// Creative Cloud installs; older versions load the CEP panel every CEP app shares. Both are
// declared here, the UXP plugin first: `panel install premiere` installs it, `--kind cep` the other.
import type { CepPanelSpec, UxpPanelSpec } from "../panel-spec.js";
import { packagePath } from "../shared/package-path.js";

export const premiereUxpPlugin: UxpPanelSpec = {
  kind: "uxp",
  appVersions: "25.6 and later",
  source: packagePath("panels", "uxp-premiere"),
  portFile: "bridge-config.js",
  packageName: "scriptwright-premiere",
  openHint: "Window › UXP Plugins › Scriptwright",
  developerMode: "in Premiere Pro: Settings › Plugins › Enable developer mode, then restart Premiere Pro",
};

export const CEP_PREMIERE_NOTE =
  "This CEP panel is for Premiere Pro before 25.6; 25.6 and later use the UXP plugin: scriptwright panel install premiere";

export const premiereCepPanel: CepPanelSpec = {
  kind: "cep",
  appVersions: "before 25.6",
  hostCode: "PPRO",
  notes: [CEP_PREMIERE_NOTE],
  doctorNotes: [{ id: "premiere-uxp", title: "Premiere 25.6+", detail: CEP_PREMIERE_NOTE }],
};
