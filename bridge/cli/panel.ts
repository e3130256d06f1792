// `scriptwright panel install|doctor|pack APP`: finds the app's panel spec in the registry (its
// default one, or the one `--kind` names) and hands the command to the installer of its kind
// (CEP panel, COM runner, add-on, UXP plugin). Nothing here knows an app: the apps, their kinds
// and the options they take all come from the specs.
import type { PanelKind } from "../../adapters/panel-spec.js";
import { adapters as registered } from "../../adapters/registry.js";
import {
  type Adapters,
  findPanelTarget,
  hasBuiltInPort,
  hasVbaTrust,
  orList,
  type PanelTarget,
  panelApps,
  panelTargets,
} from "../panels/panel-apps.js";
import { execFileRunner } from "../panels/runner.js";
import { hostOs, panelSourceDir, userFolders } from "../panels/targets.js";
import { CliError, EXIT } from "./exit-codes.js";
import { addonInstaller } from "./panel-addon.js";
import { cepInstaller } from "./panel-cep.js";
import { comInstaller } from "./panel-com.js";
import type {
  DoctorOptions,
  InstallOptions,
  PackOptions,
  PanelEnv,
  PanelInstaller,
} from "./panel-installer.js";
import { uxpInstaller } from "./panel-uxp.js";

export type { DoctorOptions, InstallOptions, PackOptions, PanelEnv } from "./panel-installer.js";

export const installers: { readonly [K in PanelKind]: PanelInstaller<K> } = {
  cep: cepInstaller,
  "com-runner": comInstaller,
  addon: addonInstaller,
  uxp: uxpInstaller,
};

/** The installer of the target's kind (the map above pairs each kind with its own). */
function installerFor(target: PanelTarget): PanelInstaller<PanelKind> {
  return installers[target.spec.kind] as PanelInstaller<PanelKind>;
}

export function defaultPanelEnv(): PanelEnv {
  const current = hostOs();
  return {
    current,
    folders: (os) => userFolders(os, current),
    runner: execFileRunner,
    source: panelSourceDir(),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
}

function targetFor(app: string, adapters: Adapters, kind?: string): PanelTarget {
  const target = findPanelTarget(app, adapters, kind);
  if (target) return target;
  const withPanel = panelApps(adapters);
  if (kind !== undefined && withPanel.includes(app)) {
    const kinds = panelTargets(adapters)
      .filter((t) => t.app === app)
      .map((t) => t.spec.kind);
    throw new CliError(`${app} has no ${kind} panel: --kind takes ${orList(kinds)}`, EXIT.usage);
  }
  if (adapters.has(app)) {
    throw new CliError(`${app} has no panel to install (apps with one: ${withPanel.join(", ")})`, EXIT.usage);
  }
  throw new CliError(`unknown app "${app}": use ${orList(withPanel)}`, EXIT.usage);
}

/** --trust-vba-access is consent to one setting, which only some apps' specs declare. */
function checkTrustOption(target: PanelTarget, options: InstallOptions, adapters: Adapters): void {
  if (!options.trustVbaAccess || hasVbaTrust(target)) return;
  const apps = panelTargets(adapters)
    .filter(hasVbaTrust)
    .map((t) => t.app);
  throw new CliError(`--trust-vba-access is for ${orList(apps)} only`, EXIT.usage);
}

/** --port is for panels built for one bridge port, which only some kinds are. */
function checkPortOption(target: PanelTarget, options: { port?: string }, adapters: Adapters): void {
  if (options.port === undefined || hasBuiltInPort(target)) return;
  const apps = [
    ...new Set(
      panelTargets(adapters)
        .filter(hasBuiltInPort)
        .map((t) => t.app),
    ),
  ];
  throw new CliError(
    `--port is for panels built for one bridge port (${orList(apps)}); ${target.app}'s ${target.spec.kind} panel finds the bridge by itself`,
    EXIT.usage,
  );
}

export async function panelInstall(
  app: string,
  options: InstallOptions,
  env: PanelEnv = defaultPanelEnv(),
): Promise<number> {
  const adapters = env.adapters ?? registered;
  const target = targetFor(app, adapters, options.kind);
  checkTrustOption(target, options, adapters);
  checkPortOption(target, options, adapters);
  return installerFor(target).install(target, options, env);
}

export async function panelDoctor(
  app: string,
  options: DoctorOptions,
  env: PanelEnv = defaultPanelEnv(),
): Promise<number> {
  const target = targetFor(app, env.adapters ?? registered, options.kind);
  return installerFor(target).doctor(target, options, env);
}

/** Without an app: the CEP panel, which every CEP app shares (what `panel pack` always made). */
export function panelPack(options: PackOptions, env: PanelEnv = defaultPanelEnv(), app?: string): number {
  if (app === undefined) return installers.cep.pack!(null, options, env);
  const adapters = env.adapters ?? registered;
  const target = targetFor(app, adapters, options.kind);
  checkPortOption(target, options, adapters);
  const installer = installerFor(target);
  if (!installer.pack) {
    throw new CliError(
      `${app} has nothing to pack: scriptwright panel install ${app} installs its files as they are`,
      EXIT.usage,
    );
  }
  return installer.pack(target, options, env);
}
