// `scriptwright panel doctor excel|solidworks`: each thing the COM runner needs, checked in
// order, with what to change when it is missing.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readBridgeFile } from "../discovery.js";
import { comReachableScript, findPython, PYWIN32_IMPORT, pythonSays } from "./com-python.js";
import {
  accessVbomKey,
  accessVbomPolicyKey,
  COM_APP_LABEL,
  COM_PROG_ID,
  type ComApp,
  comRunnerDir,
  comRunnerEntry,
  OFFICE_VERSIONS,
  PYTHON_CANDIDATES,
  PYTHON_FIX,
  type PythonCommand,
  pythonDisplay,
  pywin32InstallCommand,
  RUNNER_ENTRY,
  runnerFiles,
  startCommand,
  TRUST_SETTING,
} from "./com-targets.js";
import { bridgeCheck, type DoctorCheck, type HealthProbe } from "./doctor.js";
import type { CommandRunner } from "./runner.js";
import { type HostOs, OS_LABEL, type UserFolders } from "./targets.js";

export interface ConnectedHost {
  app: string;
  name: string;
  appVersion?: string;
}

export type HostsProbe = (
  url: string,
  token: string,
) => Promise<{ ok: true; hosts: ConnectedHost[] } | { ok: false; detail: string }>;

export const fetchHosts: HostsProbe = async (url, token) => {
  try {
    const res = await fetch(`${url}/api/hosts`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) return { ok: false, detail: `GET /api/hosts answered HTTP ${res.status}` };
    return { ok: true, hosts: (await res.json()) as ConnectedHost[] };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
};

export interface ComDoctorContext {
  app: ComApp;
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

const WINDOWS_CHECKS: { id: DoctorCheck["id"]; title: string; excelOnly?: boolean }[] = [
  { id: "python", title: "Python 3" },
  { id: "pywin32", title: "pywin32" },
  { id: "runner-files", title: "runner files" },
  { id: "vba-trust", title: "trust access to the VBA project", excelOnly: true },
  { id: "app-running", title: "app reachable through COM" },
];

export async function runComDoctor(ctx: ComDoctorContext): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let python: PythonCommand | null = null;
  const windowsChecks = WINDOWS_CHECKS.filter((c) => ctx.app === "excel" || !c.excelOnly);
  if (ctx.os !== "win" || ctx.current !== "win") {
    const detail = `cannot check on ${OS_LABEL[ctx.current]}: ${COM_APP_LABEL[ctx.app]} and its runner run on Windows`;
    for (const { id, title } of windowsChecks) checks.push({ id, title, status: "skip", detail });
  } else {
    const found = await pythonCheck(ctx);
    checks.push(found.check);
    python = found.python;
    const pywin32 = await pywin32Check(ctx, python);
    checks.push(pywin32);
    checks.push(runnerFilesCheck(ctx));
    if (ctx.app === "excel") checks.push(await vbaTrustCheck(ctx));
    checks.push(await appCheck(ctx, pywin32.status === "ok" ? python : null));
  }
  const bridge = await bridgeCheck(ctx);
  checks.push(bridge);
  checks.push(await hostCheck(ctx, bridge.status === "ok", python ?? PYTHON_CANDIDATES[0]!));
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
        detail: `The runner talks to ${COM_APP_LABEL[ctx.app]} through pywin32, which ${pythonDisplay(python)} cannot import (${check.detail}).`,
        fix: `run: ${pywin32InstallCommand(python)}`,
      };
}

function runnerFilesCheck(ctx: ComDoctorContext): DoctorCheck {
  const target = comRunnerDir(ctx.folders);
  const title = "runner files";
  const fix = `run: scriptwright panel install ${ctx.app}`;
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

async function vbaTrustCheck(ctx: ComDoctorContext): Promise<DoctorCheck> {
  const title = "trust access to the VBA project";
  const on: string[] = [];
  for (const version of OFFICE_VERSIONS) {
    const policy = await ctx.runner("reg", ["query", accessVbomPolicyKey(version), "/v", "AccessVBOM"]);
    if (policy.code === 0 && regDword(policy.stdout) === 0) {
      return {
        id: "vba-trust",
        title,
        status: "fail",
        detail: `A group policy turns it off for Office ${version} (${accessVbomPolicyKey(version)}\\AccessVBOM = 0), so Excel will not let the runner import scripts as modules.`,
        fix: "ask whoever manages this machine's Office policies; the setting cannot be changed in Excel while the policy is set",
      };
    }
    const user = await ctx.runner("reg", ["query", accessVbomKey(version), "/v", "AccessVBOM"]);
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
    detail: `Off: AccessVBOM is not 1 for Office ${OFFICE_VERSIONS.join(", ")}, so Excel refuses to let the runner import each script as a temporary module.`,
    fix: `in Excel: ${TRUST_SETTING}, then restart Excel — or close Excel and run: scriptwright panel install excel --trust-vba-access`,
  };
}

async function appCheck(ctx: ComDoctorContext, python: PythonCommand | null): Promise<DoctorCheck> {
  const label = COM_APP_LABEL[ctx.app];
  const title = `${label} reachable through COM`;
  if (!python)
    return { id: "app-running", title, status: "skip", detail: "needs Python and pywin32 (see above)" };
  const check = await pythonSays(ctx.runner, python, comReachableScript(COM_PROG_ID[ctx.app]));
  return check.ok
    ? { id: "app-running", title, status: "ok", detail: `${label} is running and answers through COM.` }
    : {
        id: "app-running",
        title,
        status: "fail",
        detail: `${label} does not answer through COM (${check.detail}): it is not running, or it runs as administrator while this check does not (or the reverse).`,
        fix: `start ${label}${ctx.app === "excel" ? " and open a workbook" : ""}, or start the runner with --start to launch it`,
      };
}

async function hostCheck(
  ctx: ComDoctorContext,
  bridgeOk: boolean,
  python: PythonCommand,
): Promise<DoctorCheck> {
  const title = "runner connected";
  if (!bridgeOk)
    return { id: "host-connected", title, status: "skip", detail: "needs a reachable bridge (see above)" };
  const { url, token } = readBridgeFile(ctx.dataDir);
  const answer = await (ctx.hosts ?? fetchHosts)(url, token);
  if (!answer.ok) {
    return {
      id: "host-connected",
      title,
      status: "fail",
      detail: `cannot list the bridge's hosts: ${answer.detail}`,
    };
  }
  const mine = answer.hosts.filter((host) => host.app === ctx.app);
  if (mine.length) {
    const names = mine.map(
      (h) => `${h.name}${h.appVersion ? ` (${COM_APP_LABEL[ctx.app]} ${h.appVersion})` : ""}`,
    );
    return { id: "host-connected", title, status: "ok", detail: `Connected: ${names.join(", ")}.` };
  }
  return {
    id: "host-connected",
    title,
    status: "fail",
    detail: `No ${ctx.app} host is connected to the bridge at ${url}.`,
    fix: `start the runner: ${startCommand(python, comRunnerEntry(ctx.folders), ctx.app)}`,
  };
}
