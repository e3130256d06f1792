// Where the CEP panel goes and which CEP versions it touches, per OS. Paths use the target OS's
// own path rules, so a plan for Windows reads right when computed on macOS or Linux.
import { homedir } from "node:os";
import * as nativePath from "node:path";
import { posix, win32 } from "node:path";
import { packagePath } from "../../adapters/shared/package-path.js";

/** The OSes Adobe apps run on. */
export const TARGET_OSES = ["mac", "win"] as const;
export type TargetOs = (typeof TARGET_OSES)[number];
/** What this machine is: an Adobe OS or something else (Linux here). */
export type HostOs = TargetOs | "linux" | "other";

export const OS_LABEL: Record<HostOs, string> = {
  mac: "macOS",
  win: "Windows",
  linux: "Linux",
  other: "this OS",
};

export const BUNDLE_ID = "dev.scriptwright.panel";
export const PANEL_FOLDER = "scriptwright";
/** PlayerDebugMode is per CEP major; 9–12 covers every app from 2019 on. */
export const CSXS_VERSIONS = [9, 10, 11, 12] as const;
/** The runtime the manifest requires: the only one whose debug flag matters for loading. */
export const REQUIRED_CSXS = 12;

export function hostOs(platform: NodeJS.Platform = process.platform): HostOs {
  if (platform === "darwin") return "mac";
  if (platform === "win32") return "win";
  if (platform === "linux") return "linux";
  return "other";
}

export function isTargetOs(os: string): os is TargetOs {
  return (TARGET_OSES as readonly string[]).includes(os);
}

/** The folders a plan is computed from; placeholders (`~`, `%APPDATA%`) when planning for another OS. */
export interface UserFolders {
  home: string;
  /** Windows %APPDATA% (Roaming). */
  appData?: string;
  /** Windows %LOCALAPPDATA% (where per-user programs such as the COM runner go). */
  localAppData?: string;
  /** Join with this machine's path rules (an install simulator on another OS); default: the target's. */
  native?: boolean;
}

export function pathFor(os: TargetOs, folders: UserFolders): typeof posix {
  if (folders.native) return nativePath;
  return os === "win" ? win32 : posix;
}

export function userFolders(os: TargetOs, current: HostOs = hostOs()): UserFolders {
  if (os !== current) {
    return os === "win"
      ? { home: "%USERPROFILE%", appData: "%APPDATA%", localAppData: "%LOCALAPPDATA%" }
      : { home: "~" };
  }
  const home = homedir();
  return os === "win"
    ? {
        home,
        appData: process.env.APPDATA || win32.join(home, "AppData", "Roaming"),
        localAppData: process.env.LOCALAPPDATA || win32.join(home, "AppData", "Local"),
      }
    : { home };
}

export function extensionsDir(os: TargetOs, folders: UserFolders): string {
  const path = pathFor(os, folders);
  if (os === "win") return path.join(folders.appData ?? "%APPDATA%", "Adobe", "CEP", "extensions");
  return path.join(folders.home, "Library", "Application Support", "Adobe", "CEP", "extensions");
}

export function panelTargetDir(os: TargetOs, folders: UserFolders): string {
  return pathFor(os, folders).join(extensionsDir(os, folders), PANEL_FOLDER);
}

/** The panel as shipped in the package (panels/cep). */
export function panelSourceDir(): string {
  return packagePath("panels", "cep");
}
