// `scriptwright panel install|doctor APP` for a COM runner app: the Windows COM runner.
// Elsewhere than on Windows, install prints the plan only.
import { runComDoctor } from "../panels/com-doctor.js";
import { buildComInstallPlan, executeComPlan, formatComPlan } from "../panels/com-install.js";
import { comRunnerSource } from "../panels/com-targets.js";
import type { PanelTarget } from "../panels/panel-apps.js";
import { OS_LABEL } from "../panels/targets.js";
import { CliError, EXIT } from "./exit-codes.js";
import { installReport, type PanelInstaller, printDoctor, printReport } from "./panel-installer.js";

function checkOs(target: PanelTarget<"com-runner">, os: string | undefined): void {
  if (os !== undefined && os !== "win") {
    throw new CliError(
      `${target.label} is scripted through COM, on Windows only: use --os win (or leave --os out)`,
      EXIT.usage,
    );
  }
}

export const comInstaller: PanelInstaller<"com-runner"> = {
  async install(target, options, env) {
    checkOs(target, options.os);
    const plan = buildComInstallPlan({
      app: target.app,
      folders: env.folders("win"),
      source: env.comSource ?? comRunnerSource(),
      trustVbaAccess: options.trustVbaAccess,
      adapters: env.adapters,
    });
    const printPlan = () =>
      printReport(env, options.json, { dryRun: true, plan }, () => formatComPlan(plan, target.label));

    if (options.dryRun) {
      printPlan();
      return EXIT.ok;
    }
    if (env.current !== "win") {
      // Asking for the Windows plan from another machine gets it; a bare install here is a mistake.
      if (options.os === "win") {
        env.err(
          `scriptwright: this is ${OS_LABEL[env.current]}: printing the Windows plan only, nothing was installed.`,
        );
        printPlan();
        return EXIT.ok;
      }
      env.err(
        `scriptwright: ${target.label} runs on Windows only: nothing was installed. ` +
          `Run this on the Windows machine with ${target.label}. The plan, for reference:`,
      );
      printPlan();
      return EXIT.usage;
    }
    const results = await executeComPlan(plan, target, { runner: env.runner });
    const ok = results.every((r) => r.status !== "fail" && r.status !== "skip");
    printReport(env, options.json, { dryRun: false, ok, plan, results }, () =>
      installReport(
        `Installing the Scriptwright COM runner for ${target.label}:`,
        plan.notes,
        results,
        ok,
        plan.app,
      ),
    );
    return ok ? EXIT.ok : 1;
  },

  async doctor(target, options, env) {
    checkOs(target, options.os);
    const checks = await runComDoctor({
      target,
      os: "win",
      current: env.current,
      folders: env.folders("win"),
      source: env.comSource ?? comRunnerSource(),
      dataDir: options.dataDir,
      runner: env.runner,
      health: env.health,
      hosts: env.hosts,
    });
    return printDoctor(env, options.json, checks);
  },
};
