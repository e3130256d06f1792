// Log files of the data dir (the bridge's, each managed host's): 0600, appended synchronously
// (nothing lost on exit), rotated by size: past the limit the file becomes <file>.1 (the older
// ones shift to .2, …, and the oldest past `keep` is removed).
import { chmodSync, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { pino } from "pino";

export const LOG_MAX_BYTES = 10 * 1024 * 1024;
export const LOG_KEEP = 3;

export type LogFile = ReturnType<typeof rotatingLogFile>;

/**
 * pino's synchronous file destination (so nothing is lost on exit), moved aside once it
 * passes maxBytes: SonicBoom's reopen, meant for log rotation, then starts a fresh file.
 */
export function rotatingLogFile(file: string, options: { maxBytes?: number; keep?: number } = {}) {
  const maxBytes = options.maxBytes ?? LOG_MAX_BYTES;
  const keep = options.keep ?? LOG_KEEP;
  const destination = pino.destination({ dest: file, sync: true, mode: 0o600 });
  chmodSync(file, 0o600); // `mode` applies only when the file is created
  let size = statSync(file).size;
  destination.on("write", (bytes: number) => {
    size += bytes;
    if (size < maxBytes) return;
    shiftLogs(file, keep);
    destination.reopen();
    size = 0;
  });
  return destination;
}

/** bridge.log → bridge.log.1 → … → bridge.log.<keep>; the one past that is removed. */
function shiftLogs(file: string, keep: number): void {
  rmSync(`${file}.${keep}`, { force: true });
  for (let n = keep - 1; n >= 1; n--) {
    if (existsSync(`${file}.${n}`)) renameSync(`${file}.${n}`, `${file}.${n + 1}`);
  }
  if (keep >= 1) renameSync(file, `${file}.1`);
  else rmSync(file, { force: true });
}
