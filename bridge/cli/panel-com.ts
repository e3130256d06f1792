// `scriptwright panel install|doctor excel|solidworks`: the Windows COM runner. Elsewhere than
// on Windows, install prints the plan only.

import { runComDoctor } from "../panels/com-doctor.js";
import {
  buildComInstallPlan,
  type ComInstallPlan,
  executeComPlan,
  formatComPlan,
} from "../panels/com-install.js";
import { COM_APP_LABEL, type ComApp, comRunnerSource } from "../panels/com-targets.js";
import { doctorExitCode, formatChecks } from "../panels/doctor.js";
import { formatResults, type StepResult } from "../panels/install-run.js";
import { OS_LABEL } from "../panels/targets.js";
import { CliError, EXIT } from "./exit-codes.js";
import type { DoctorOptions, InstallOptions, PanelEnv } from "./panel.js";

function checkOs(app: ComApp, os: string | undefined): void {
  if (os !== undefined && os !== "win") {
    throw new CliError(
      `${COM_APP_LABEL[app]} is scripted through COM, on Windows only: use --os win (or leave --os out)`,
      EXIT.usage,
    );
  }
}

export async function comPanelInstall(app: ComApp, options: InstallOptions, env: PanelEnv): Promise<number> {
  checkOs(app, options.os);
  if (options.trustVbaAccess && app !== "excel") {
    throw new CliError("--trust-vba-access is for excel only", EXIT.usage);
  }
  const plan = buildComInstallPlan({
    app,
    folders: env.folders("win"),
    source: env.comSource ?? comRunnerSource(),
    trustVbaAccess: options.trustVbaAccess,
  });
  const printPlan = () =>
    env.out(options.json ? JSON.stringify({ dryRun: true, plan }, null, 2) : formatComPlan(plan));

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
      `scriptwright: ${COM_APP_LABEL[app]} runs on Windows only: nothing was installed. ` +
        `Run this on the Windows machine with ${COM_APP_LABEL[app]}. The plan, for reference:`,
    );
    printPlan();
    return EXIT.usage;
  }
  const results = await executeComPlan(plan, { runner: env.runner });
  const ok = results.every((r) => r.status !== "fail" && r.status !== "skip");
  env.out(
    options.json
      ? JSON.stringify({ dryRun: false, ok, plan, results }, null, 2)
      : installReport(plan, results, ok),
  );
  return ok ? EXIT.ok : 1;
}

function installReport(plan: ComInstallPlan, results: StepResult[], ok: boolean): string {
  return [
    `Installing the Scriptwright COM runner for ${COM_APP_LABEL[plan.app]}:`,
    formatResults(results),
    ...plan.notes.map((note) => `Note: ${note}`),
    ok ? "Done." : `Some steps failed; see above, then check with: scriptwright panel doctor ${plan.app}`,
  ].join("\n");
}

export async function comPanelDoctor(app: ComApp, options: DoctorOptions, env: PanelEnv): Promise<number> {
  checkOs(app, options.os);
  const checks = await runComDoctor({
    app,
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
  env.out(options.json ? JSON.stringify({ ok: code === 0, checks }, null, 2) : formatChecks(checks));
  return code;
}
