// Whether a path names a file this process can read: checked before any host is asked to open
// it (a batch's files, a macro test's fixture), so the reason is ours and exact.
import { accessSync, constants, statSync } from "node:fs";

/** Why `file` cannot be read, or null when it can. */
export function unreadableFile(file: string): string | null {
  try {
    if (!statSync(file).isFile()) return `${file} is not a file`;
    accessSync(file, constants.R_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? `file not found: ${file}` : `cannot read ${file} (${code ?? String(error)})`;
  }
}
