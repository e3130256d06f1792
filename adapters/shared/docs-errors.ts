// Every way a docs request can fail, with the HTTP status it maps to and a message that
// says what to do next (usually: which command builds the missing tree).
import { ScriptwrightError } from "./errors.js";

export type DocsErrorCode =
  | "unknown-app"
  /** The app has no reference in the language asked for. */
  | "unknown-language"
  | "no-docs"
  | "stale-docs"
  | "unknown-version"
  | "bad-path"
  | "not-found"
  | "bad-query"
  | "no-source"
  /** The files a build was pointed at (`--from`) are missing or not what the builder reads. */
  | "bad-source"
  | "sync-failed"
  /** A build from the dependency ended in an error of its own. */
  | "build-failed"
  /** A build or sync is still running after the bounded wait: ask again shortly. */
  | "building";

const STATUS: Record<DocsErrorCode, number> = {
  "unknown-app": 404,
  "unknown-language": 400,
  "no-docs": 404,
  "stale-docs": 409,
  "unknown-version": 404,
  "bad-path": 400,
  "not-found": 404,
  "bad-query": 400,
  "no-source": 400,
  "bad-source": 400,
  "sync-failed": 502,
  "build-failed": 500,
  building: 503,
};

export class DocsError extends ScriptwrightError {
  override name = "DocsError";
  declare readonly code: DocsErrorCode;

  constructor(code: DocsErrorCode, message: string) {
    super(code, message, { status: STATUS[code] });
  }
}
