// Files in the data dir that hold secrets (config.json, pairings.json) are written to a private
// temp file (exactly 0600, whatever the umask) that is then renamed over the old one, so no
// reader ever sees half a file or a wider mode.
import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";

/** Throws the file system's error (the temp file removed); callers say which file in their own words. */
export function writePrivateFile(path: string, text: string): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const fd = openSync(temp, "wx", 0o600);
    try {
      // The umask can only narrow the mode; this makes it exactly 0600 whatever it is.
      if (process.platform !== "win32") fchmodSync(fd, 0o600);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
