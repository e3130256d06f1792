// `scriptwright panel install|doctor APP` for a COM runner app: the Windows COM runner.
// Elsewhere than on Windows, install prints the plan only.
import { runComDoctor } from "../panels/com-doctor.js";
import {
  buildComInstallPlan,
  type ComInstallPlan,
  executeComPlan,
  formatComPlan,
} from "../panels/com-install.js";
import { comRunnerSource } from "../panels/com-targets.js";
import { doctorExitCode, formatChecks } from "../panels/doctor.js";
import { formatResults, type StepResult } from "../panels/install-run.js";
import type { PanelTarget } from "../panels/panel-apps.js";
import { OS_LABEL } from "../panels/targets.js";
import { CliError, EXIT } from "./exit-codes.js";
import { type PanelInstaller, printReport } from "./panel-installer.js";

function checkOs(target: PanelTarget<"com-runner">, os: string | undefined): void {
  if (os !== undefined && os !== "win") {
    throw new CliError(
      `${target.label} is scripted through COM, on Windows only: use --os win (or leave --os out)`,
      EXIT.usage,
    );
  }
}

function installReport(plan: ComInstallPlan, label: string, results: StepResult[], ok: boolean): string {
  return [
    `Installing the Scriptwright COM runner for ${label}:`,
    formatResults(results),
    ...plan.notes.map((note) => `Note: ${note}`),
    ok ? "Done." : `Some steps failed; see above, then check with: scriptwright panel doctor ${plan.app}`,
  ].join("\n");
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
      installReport(plan, target.label, results, ok),
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
    const code = doctorExitCode(checks);
    printReport(env, options.json, { ok: code === 0, checks }, () => formatChecks(checks));
    return code;
  },
};
