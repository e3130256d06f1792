// The app an add-on is installed into, asked through its own command line: where it is, which
// version it is, and what it says of its installed copies of the add-on. The spec (the app's
// adapter) writes the commands and reads their output; this runs them and judges the answer.
import type { AddonStatus } from "../../adapters/panel-spec.js";
import type { DoctorCheck } from "./doctor.js";
import { installFix } from "./doctor.js";
import type { PanelTarget } from "./panel-apps.js";
import { type CommandRunner, firstLine, lastLine } from "./runner.js";

/** The app starts for each command: seconds when idle, far longer on a busy machine. */
export const APP_COMMAND_TIMEOUT_MS = 300_000;

export interface FoundApp {
  executable: string;
  version: string;
}

export type AppSearch = { found: FoundApp } | { found: null; detail: string };

export async function findApp(target: PanelTarget<"addon">, runner: CommandRunner): Promise<AppSearch> {
  const { label, spec } = target;
  const executable = spec.find();
  if (!executable) return { found: null, detail: `No ${label} was found.` };
  const result = await runner(executable, spec.versionArgs, { timeoutMs: APP_COMMAND_TIMEOUT_MS });
  const version = result.code === 0 ? spec.parseVersion(`${result.stdout}\n${result.stderr}`) : null;
  if (!version) {
    const said = result.code === 0 ? "" : ` (exit ${result.code}: ${firstLine(result)})`;
    return { found: null, detail: `${executable} did not say which ${label} it is${said}.` };
  }
  return { found: { executable, version } };
}

export type StatusAnswer = { status: AddonStatus } | { status: null; detail: string };

/** What the app says of the add-on, read from the output of the spec's status command. */
export async function askStatus(
  target: PanelTarget<"addon">,
  executable: string,
  runner: CommandRunner,
): Promise<StatusAnswer> {
  const { label, spec } = target;
  const result = await runner(executable, spec.statusArgs, { timeoutMs: APP_COMMAND_TIMEOUT_MS });
  const status = result.code === 0 ? spec.parseStatus(result.stdout) : null;
  if (status) return { status };
  return {
    status: null,
    detail: `${label} could not say whether the add-on is installed (${lastLine(result)})`,
  };
}

/** The installed and enabled checks for the app's answer (shared by the doctor and the install). */
export function statusChecks(target: PanelTarget<"addon">, answer: StatusAnswer): DoctorCheck[] {
  const { app, label, spec } = target;
  const installed = "add-on installed";
  const enabled = "add-on enabled";
  if (!answer.status) {
    return [
      { id: "addon-installed", title: installed, status: "fail", detail: `${answer.detail}.` },
      { id: "addon-enabled", title: enabled, status: "skip", detail: "needs the answer above" },
    ];
  }
  const { status } = answer;
  // The copy the app loads, when one is enabled; else the first it lists.
  const copy = status.installed.find((c) => status.enabled.includes(c.module)) ?? status.installed[0];
  if (!copy) {
    return [
      {
        id: "addon-installed",
        title: installed,
        status: "fail",
        detail: `${label} lists no Scriptwright add-on among its installed ones.`,
        fix: installFix(app),
      },
      {
        id: "addon-enabled",
        title: enabled,
        status: "skip",
        detail: "needs the add-on installed (see above)",
      },
    ];
  }
  const shipped = spec.addonVersion();
  const installedCheck: DoctorCheck =
    copy.version === shipped
      ? {
          id: "addon-installed",
          title: installed,
          status: "ok",
          detail: `Installed in ${copy.path} (version ${shipped}, the same as this Scriptwright's).`,
        }
      : {
          id: "addon-installed",
          title: installed,
          status: "fail",
          detail: `${copy.path} holds version ${copy.version ?? "?"}; this Scriptwright ships ${shipped}.`,
          fix: `reinstall: ${installFix(app)}`,
        };
  const enabledCheck: DoctorCheck = status.enabled.includes(copy.module)
    ? {
        id: "addon-enabled",
        title: enabled,
        status: "ok",
        detail: `Enabled (${copy.module}): ${label} loads it when it starts.`,
      }
    : {
        id: "addon-enabled",
        title: enabled,
        status: "fail",
        detail: `Installed but not enabled: ${label} does not load it.`,
        fix: `${spec.enableHint} — or ${installFix(app)}`,
      };
  return [installedCheck, enabledCheck];
}
