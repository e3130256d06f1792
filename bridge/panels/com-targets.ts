// The Windows COM runner: where it is installed, which files it is made of, and the commands
// that start it or turn on an Office app's trust access to VBA (the keys come from its spec).
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { packagePath } from "../../adapters/shared/package-path.js";
import { pathFor, type UserFolders } from "./targets.js";

/** The runner and the shared Python host runtime it loads by relative path: copied side by side. */
export const RUNNER_FOLDERS = ["windows-com", "python-common"] as const;
/** Present in a folder only when it holds the Scriptwright COM runner. */
export const RUNNER_ENTRY = "windows-com/scriptwright_com.py";

/** Where the runner's folders are in the package. */
export function comRunnerSource(): string {
  return packagePath("panels");
}

/** %LOCALAPPDATA%\Scriptwright\com-runner: per user, no administrator rights needed. */
export function comRunnerDir(folders: UserFolders): string {
  return pathFor("win", folders).join(folders.localAppData ?? "%LOCALAPPDATA%", "Scriptwright", "com-runner");
}

function isShipped(name: string): boolean {
  return name !== "__pycache__" && !name.endsWith(".pyc") && name !== ".DS_Store";
}

/** Relative paths (with `/`) of the runner's files under `source`, sorted. */
export function runnerFiles(source: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (!isShipped(name)) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(source, full).split(sep).join("/"));
    }
  };
  for (const folder of RUNNER_FOLDERS) walk(join(source, folder));
  return out.sort();
}

/** How to call a Python interpreter: the launcher (`py -3`) or `python` on PATH. */
export interface PythonCommand {
  file: string;
  args: string[];
}

export const PYTHON_CANDIDATES: readonly PythonCommand[] = [
  { file: "py", args: ["-3"] },
  { file: "python", args: [] },
];

export function pythonDisplay(python: PythonCommand): string {
  return [python.file, ...python.args].join(" ");
}

/** The installed runner's entry script. */
export function comRunnerEntry(folders: UserFolders): string {
  return pathFor("win", folders).join(comRunnerDir(folders), ...RUNNER_ENTRY.split("/"));
}

export function startCommand(python: PythonCommand, entry: string, app: string): string {
  return `${pythonDisplay(python)} "${entry}" ${app}`;
}

export function pywin32InstallCommand(python: PythonCommand): string {
  return `${pythonDisplay(python)} -m pip install pywin32`;
}

/** Sets AccessVBOM=1 under `key` (an Office app's Security key for one Office version). */
export function accessVbomCommand(key: string): { file: string; args: string[] } {
  return { file: "reg", args: ["add", key, "/v", "AccessVBOM", "/t", "REG_DWORD", "/d", "1", "/f"] };
}

export const PYTHON_FIX =
  "install Python 3 from https://www.python.org/downloads/windows/ (its installer adds the `py` launcher), then run this again";
