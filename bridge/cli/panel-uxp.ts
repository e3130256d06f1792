// `scriptwright panel install|doctor|pack APP` for a UXP plugin: the .ccx (and the same files
// as a folder for the UXP Developer Tool) built for the bridge's port, with the steps that
// install it, load it or pair it; its checks; the .ccx alone for a person to pass around.
import { resolve } from "node:path";
import { resolveDataDir } from "../data-dir.js";
import { otherPanels, type PanelTarget } from "../panels/panel-apps.js";
import { type HostOs, isTargetOs } from "../panels/targets.js";
import { runUxpDoctor, uxpPackageDir } from "../panels/uxp-doctor.js";
import { planUxpPackage, UxpManifestError, type UxpPackage, writeUxpPackage } from "../panels/uxp-package.js";
import { type PluginPort, PluginPortError, resolvePluginPort } from "../panels/uxp-port.js";
import { formatUxpInstructions, uxpInstructions } from "../panels/uxp-steps.js";
import { CliError, EXIT } from "./exit-codes.js";
import { type PanelEnv, type PanelInstaller, printDoctor, printReport } from "./panel-installer.js";

function parseOs(os: string | undefined, current: HostOs): HostOs {
  if (os === undefined) return current;
  if (!isTargetOs(os)) throw new CliError(`unknown --os "${os}": use mac or win`, EXIT.usage);
  return os;
}

/** A bad --port or a plugin folder that cannot be packed are the person's to fix: exit 2 with the reason. */
function usageErrors<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof PluginPortError || error instanceof UxpManifestError) {
      throw new CliError(error.message, EXIT.usage);
    }
    throw error;
  }
}

function report(
  target: PanelTarget<"uxp">,
  env: PanelEnv,
  options: { json?: boolean; dryRun?: boolean; os?: string },
  pkg: UxpPackage,
  port: PluginPort,
  headline: string,
): void {
  const others = otherPanels(target, env.adapters);
  const instructions = uxpInstructions({ target, pkg, port, os: parseOs(options.os, env.current), others });
  printReport(
    env,
    options.json,
    { dryRun: options.dryRun === true, package: pkg, portSource: port.source, ...instructions },
    () => formatUxpInstructions(headline, instructions),
  );
}

export const uxpInstaller: PanelInstaller<"uxp"> = {
  async install(target, options, env) {
    const dataDir = options.dataDir ?? resolveDataDir();
    const port = usageErrors(() => resolvePluginPort(options.port, dataDir));
    const outDir = uxpPackageDir(dataDir);
    const pkg = usageErrors(() =>
      options.dryRun
        ? planUxpPackage(target.spec, port.port, outDir)
        : writeUxpPackage(target.spec, port.port, outDir),
    );
    const what = `the Scriptwright UXP plugin ${pkg.version} for ${target.label}${target.spec.appVersions ? ` ${target.spec.appVersions}` : ""}, reaching the bridge on port ${pkg.port}`;
    const headline = options.dryRun
      ? `Would build ${pkg.ccx} and the folder ${pkg.folder} (${what}); nothing was written.`
      : `Built ${pkg.ccx} and the folder ${pkg.folder} (${what}).`;
    report(target, env, options, pkg, port, headline);
    return EXIT.ok;
  },

  async doctor(target, options, env) {
    const checks = await runUxpDoctor({
      target,
      dataDir: options.dataDir,
      health: env.health,
      hosts: env.hosts,
    });
    return printDoctor(env, options.json, checks);
  },

  pack(target, options, env) {
    if (!target) throw new Error("a UXP plugin is packed for its app");
    const port = usageErrors(() => resolvePluginPort(options.port, options.dataDir ?? resolveDataDir()));
    const pkg = usageErrors(() => writeUxpPackage(target.spec, port.port, resolve(options.out ?? ".")));
    report(
      target,
      env,
      options,
      pkg,
      port,
      `Wrote ${pkg.ccx} (${pkg.files.length} files) and the folder ${pkg.folder}.`,
    );
    return EXIT.ok;
  },
};
