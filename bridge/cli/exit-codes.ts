import type { Outcome } from "../runs/outcome.js";

export const EXIT = { ok: 0, scriptError: 1, usage: 2, noBridge: 3, timeout: 4 } as const;

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
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
