// `scriptwright panel doctor` for a CEP app: plain-words checks of the panel's install, each
// with a fix, then the app's own notes from its panel spec.
import { existsSync } from "node:fs";
import { bridgeCheck, type DoctorCheck, type HealthProbe, installFix } from "./doctor.js";
import { findDebugFiles } from "./files.js";
import { debugModeCommand, displayCommand } from "./install-plan.js";
import { manifestPath, readManifest } from "./manifest.js";
import { type PanelTarget, panelArgs } from "./panel-apps.js";
import type { CommandRunner } from "./runner.js";
import {
  BUNDLE_ID,
  CSXS_VERSIONS,
  type HostOs,
  OS_LABEL,
  panelTargetDir,
  REQUIRED_CSXS,
  type TargetOs,
  type UserFolders,
} from "./targets.js";

export interface CepDoctorContext {
  target: PanelTarget<"cep">;
  /** The OS to check for. */
  os: HostOs;
  /** The OS this runs on: registry/defaults and folders are only checked when they match. */
  current: HostOs;
  folders: UserFolders;
  dataDir: string;
  runner: CommandRunner;
  health?: HealthProbe;
}

function folderChecks(ctx: CepDoctorContext, os: TargetOs): DoctorCheck[] {
  const { label, spec } = ctx.target;
  const target = panelTargetDir(os, ctx.folders);
  const title = "panel folder";
  if (!existsSync(target)) {
    return [
      {
        id: "panel-folder",
        title,
        status: "fail",
        detail: `The panel is not installed: ${target} does not exist.`,
        fix: installFix(panelArgs(ctx.target)),
      },
    ];
  }
  const checks: DoctorCheck[] = [];
  try {
    const manifest = readManifest(target);
    if (manifest.bundleId !== BUNDLE_ID)
      throw new Error(`its bundle id is ${manifest.bundleId ?? "missing"}`);
    const code = spec.hostCode;
    const host = manifest.hosts.find((h) => h.name === code);
    if (!host) throw new Error(`it does not list ${code} (${label})`);
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
      fix: `reinstall: ${installFix(panelArgs(ctx.target))}`,
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

async function debugModeCheck(ctx: CepDoctorContext, os: TargetOs): Promise<DoctorCheck> {
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
    detail: `CEP ${REQUIRED_CSXS} does not allow unsigned panels (PlayerDebugMode=1 set for: ${list}), so ${ctx.target.label} hides the panel.`,
    fix: `${installFix(panelArgs(ctx.target))} — or: ${displayCommand(file, args)}${os === "mac" ? " && killall cfprefsd" : ""}, then restart the app`,
  };
}

export async function runCepDoctor(ctx: CepDoctorContext): Promise<DoctorCheck[]> {
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
  for (const { id, title, detail } of ctx.target.spec.doctorNotes ?? []) {
    checks.push({ id, title, status: "info", detail });
  }
  return checks;
}
