// What every kind of panel installer offers the `panel` commands (bridge/cli/panel.ts picks one
// by the app's panel spec, as transports sit behind one interface), and what they all get.
import type { PanelKind } from "../../adapters/panel-spec.js";
import {
  type DoctorCheck,
  doctorExitCode,
  formatChecks,
  type HealthProbe,
  type HostsProbe,
} from "../panels/doctor.js";
import { formatResults, type StepResult } from "../panels/install-run.js";
import type { Adapters, PanelTarget } from "../panels/panel-apps.js";
import type { CommandRunner } from "../panels/runner.js";
import type { HostOs, TargetOs, UserFolders } from "../panels/targets.js";

/** What the commands touch; tests replace it with a simulator (temp home, fake runner). */
export interface PanelEnv {
  current: HostOs;
  folders: (os: TargetOs) => UserFolders;
  runner: CommandRunner;
  /** The CEP panel as shipped (default: the package's panels/cep). */
  source: string;
  /** The folder holding the COM runner's folders (default: the package's panels/). */
  comSource?: string;
  health?: HealthProbe;
  hosts?: HostsProbe;
  /** The apps served (default: the registry); tests pass stand-ins. */
  adapters?: Adapters;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Which of the app's panels (its default when absent): `--kind`. */
interface KindOption {
  kind?: string;
}

/** For panels built for one bridge port: `--port` (default: the running bridge's, else 7821). */
interface PortOptions {
  port?: string;
  /** Where bridge.json says which port the running bridge has. */
  dataDir?: string;
}

export interface InstallOptions extends KindOption, PortOptions {
  dryRun?: boolean;
  os?: string;
  json?: boolean;
  /** Only for an app whose panel spec has vbaTrust: set AccessVBOM=1 (the user's explicit consent). */
  trustVbaAccess?: boolean;
}

export interface DoctorOptions extends KindOption {
  os?: string;
  json?: boolean;
  dataDir: string;
}

export interface PackOptions extends KindOption, PortOptions {
  out?: string;
  json?: boolean;
}

/** Each returns the command's exit code; a usage error throws CliError. */
export interface PanelInstaller<K extends PanelKind> {
  install(target: PanelTarget<K>, options: InstallOptions, env: PanelEnv): Promise<number>;
  doctor(target: PanelTarget<K>, options: DoctorOptions, env: PanelEnv): Promise<number>;
  /** Absent: nothing to pack. `target` is null for `panel pack` without an app (kind-wide). */
  pack?(target: PanelTarget<K> | null, options: PackOptions, env: PanelEnv): number;
}

/** The report of an install or a doctor, as text or as `--json` data. */
export function printReport(
  env: PanelEnv,
  json: boolean | undefined,
  data: object,
  text: () => string,
): void {
  env.out(json ? JSON.stringify(data, null, 2) : text());
}

/** A doctor's checks, printed as text or `--json`; its exit code. */
export function printDoctor(env: PanelEnv, json: boolean | undefined, checks: DoctorCheck[]): number {
  const code = doctorExitCode(checks);
  printReport(env, json, { ok: code === 0, checks }, () => formatChecks(checks));
  return code;
}

/** An install's text report: each step's result, the plan's notes, and what to run when one failed. */
export function installReport(
  heading: string,
  notes: string[],
  results: StepResult[],
  ok: boolean,
  doctorArgs: string,
): string {
  return [
    heading,
    formatResults(results),
    ...notes.map((note) => `Note: ${note}`),
    ok ? "Done." : `Some steps failed; see above, then check with: scriptwright panel doctor ${doctorArgs}`,
  ].join("\n");
}
