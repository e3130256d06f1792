import { chmodSync, mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { ScriptwrightError } from "../adapters/shared/errors.js";

/** A data dir that cannot hold the bridge's token: open to other users, and not ours to tighten. */
export class DataDirError extends ScriptwrightError {
  override name = "DataDirError";
  constructor(message: string) {
    super("unsafe-data-dir", message);
  }
}

/** `--data-dir`, else `$SCRIPTWRIGHT_HOME`, else `~/.scriptwright`. */
export function resolveDataDir(explicit?: string): string {
  if (explicit) return resolve(explicit);
  const fromEnv = process.env.SCRIPTWRIGHT_HOME;
  if (fromEnv) return resolve(fromEnv);
  return join(homedir(), ".scriptwright");
}

/**
 * Makes the directory readable by its owner only: it holds the token. mkdirSync's mode
 * applies only to directories it creates, so an existing one open to others is tightened
 * to 0700 when it is ours (and said on stderr), and refused when another user owns it.
 */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Windows has no such mode bits: its folders inherit the user profile's ACLs.
  if (process.platform === "win32") return dir;
  const stat = statSync(dir);
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) === 0) return dir;
  const octal = `0${mode.toString(8)}`;
  if (stat.uid !== process.getuid?.()) {
    throw new DataDirError(
      `${dir} is open to other users (mode ${octal}) and belongs to another user (uid ${stat.uid}), so it cannot hold the bridge's token: its owner can fix it with \`chmod 700 ${dir}\`, or use a data dir of your own (--data-dir)`,
    );
  }
  chmodSync(dir, 0o700);
  process.stderr.write(`scriptwright: ${dir} was open to other users (mode ${octal}); it is now 0700\n`);
  return dir;
}
