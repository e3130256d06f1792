import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** `--data-dir`, else `$SCRIPTWRIGHT_HOME`, else `~/.scriptwright`. */
export function resolveDataDir(explicit?: string): string {
  if (explicit) return resolve(explicit);
  const fromEnv = process.env.SCRIPTWRIGHT_HOME;
  if (fromEnv) return resolve(fromEnv);
  return join(homedir(), ".scriptwright");
}

/** Creates the directory readable by its owner only: it holds the token. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
