// Structured JSON logs in <data-dir>/logs/bridge.log, 0600 like every file of the data dir,
// rotated by size: past the limit the file becomes bridge.log.1 (the older ones shift to .2,
// …, and the oldest past `keep` is removed). The token must never reach a log: nothing logs
// headers or raw frames, and the redaction below is a second line of defence.
import { chmodSync, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { ensurePrivateDir } from "./data-dir.js";
import { redact } from "./security/redact.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  level?: string;
  /** Size at which bridge.log is rotated (default 10 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides bridge.log (default 3). */
  keep?: number;
}

export const LOG_MAX_BYTES = 10 * 1024 * 1024;
export const LOG_KEEP = 3;

export function createLogger(dataDir: string, options: LoggerOptions = {}): Logger {
  const dir = ensurePrivateDir(join(dataDir, "logs"));
  const destination = rotatingDestination(
    join(dir, "bridge.log"),
    options.maxBytes ?? LOG_MAX_BYTES,
    options.keep ?? LOG_KEEP,
  );
  return pino(
    {
      level: options.level ?? process.env.SCRIPTWRIGHT_LOG_LEVEL ?? "info",
      base: { pid: process.pid },
      redact: {
        paths: ["token", "*.token", "authorization", "*.authorization", "headers.authorization"],
        censor: "[redacted]",
      },
      // Any secret quoted inside a logged value (an error a script raised, a document name).
      hooks: { streamWrite: redact },
    },
    destination,
  );
}

/**
 * pino's synchronous file destination (so nothing is lost on exit), moved aside once it
 * passes maxBytes: SonicBoom's reopen, meant for log rotation, then starts a fresh file.
 */
function rotatingDestination(file: string, maxBytes: number, keep: number) {
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

/** A logger that drops everything, for embedding the bridge in tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
