// `scriptwright panel doctor`: plain-words checks of a CEP panel install, each with a fix.
import { existsSync } from "node:fs";
import { NoBridgeError, readBridgeFile } from "../discovery.js";
import { findDebugFiles } from "./files.js";
import { debugModeCommand, displayCommand } from "./install-plan.js";
import { manifestPath, readManifest } from "./manifest.js";
import type { CommandRunner } from "./runner.js";
import {
  AE_SCRIPTING_PREF,
  APP_LABEL,
  BUNDLE_ID,
  CSXS_VERSIONS,
  type HostOs,
  OS_LABEL,
  type PanelApp,
  panelTargetDir,
  REQUIRED_CSXS,
  type TargetOs,
  type UserFolders,
  UXP_PREMIERE_NOTE,
} from "./targets.js";

export type CheckStatus = "ok" | "fail" | "skip" | "info";

export interface DoctorCheck {
  id:
    | "panel-folder"
    | "no-debug-file"
    | "debug-mode"
    | "bridge"
    | "scripting-pref"
    | "premiere-uxp"
    // The Windows COM runner (bridge/panels/com-doctor.ts):
    | "python"
    | "pywin32"
    | "runner-files"
    | "vba-trust"
    | "app-running"
    | "host-connected";
  title: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export type HealthProbe = (url: string) => Promise<{ ok: boolean; detail: string }>;

export interface DoctorContext {
  app: PanelApp;
  /** The OS to check for. */
  os: HostOs;
  /** The OS this runs on: registry/defaults and folders are only checked when they match. */
  current: HostOs;
  folders: UserFolders;
  dataDir: string;
  runner: CommandRunner;
  health?: HealthProbe;
}

export const fetchHealth: HealthProbe = async (url) => {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return { ok: false, detail: `HTTP ${res.status}` };
    const body = (await res.json().catch(() => undefined)) as { ok?: boolean; version?: string } | undefined;
    return body?.ok === true
      ? { ok: true, detail: `version ${body.version ?? "?"}` }
      : { ok: false, detail: "not a Scriptwright bridge" };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, detail: cause?.code ?? cause?.message ?? (error as Error).message };
  }
};

function installFix(app: PanelApp): string {
  return `run: scriptwright panel install ${app}`;
}

function folderChecks(ctx: DoctorContext, os: TargetOs): DoctorCheck[] {
  const target = panelTargetDir(os, ctx.folders);
  const title = "panel folder";
  if (!existsSync(target)) {
    return [
      {
        id: "panel-folder",
        title,
        status: "fail",
        detail: `The panel is not installed: ${target} does not exist.`,
        fix: installFix(ctx.app),
      },
    ];
  }
  const checks: DoctorCheck[] = [];
  try {
    const manifest = readManifest(target);
    if (manifest.bundleId !== BUNDLE_ID)
      throw new Error(`its bundle id is ${manifest.bundleId ?? "missing"}`);
    const code = ctx.app === "aftereffects" ? "AEFT" : "PPRO";
    const host = manifest.hosts.find((h) => h.name === code);
    if (!host) throw new Error(`it does not list ${code} (${APP_LABEL[ctx.app]})`);
    checks.push({
      id: "panel-folder",
      title,
      status: "ok",
      detail: `Installed in ${target} (${code} ${host.version}, version ${manifest.bundleVersion ?? "?"}).`,
    });
  } catch (error) {
    checks.push({
      id: "panel-folder",
      title,
      status: "fail",
      detail: `${manifestPath(target)} cannot be used: ${(error as Error).message}.`,
      fix: `reinstall: ${installFix(ctx.app)}`,
    });
  }
  const debugFiles = findDebugFiles(target);
  checks.push(
    debugFiles.length
      ? {
          id: "no-debug-file",
          title: "no .debug file",
          status: "fail",
          detail: `${debugFiles.join(", ")} opens a Chromium remote-debug port on this machine.`,
          fix: "delete it (the panel does not need it)",
        }
      : {
          id: "no-debug-file",
          title: "no .debug file",
          status: "ok",
          detail: "No remote-debug port is opened.",
        },
  );
  return checks;
}

function readsAsOne(os: TargetOs, stdout: string): boolean {
  if (os === "mac") return stdout.trim() === "1";
  return /PlayerDebugMode\s+REG_\w+\s+(0x)?1\s*$/m.test(stdout);
}

