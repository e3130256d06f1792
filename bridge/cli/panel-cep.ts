// `scriptwright panel install|doctor|pack APP` for a CEP app: the CEP panel copied into Adobe's
// extensions folder with unsigned panels allowed, its checks, and a folder ready for signing.
import { resolve } from "node:path";
import { runCepDoctor } from "../panels/cep-doctor.js";
import { buildInstallPlan, formatPlan } from "../panels/install-plan.js";
import { executePlan } from "../panels/install-run.js";
import { packPanel, signingInstructions } from "../panels/pack.js";
import { panelArgs } from "../panels/panel-apps.js";
import { type HostOs, isTargetOs, OS_LABEL, type TargetOs } from "../panels/targets.js";
import { VERSION } from "../version.js";
import { CliError, EXIT } from "./exit-codes.js";
import { installReport, type PanelInstaller, printDoctor, printReport } from "./panel-installer.js";

function parseOs(os: string | undefined, current: HostOs): HostOs {
  if (os === undefined) return current;
  if (!isTargetOs(os)) throw new CliError(`unknown --os "${os}": use mac or win`, EXIT.usage);
  return os;
}

export const cepInstaller: PanelInstaller<"cep"> = {
  async install(target, options, env) {
    const requested = parseOs(options.os, env.current);
    // Linux (or anything else) has no Adobe apps: plan for macOS when no OS was picked.
    const planOs: TargetOs = isTargetOs(requested) ? requested : "mac";
    const plan = buildInstallPlan({
      app: target.app,
      os: planOs,
      folders: env.folders(planOs),
      source: env.source,
      adapters: env.adapters,
    });
    const printPlan = () =>
      printReport(env, options.json, { dryRun: true, plan }, () => formatPlan(plan, target.label));

    if (options.dryRun) {
      printPlan();
      return EXIT.ok;
    }
    if (!isTargetOs(env.current)) {
      env.err(
        `scriptwright: Adobe apps do not run on ${OS_LABEL[env.current]}: nothing was installed. ` +
          `Run this on the Mac or Windows machine with ${target.label}. The plan, for reference:`,
      );
      printPlan();
      return EXIT.usage;
    }
    if (planOs !== env.current) {
      throw new CliError(
        `cannot install for ${OS_LABEL[planOs]} from ${OS_LABEL[env.current]}; add --dry-run to see the plan`,
        EXIT.usage,
      );
    }
    const results = await executePlan(plan, { runner: env.runner });
    const ok = results.every((r) => r.status !== "fail");
    printReport(env, options.json, { dryRun: false, ok, plan, results }, () =>
      installReport(
        `Installing the Scriptwright panel for ${target.label} on ${OS_LABEL[plan.os]}:`,
        plan.notes,
        results,
        ok,
        panelArgs(target),
      ),
    );
    return ok ? EXIT.ok : 1;
  },

  async doctor(target, options, env) {
    const os = parseOs(options.os, env.current);
    const checks = await runCepDoctor({
      target,
      os,
      current: env.current,
      folders: isTargetOs(os) ? env.folders(os) : { home: "" },
      dataDir: options.dataDir,
      runner: env.runner,
      health: env.health,
    });
    return printDoctor(env, options.json, checks);
  },

  // One panel for every CEP app, so the target does not matter.
  pack(_target, options, env) {
    const out = resolve(options.out ?? `scriptwright-cep-${VERSION}`);
    let result: ReturnType<typeof packPanel>;
    try {
      result = packPanel({ source: env.source, out, version: VERSION });
    } catch (error) {
      throw new CliError((error as Error).message, EXIT.usage);
    }
    printReport(env, options.json, result, () => signingInstructions(result));
    return EXIT.ok;
  },
};
