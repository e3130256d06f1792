// Structured JSON logs in <data-dir>/logs/bridge.log. The token must never reach a log:
// nothing logs headers or raw frames, and the redaction below is a second line of defence.
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { ensurePrivateDir } from "./data-dir.js";

export type { Logger } from "pino";

export function createLogger(dataDir: string, level = process.env.SCRIPTWRIGHT_LOG_LEVEL ?? "info"): Logger {
  const dir = ensurePrivateDir(join(dataDir, "logs"));
  const destination = pino.destination({ dest: join(dir, "bridge.log"), mkdir: true, sync: true });
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: ["token", "*.token", "authorization", "*.authorization", "headers.authorization"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

/** A logger that drops everything, for embedding the bridge in tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
