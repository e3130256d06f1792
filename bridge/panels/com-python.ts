// Finding the Python the COM runner will use and asking it questions (pywin32 importable, the
// app reachable through COM), through the injectable command runner.
import { PYTHON_CANDIDATES, type PythonCommand, pythonDisplay } from "./com-targets.js";
import { type CommandRunner, firstLine, lastLine } from "./runner.js";

/** pywin32 supports Python 3.8 and later. */
const MIN_MINOR = 8;
const VERSION_SCRIPT = "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)";

export interface FoundPython {
  command: PythonCommand;
  version: string;
  executable: string;
}

export type PythonSearch = { found: FoundPython; tried: string[] } | { found: null; tried: string[] };

/** The first candidate that runs Python 3.8+; `tried` says what each earlier one answered. */
export async function findPython(runner: CommandRunner): Promise<PythonSearch> {
  const tried: string[] = [];
  for (const command of PYTHON_CANDIDATES) {
    const display = pythonDisplay(command);
    const result = await runner(command.file, [...command.args, "-c", VERSION_SCRIPT]);
    if (result.code !== 0) {
      tried.push(
        result.code === -1
          ? `${display}: not found`
          : `${display}: exit ${result.code} ${firstLine(result)}`.trim(),
      );
      continue;
    }
    const [version = "", executable = ""] = result.stdout.trim().split(/\r?\n/);
    const [major, minor] = version.split(".").map(Number);
    if (major !== 3 || (minor ?? 0) < MIN_MINOR) {
      tried.push(`${display}: Python ${version || "?"} is too old (3.${MIN_MINOR} or later is needed)`);
      continue;
    }
    return { found: { command, version, executable: executable.trim() }, tried };
  }
  return { found: null, tried };
}

/** Runs `python -c code`; ok when it exits 0. */
export async function pythonSays(
  runner: CommandRunner,
  python: PythonCommand,
  code: string,
): Promise<{ ok: boolean; detail: string }> {
  const result = await runner(python.file, [...python.args, "-c", code]);
  return { ok: result.code === 0, detail: result.code === 0 ? result.stdout.trim() : lastLine(result) };
}

export const PYWIN32_IMPORT = "import win32com.client";

export function comReachableScript(progId: string): string {
  return `import win32com.client; win32com.client.GetActiveObject(${JSON.stringify(progId)})`;
}
