// `scriptwright panel install|doctor|pack`: the CEP panel for After Effects and older Premiere,
// and (panel-com.ts) the Windows COM runner for Excel and SolidWorks.
import { resolve } from "node:path";
import type { HostsProbe } from "../panels/com-doctor.js";
import { isComApp } from "../panels/com-targets.js";
import {
  type DoctorCheck,
  doctorExitCode,
  formatChecks,
  type HealthProbe,
  runDoctor,
} from "../panels/doctor.js";
import { buildInstallPlan, formatPlan, type InstallPlan } from "../panels/install-plan.js";
import { executePlan, formatResults, type StepResult } from "../panels/install-run.js";
import { packPanel, signingInstructions } from "../panels/pack.js";
import { type CommandRunner, execFileRunner } from "../panels/runner.js";
import {
  APP_LABEL,
  type HostOs,
  hostOs,
  isPanelApp,
  isTargetOs,
  OS_LABEL,
  type PanelApp,
  panelSourceDir,
  type TargetOs,
  type UserFolders,
  userFolders,
} from "../panels/targets.js";
import { VERSION } from "../version.js";
import { CliError, EXIT } from "./exit-codes.js";
import { comPanelDoctor, comPanelInstall } from "./panel-com.js";

/** What the commands touch; tests replace it with a simulator (temp home, fake runner). */
export interface PanelEnv {
  current: HostOs;
  folders: (os: TargetOs) => UserFolders;
  runner: CommandRunner;
  source: string;
  /** The folder holding the COM runner's folders (default: the package's panels/). */
  comSource?: string;
  health?: HealthProbe;
  hosts?: HostsProbe;
  out: (text: string) => void;
  err: (text: string) => void;
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

function parseApp(app: string): PanelApp {
  if (!isPanelApp(app)) {
    throw new CliError(`unknown app "${app}": use aftereffects, premiere, excel or solidworks`, EXIT.usage);
  }
  return app;
}

function parseOs(os: string | undefined, current: HostOs): HostOs {
  if (os === undefined) return current;
  if (!isTargetOs(os)) throw new CliError(`unknown --os "${os}": use mac or win`, EXIT.usage);
  return os;
}

export interface InstallOptions {
  dryRun?: boolean;
  os?: string;
  json?: boolean;
  /** Excel only: set AccessVBOM=1 (the user's explicit consent). */
  trustVbaAccess?: boolean;
}

export async function panelInstall(
  appName: string,
  options: InstallOptions,
  env: PanelEnv = defaultPanelEnv(),
): Promise<number> {
  if (isComApp(appName)) return comPanelInstall(appName, options, env);
  if (options.trustVbaAccess) throw new CliError("--trust-vba-access is for excel only", EXIT.usage);
  const app = parseApp(appName);
  const requested = parseOs(options.os, env.current);
  // Linux (or anything else) has no Adobe apps: plan for macOS when no OS was picked.
  const planOs: TargetOs = isTargetOs(requested) ? requested : "mac";
  const plan = buildInstallPlan({ app, os: planOs, folders: env.folders(planOs), source: env.source });

  if (options.dryRun) {
    env.out(options.json ? JSON.stringify({ dryRun: true, plan }, null, 2) : formatPlan(plan));
    return EXIT.ok;
  }
  if (!isTargetOs(env.current)) {
    env.err(
      `scriptwright: Adobe apps do not run on ${OS_LABEL[env.current]}: nothing was installed. ` +
        `Run this on the Mac or Windows machine with ${APP_LABEL[app]}. The plan, for reference:`,
    );
    env.out(options.json ? JSON.stringify({ dryRun: true, plan }, null, 2) : formatPlan(plan));
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
  env.out(
    options.json
      ? JSON.stringify({ dryRun: false, ok, plan, results }, null, 2)
      : installReport(plan, results, ok),
  );
  return ok ? EXIT.ok : 1;
}

function installReport(plan: InstallPlan, results: StepResult[], ok: boolean): string {
  return [
    `Installing the Scriptwright panel for ${APP_LABEL[plan.app]} on ${OS_LABEL[plan.os]}:`,
    formatResults(results),
    ...plan.notes.map((note) => `Note: ${note}`),
    ok ? "Done." : `Some steps failed; see above, then check with: scriptwright panel doctor ${plan.app}`,
  ].join("\n");
}

export interface DoctorOptions {
  os?: string;
  json?: boolean;
  dataDir: string;
}

export async function panelDoctor(
  appName: string,
  options: DoctorOptions,
  env: PanelEnv = defaultPanelEnv(),
): Promise<number> {
  if (isComApp(appName)) return comPanelDoctor(appName, options, env);
  const app = parseApp(appName);
  const os = parseOs(options.os, env.current);
  const checks: DoctorCheck[] = await runDoctor({
    app,
    os,
    current: env.current,
    folders: isTargetOs(os) ? env.folders(os) : { home: "" },
    dataDir: options.dataDir,
    runner: env.runner,
    health: env.health,
  });
  const code = doctorExitCode(checks);
  env.out(options.json ? JSON.stringify({ ok: code === 0, checks }, null, 2) : formatChecks(checks));
  return code;
}

export interface PackOptions {
  out?: string;
  json?: boolean;
}

export function panelPack(options: PackOptions, env: PanelEnv = defaultPanelEnv()): number {
  const out = resolve(options.out ?? `scriptwright-cep-${VERSION}`);
  let result: ReturnType<typeof packPanel>;
  try {
    result = packPanel({ source: env.source, out, version: VERSION });
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage);
  }
  env.out(options.json ? JSON.stringify(result, null, 2) : signingInstructions(result));
  return EXIT.ok;
}
