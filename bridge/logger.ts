// Structured JSON logs in <data-dir>/logs/bridge.log (see log-file.ts: 0600, rotated by size).
// The token must never reach a log: nothing logs headers or raw frames, and the redaction
// below is a second line of defence.
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { ensurePrivateDir } from "./data-dir.js";
import { rotatingLogFile } from "./log-file.js";
import { redact } from "./security/redact.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  level?: string;
  /** Size at which bridge.log is rotated (default 10 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides bridge.log (default 3). */
  keep?: number;
}

export function createLogger(dataDir: string, options: LoggerOptions = {}): Logger {
  const dir = ensurePrivateDir(join(dataDir, "logs"));
  const destination = rotatingLogFile(join(dir, "bridge.log"), options);
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

/** A logger that drops everything, for embedding the bridge in tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
