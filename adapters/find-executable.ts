// Finding an app's executable without a shell, the same way on every platform.
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, resolve } from "node:path";

export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `name` on PATH that is an executable file, or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = resolve(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/**
 * An app's executable: `override` when set (an explicit choice: if it is not an executable,
 * the app counts as not installed rather than silently using another one), else `name` on
 * PATH (`name.exe` on Windows), else the first executable of the platform's usual install
 * locations, listed only when needed.
 */
export function findAppExecutable(spec: {
  override: string | undefined;
  name: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  installed: () => string[];
}): string | null {
  if (spec.override) return isExecutableFile(spec.override) ? resolve(spec.override) : null;
  const onPath = findOnPath(spec.platform === "win32" ? `${spec.name}.exe` : spec.name, spec.env);
  if (onPath) return onPath;
  return spec.installed().find((candidate) => isExecutableFile(candidate)) ?? null;
}