async function debugModeCheck(ctx: DoctorContext, os: TargetOs): Promise<DoctorCheck> {
  const set: number[] = [];
  for (const csxs of CSXS_VERSIONS) {
    const { file, args } =
      os === "win"
        ? { file: "reg", args: ["query", `HKCU\\Software\\Adobe\\CSXS.${csxs}`, "/v", "PlayerDebugMode"] }
        : { file: "defaults", args: ["read", `com.adobe.CSXS.${csxs}`, "PlayerDebugMode"] };
    const result = await ctx.runner(file, args);
    if (result.code === 0 && readsAsOne(os, result.stdout)) set.push(csxs);
  }
  const list = set.length ? set.map((n) => `CSXS.${n}`).join(", ") : "none";
  if (set.includes(REQUIRED_CSXS)) {
    return {
      id: "debug-mode",
      title: "PlayerDebugMode",
      status: "ok",
      detail: `Unsigned panels are allowed (PlayerDebugMode=1 for ${list}).`,
    };
  }
  const { file, args } = debugModeCommand(os, REQUIRED_CSXS);
  return {
    id: "debug-mode",
    title: "PlayerDebugMode",
    status: "fail",
    detail: `CEP ${REQUIRED_CSXS} does not allow unsigned panels (PlayerDebugMode=1 set for: ${list}), so ${APP_LABEL[ctx.app]} hides the panel.`,
    fix: `${installFix(ctx.app)} — or: ${displayCommand(file, args)}${os === "mac" ? " && killall cfprefsd" : ""}, then restart the app`,
  };
}

export async function bridgeCheck(ctx: Pick<DoctorContext, "dataDir" | "health">): Promise<DoctorCheck> {
  const title = "bridge reachable";
  let url: string;
  try {
    url = readBridgeFile(ctx.dataDir).url;
  } catch (error) {
    return {
      id: "bridge",
      title,
      status: "fail",
      detail: error instanceof NoBridgeError ? error.message : String(error),
      fix: "start the bridge: scriptwright serve",
    };
  }
  const probe = await (ctx.health ?? fetchHealth)(url);
  return probe.ok
    ? { id: "bridge", title, status: "ok", detail: `The bridge answers at ${url} (${probe.detail}).` }
    : {
        id: "bridge",
        title,
        status: "fail",
        detail: `bridge not reachable at ${url} (${probe.detail}); bridge.json may be left from a bridge that stopped.`,
        fix: "start the bridge: scriptwright serve",
      };
}

export async function runDoctor(ctx: DoctorContext): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const os = ctx.os;
  if (os !== "mac" && os !== "win") {
    checks.push({
      id: "panel-folder",
      title: "panel folder",
      status: "fail",
      detail: `Adobe apps do not run on ${OS_LABEL[os]}: there is no CEP extensions folder to check.`,
      fix: "run the doctor on the Mac or Windows machine where the app is installed",
    });
    checks.push({
      id: "debug-mode",
      title: "PlayerDebugMode",
      status: "skip",
      detail: "cannot check on this OS",
    });
  } else if (os !== ctx.current) {
    const why = `cannot check a ${OS_LABEL[os]} install from ${OS_LABEL[ctx.current]}`;
    checks.push({ id: "panel-folder", title: "panel folder", status: "skip", detail: why });
    checks.push({ id: "debug-mode", title: "PlayerDebugMode", status: "skip", detail: why });
  } else {
    checks.push(...folderChecks(ctx, os));
    checks.push(await debugModeCheck(ctx, os));
  }
  checks.push(await bridgeCheck(ctx));
  if (ctx.app === "aftereffects") {
    checks.push({
      id: "scripting-pref",
      title: "scripting preference",
      status: "info",
      detail: AE_SCRIPTING_PREF,
    });
  } else {
    checks.push({ id: "premiere-uxp", title: "Premiere 25.6+", status: "info", detail: UXP_PREMIERE_NOTE });
  }
  return checks;
}

/** 0 when every check passed (info items aside), 1 otherwise (a skipped check did not pass). */
export function doctorExitCode(checks: DoctorCheck[]): number {
  return checks.every((c) => c.status === "ok" || c.status === "info") ? 0 : 1;
}

export function formatChecks(checks: DoctorCheck[]): string {
  const mark = { ok: "ok  ", fail: "FAIL", skip: "skip", info: "info" } as const;
  return checks
    .map((c) =>
      [`[${mark[c.status]}] ${c.title}: ${c.detail}`, ...(c.fix ? [`       fix: ${c.fix}`] : [])].join("\n"),
    )
    .join("\n");
}
