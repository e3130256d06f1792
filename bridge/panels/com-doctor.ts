// `scriptwright panel doctor APP` for a COM runner app: each thing the runner needs, checked in
// order, with what to change when it is missing. What is the app's own (its COM class, its VBA
// trust setting) comes from its panel spec.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { VbaTrustSpec } from "../../adapters/panel-spec.js";
import { comReachableScript, findPython, PYWIN32_IMPORT, pythonSays } from "./com-python.js";
import {
  comRunnerDir,
  comRunnerEntry,
  PYTHON_CANDIDATES,
  PYTHON_FIX,
  type PythonCommand,
  pythonDisplay,
  pywin32InstallCommand,
  RUNNER_ENTRY,
  runnerFiles,
  startCommand,
} from "./com-targets.js";
import {
  bridgeCheck,
  type DoctorCheck,
  type HealthProbe,
  type HostsProbe,
  hostCheck,
  installFix,
} from "./doctor.js";
import type { PanelTarget } from "./panel-apps.js";
import type { CommandRunner } from "./runner.js";
import { type HostOs, OS_LABEL, type UserFolders } from "./targets.js";

export interface ComDoctorContext {
  target: PanelTarget<"com-runner">;
  /** The OS to check for (Windows: the only one these apps run on). */
  os: HostOs;
  /** The OS this runs on: Python, files and registry are only checked on Windows itself. */
  current: HostOs;
  folders: UserFolders;
  /** The runner as shipped in the package, to compare the installed copy with. */
  source: string;
  dataDir: string;
  runner: CommandRunner;
  health?: HealthProbe;
  hosts?: HostsProbe;
}

const WINDOWS_CHECKS: { id: string; title: string; vbaTrustOnly?: boolean }[] = [
  { id: "python", title: "Python 3" },
  { id: "pywin32", title: "pywin32" },
  { id: "runner-files", title: "runner files" },
  { id: "vba-trust", title: "trust access to the VBA project", vbaTrustOnly: true },
  { id: "app-running", title: "app reachable through COM" },
];

export async function runComDoctor(ctx: ComDoctorContext): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let python: PythonCommand | null = null;
  const { app, label, spec } = ctx.target;
  const windowsChecks = WINDOWS_CHECKS.filter((c) => spec.vbaTrust || !c.vbaTrustOnly);
  if (ctx.os !== "win" || ctx.current !== "win") {
    const detail = `cannot check on ${OS_LABEL[ctx.current]}: ${label} and its runner run on Windows`;
    for (const { id, title } of windowsChecks) checks.push({ id, title, status: "skip", detail });
  } else {
    const found = await pythonCheck(ctx);
    checks.push(found.check);
    python = found.python;
    const pywin32 = await pywin32Check(ctx, python);
    checks.push(pywin32);
    checks.push(runnerFilesCheck(ctx));
    if (spec.vbaTrust) checks.push(await vbaTrustCheck(ctx, spec.vbaTrust));
    checks.push(await appCheck(ctx, pywin32.status === "ok" ? python : null));
  }
  const bridge = await bridgeCheck(ctx);
  checks.push(bridge);
  const start = startCommand(python ?? PYTHON_CANDIDATES[0]!, comRunnerEntry(ctx.folders), app);
  checks.push(
    await hostCheck(ctx, {
      app,
      label,
      title: "runner connected",
      bridgeOk: bridge.status === "ok",
      fix: `start the runner: ${start}`,
    }),
  );
  return checks;
}

async function pythonCheck(
  ctx: ComDoctorContext,
): Promise<{ check: DoctorCheck; python: PythonCommand | null }> {
  const search = await findPython(ctx.runner);
  if (!search.found) {
    return {
      python: null,
      check: {
        id: "python",
        title: "Python 3",
        status: "fail",
        detail: `No Python 3.8 or later to run the runner with (${search.tried.join("; ")}).`,
        fix: PYTHON_FIX,
      },
    };
  }
  const { command, version, executable } = search.found;
  return {
    python: command,
    check: {
      id: "python",
      title: "Python 3",
      status: "ok",
      detail: `Python ${version} (${executable}) via ${pythonDisplay(command)}.`,
    },
  };
}

