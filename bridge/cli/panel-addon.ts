// `scriptwright panel install|doctor|pack APP` for an add-on app (Blender): the add-on zip,
// installed by the app found on this machine into its own user folders, and checked by asking
// that app. The zip is written to a temporary folder and removed once the app has its copy.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { findApp } from "../panels/addon-app.js";
import { runAddonDoctor } from "../panels/addon-doctor.js";
import { buildAddonPlan, executeAddonPlan, formatAddonPlan } from "../panels/addon-plan.js";
import type { PanelTarget } from "../panels/panel-apps.js";
import { CliError, EXIT } from "./exit-codes.js";
import { installReport, type PanelInstaller, printDoctor, printReport } from "./panel-installer.js";

/** The add-on goes into the app on this machine: there is no other OS to plan for. */
function refuseOs(target: PanelTarget<"addon">, os: string | undefined): void {
  if (os !== undefined) {
    throw new CliError(
      `--os is not for ${target.app}: its add-on is installed into the ${target.label} on this machine (leave --os out)`,
      EXIT.usage,
    );
  }
}

export const addonInstaller: PanelInstaller<"addon"> = {
  async install(target, options, env) {
    refuseOs(target, options.os);
    const search = await findApp(target, env.runner);
    if (!search.found) {
      env.err(`scriptwright: ${search.detail} Nothing was installed; ${target.spec.findFix}.`);
      return 1;
    }
    if (options.dryRun) {
      const zip = join(tmpdir(), "scriptwright-addon-XXXXXX", target.spec.zipName());
      const plan = buildAddonPlan(target, search.found, zip);
      printReport(env, options.json, { dryRun: true, plan }, () => formatAddonPlan(plan, target.label));
      return EXIT.ok;
    }
    const folder = mkdtempSync(join(tmpdir(), "scriptwright-addon-"));
    try {
      const plan = buildAddonPlan(target, search.found, join(folder, target.spec.zipName()));
      const results = await executeAddonPlan(plan, target, env.runner);
      const ok = results.every((r) => r.status === "ok");
      printReport(env, options.json, { dryRun: false, ok, plan, results }, () =>
        installReport(
          `Installing the Scriptwright add-on into ${target.label} ${plan.appVersion}:`,
          plan.notes,
          results,
          ok,
          plan.app,
        ),
      );
      return ok ? EXIT.ok : 1;
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },

  async doctor(target, options, env) {
    refuseOs(target, options.os);
    const checks = await runAddonDoctor({
      target,
      dataDir: options.dataDir,
      runner: env.runner,
      health: env.health,
      hosts: env.hosts,
    });
    return printDoctor(env, options.json, checks);
  },

  pack(target, options, env) {
    if (!target) throw new Error("an add-on is packed for its app");
    let pack: ReturnType<typeof target.spec.pack>;
    try {
      pack = target.spec.pack(resolve(options.out ?? "."));
    } catch (error) {
      throw new CliError((error as Error).message, EXIT.usage);
    }
    printReport(env, options.json, pack, () =>
      [
        `Wrote ${pack.zip} (${pack.files.length} files).`,
        ...target.spec.installHelp(pack.zip),
        `Or let Scriptwright install it into the ${target.label} found here: scriptwright panel install ${target.app}`,
      ].join("\n"),
    );
    return EXIT.ok;
  },
};
