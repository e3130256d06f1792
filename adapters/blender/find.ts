// Where Blender is: an explicit choice, PATH, or the platform's usual install location. Used to
// launch headless instances and to install the add-on into the user's Blender.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { findAppExecutable } from "../find-executable.js";

/** `Blender Foundation/Blender X.Y/blender.exe` under Program Files, newest first. */
function windowsInstalls(env: NodeJS.ProcessEnv): string[] {
  const root = join(env.ProgramFiles ?? "C:\\Program Files", "Blender Foundation");
  try {
    return readdirSync(root)
      .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
      .map((version) => join(root, version, "blender.exe"));
  } catch {
    return [];
  }
}

/** `$SCRIPTWRIGHT_BLENDER`, else `blender` on PATH, else the platform's usual install location. */
export function findBlender(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string | null {
  return findAppExecutable({
    override: env.SCRIPTWRIGHT_BLENDER,
    name: "blender",
    env,
    platform,
    installed: () =>
      platform === "darwin"
        ? ["/Applications/Blender.app/Contents/MacOS/Blender"]
        : platform === "win32"
          ? windowsInstalls(env)
          : [],
  });
}
