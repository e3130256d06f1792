// How a command ends: the exit code for a run's outcome, and the one mapping from an error
// to a line on stderr and an exit code (the commands throw; only this decides).
import { CommanderError } from "commander";
import { DocsError, type DocsErrorCode } from "../../adapters/shared/docs-errors.js";
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import { EXIT } from "../exit-codes.js";
import { MacroError } from "../macros/errors.js";
import type { Outcome } from "../runs/outcome.js";

export { EXIT };

/** `exec` exit codes: 0 ok, 1 the script failed or was refused, 3 no host to run it, 4 timed out. */
export function exitCodeFor(outcome: Outcome): number {
  switch (outcome) {
    case "ok":
      return EXIT.ok;
    case "error":
    case "rejected":
      return EXIT.scriptError;
    case "not-dispatched":
    case "host-lost":
      return EXIT.noBridge;
    case "timeout":
      return EXIT.timeout;
  }
}

/** A failure the CLI reports as one line and an exit code, without a stack trace. */
export class CliError extends ScriptwrightError {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super("cli", message);
  }
}

/** Macro failures of the values or the stored file, not of the command line. */
const MACRO_SCRIPT_ERRORS = new Set(["bad-params", "invalid-macro"]);
/** Docs failures of what was asked for; the rest (nothing built, nothing there) are not usage. */
const DOCS_USAGE_ERRORS = new Set<DocsErrorCode>([
  "bad-query",
  "bad-path",
  "unknown-app",
  "unknown-language",
  "bad-source",
]);
/** The other families, by code; a code not listed exits 1. */
const EXIT_BY_CODE: Readonly<Record<string, number>> = {
  "no-bridge": EXIT.noBridge,
  "port-in-use": EXIT.noBridge,
  "bad-headless": EXIT.usage,
  "unsafe-data-dir": EXIT.usage,
  /** A session id that names no transcript. */
  "not-found": EXIT.usage,
};

/** The exit code for an error a command ended with. */
export function exitCodeForError(error: ScriptwrightError): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof MacroError) return MACRO_SCRIPT_ERRORS.has(error.code) ? EXIT.scriptError : EXIT.usage;
  if (error instanceof DocsError) return DOCS_USAGE_ERRORS.has(error.code) ? EXIT.usage : EXIT.scriptError;
  return EXIT_BY_CODE[error.code] ?? EXIT.scriptError;
}

/** Says on stderr why a command failed (one line; a stack only for a bug) and returns its exit code. */
export async function reportError(error: unknown): Promise<number> {
  // Commander has printed its own message (or the help, or the version).
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (!(error instanceof ScriptwrightError)) {
    console.error(`scriptwright: ${(error as Error)?.stack ?? String(error)}`);
    return EXIT.scriptError;
  }
  // Loaded only on this path: the client pulls in zod, which a command that ends well may never need.
  const { BridgeHttpError } = await import("../client/bridge-client.js");
  if (error instanceof BridgeHttpError) {
    console.error(
      `scriptwright: the bridge refused the request (${error.status} ${error.code}): ${error.message}`,
    );
    return error.status === 400 || error.status === 415 ? EXIT.usage : EXIT.noBridge;
  }
  console.error(`scriptwright: ${error.message}`);
  return exitCodeForError(error);
}
