// What `scriptwright panel … --help` says: each kind of panel's install and pack, with its apps
// from the registry. Read when the CLI starts, so it imports no installer.
import type { PanelKind } from "../../adapters/panel-spec.js";
import { hasBuiltInPort, hasVbaTrust, orList, panelApps, panelTargets } from "../panels/panel-apps.js";

/** What the installer of each kind does; `pack` only for kinds with something to pack. */
export const KIND_HELP: { readonly [K in PanelKind]: { install: string; pack?: string } } = {
  cep: {
    install: "copy the CEP panel into Adobe's extensions folder and allow unsigned panels (PlayerDebugMode)",
    pack: "a folder ready for signing with ZXPSignCmd",
  },
  "com-runner": {
    install: "copy the COM runner to %LOCALAPPDATA%\\Scriptwright\\com-runner and check Python and pywin32",
  },
  addon: {
    install: "pack the add-on and have the app found on this machine install and enable it",
    pack: "the add-on zip",
  },
  uxp: {
    install:
      "build the UXP plugin as a .ccx for the bridge's port and say how to install it (Creative Cloud) or load it (UXP Developer Tool)",
    pack: "the UXP plugin's .ccx",
  },
};

function byKind(say: (kind: PanelKind) => string | undefined): string {
  const targets = panelTargets();
  return (Object.keys(KIND_HELP) as PanelKind[])
    .flatMap((kind) => {
      const apps = targets.filter((target) => target.spec.kind === kind).map((target) => target.app);
      const text = say(kind);
      return apps.length && text ? [`${apps.join(", ")}: ${text}`] : [];
    })
    .join("; ");
}

/** "blender, aftereffects, … or solidworks". */
export function panelAppList(): string {
  return orList(panelApps());
}

/** The apps with several panels and their kinds: "premiere: uxp (default) or cep". */
export function kindChoices(): string {
  const targets = panelTargets();
  return panelApps()
    .map((app) => ({ app, kinds: targets.filter((t) => t.app === app).map((t) => t.spec.kind) }))
    .filter(({ kinds }) => kinds.length > 1)
    .map(({ app, kinds }) => `${app}: ${kinds[0]} (default) or ${orList(kinds.slice(1))}`)
    .join("; ");
}

/** The apps whose panel is built for one bridge port. */
export function builtInPortAppList(): string {
  return orList([
    ...new Set(
      panelTargets()
        .filter(hasBuiltInPort)
        .map((target) => target.app),
    ),
  ]);
}

export function installHelp(): string {
  return byKind((kind) => KIND_HELP[kind].install);
}

export function packHelp(): string {
  return byKind((kind) => KIND_HELP[kind].pack);
}

/** The apps whose install takes --trust-vba-access. */
export function vbaTrustAppList(): string {
  return orList(
    panelTargets()
      .filter(hasVbaTrust)
      .map((target) => target.app),
  );
}
