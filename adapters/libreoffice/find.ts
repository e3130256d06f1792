// Finding LibreOffice's soffice and a Python that can `import uno` to run the runner with.
// Debian splits the two (libreoffice-calc-nogui + python3-uno for /usr/bin/python3); the
// Windows and macOS installers bundle their own Python next to soffice.
import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { findAppExecutable, findOnPath, isExecutableFile } from "../find-executable.js";

/** `$SCRIPTWRIGHT_SOFFICE`, else `soffice` on PATH, else the platform's usual install location. */
export function findSoffice(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string | null {
  return findAppExecutable({
    override: env.SCRIPTWRIGHT_SOFFICE,
    name: "soffice",
    env,
    platform,
    installed: () =>
      platform === "darwin"
        ? ["/Applications/LibreOffice.app/Contents/MacOS/soffice"]
        : platform === "win32"
          ? [env.ProgramFiles, env["ProgramFiles(x86)"]]
              .filter((dir): dir is string => Boolean(dir))
              .map((dir) => join(dir, "LibreOffice", "program", "soffice.exe"))
          : [],
  });
}

const unoChecks = new Map<string, boolean>();

/** True when `python -c "import uno"` succeeds (cached: it costs a process start). */
export function hasUno(python: string): boolean {
  let known = unoChecks.get(python);
  if (known === undefined) {
    const result = spawnSync(python, ["-c", "import uno"], { stdio: "ignore", timeout: 15_000 });
    known = result.status === 0;
    unoChecks.set(python, known);
  }
  return known;
}

/** Pythons bundled with LibreOffice: program/python(.exe) on Windows, Resources/python on macOS. */
function bundledPythons(soffice: string): string[] {
  let dir: string;
  try {
    dir = dirname(realpathSync(soffice));
  } catch {
    return [];
  }
  return [join(dir, "python.exe"), join(dir, "python"), join(dir, "..", "Resources", "python")];
}

/**
 * `$SCRIPTWRIGHT_LIBREOFFICE_PYTHON` when set (taken as is), else LibreOffice's bundled Python,
 * else /usr/bin/python3 or python3 on PATH when it can import uno. Null when none can.
 */
export function findUnoPython(
  soffice: string,
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string | null {
  const override = env.SCRIPTWRIGHT_LIBREOFFICE_PYTHON;
  if (override) return isExecutableFile(override) ? resolve(override) : null;
  const bundled = bundledPythons(soffice).find((candidate) => isExecutableFile(candidate));
  if (bundled) return bundled;
  if (platform === "win32") return null;
  const system = ["/usr/bin/python3", findOnPath("python3", env)].filter(
    (candidate): candidate is string => candidate !== null && isExecutableFile(candidate),
  );
  return system.find((candidate) => hasUno(candidate)) ?? null;
}