async function pywin32Check(ctx: ComDoctorContext, python: PythonCommand | null): Promise<DoctorCheck> {
  if (!python) return { id: "pywin32", title: "pywin32", status: "skip", detail: "needs Python (see above)" };
  const check = await pythonSays(ctx.runner, python, PYWIN32_IMPORT);
  return check.ok
    ? {
        id: "pywin32",
        title: "pywin32",
        status: "ok",
        detail: `win32com.client imports in ${pythonDisplay(python)}.`,
      }
    : {
        id: "pywin32",
        title: "pywin32",
        status: "fail",
        detail: `The runner talks to ${ctx.target.label} through pywin32, which ${pythonDisplay(python)} cannot import (${check.detail}).`,
        fix: `run: ${pywin32InstallCommand(python)}`,
      };
}

function runnerFilesCheck(ctx: ComDoctorContext): DoctorCheck {
  const target = comRunnerDir(ctx.folders);
  const title = "runner files";
  const fix = installFix(ctx.target.app);
  if (!existsSync(join(target, ...RUNNER_ENTRY.split("/")))) {
    return {
      id: "runner-files",
      title,
      status: "fail",
      detail: `The runner is not installed in ${target}.`,
      fix,
    };
  }
  const files = runnerFiles(ctx.source);
  const stale = files.filter((file) => {
    const installed = join(target, ...file.split("/"));
    return (
      !existsSync(installed) ||
      !readFileSync(installed).equals(readFileSync(join(ctx.source, ...file.split("/"))))
    );
  });
  return stale.length
    ? {
        id: "runner-files",
        title,
        status: "fail",
        detail: `${stale.length} of ${files.length} files in ${target} are missing or differ from this Scriptwright (${stale.slice(0, 3).join(", ")}${stale.length > 3 ? ", …" : ""}).`,
        fix: `reinstall: ${fix}`,
      }
    : {
        id: "runner-files",
        title,
        status: "ok",
        detail: `Installed in ${target} (${files.length} files, the same as this Scriptwright's).`,
      };
}

/** `AccessVBOM    REG_DWORD    0x1` in `reg query` output. */
function regDword(stdout: string): number | undefined {
  const match = /AccessVBOM\s+REG_DWORD\s+0x([0-9a-f]+)/i.exec(stdout);
  return match ? Number.parseInt(match[1]!, 16) : undefined;
}

async function vbaTrustCheck(ctx: ComDoctorContext, trust: VbaTrustSpec): Promise<DoctorCheck> {
  const { app, label } = ctx.target;
  const title = "trust access to the VBA project";
  const on: string[] = [];
  for (const version of trust.officeVersions) {
    const policyKey = trust.policyKey(version);
    const policy = await ctx.runner("reg", ["query", policyKey, "/v", "AccessVBOM"]);
    if (policy.code === 0 && regDword(policy.stdout) === 0) {
      return {
        id: "vba-trust",
        title,
        status: "fail",
        detail: `A group policy turns it off for Office ${version} (${policyKey}\\AccessVBOM = 0), so ${trust.underPolicy}.`,
        fix: `ask whoever manages this machine's Office policies; the setting cannot be changed in ${label} while the policy is set`,
      };
    }
    const user = await ctx.runner("reg", ["query", trust.userKey(version), "/v", "AccessVBOM"]);
    if (user.code === 0 && regDword(user.stdout) === 1) on.push(version);
  }
  if (on.length) {
    return {
      id: "vba-trust",
      title,
      status: "ok",
      detail: `On (AccessVBOM = 1 for Office ${on.join(", ")}): the runner may import scripts as modules.`,
    };
  }
  return {
    id: "vba-trust",
    title,
    status: "fail",
    detail: `Off: AccessVBOM is not 1 for Office ${trust.officeVersions.join(", ")}, so ${trust.withoutIt}.`,
    fix: `in ${label}: ${trust.setting}, then restart ${label} — or close ${label} and run: scriptwright panel install ${app} --trust-vba-access`,
  };
}

async function appCheck(ctx: ComDoctorContext, python: PythonCommand | null): Promise<DoctorCheck> {
  const { label, spec } = ctx.target;
  const title = `${label} reachable through COM`;
  if (!python)
    return { id: "app-running", title, status: "skip", detail: "needs Python and pywin32 (see above)" };
  const check = await pythonSays(ctx.runner, python, comReachableScript(spec.progId));
  return check.ok
    ? { id: "app-running", title, status: "ok", detail: `${label} is running and answers through COM.` }
    : {
        id: "app-running",
        title,
        status: "fail",
        detail: `${label} does not answer through COM (${check.detail}): it is not running, or it runs as administrator while this check does not (or the reverse).`,
        fix: `${spec.startHint}, or start the runner with --start to launch it`,
      };
}
