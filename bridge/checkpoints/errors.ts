// Why `undo` did not restore anything. Codes are stable (clients and the CLI match on them).
import { ScriptwrightError } from "../../adapters/shared/errors.js";

export type UndoErrorCode =
  /** No connected host with that id, or of that app: 404. */
  | "no-host"
  /** The host's app keeps no checkpoints: 501. */
  | "no-checkpoints"
  /** No run on the host has a checkpoint left: 409. */
  | "nothing-to-undo"
  /** The checkpoint asked for is not the newest (a later run came after it), or no longer kept: 409. */
  | "not-last"
  /** The last run timed out or lost its host: its effect is unknown; `force` restores anyway: 409. */
  | "state-unknown"
  /** The last run kept no checkpoint; `force` goes past it to the one before: 409. */
  | "no-checkpoint"
  /** The app will not restore without losing other work (its reason); `force` restores anyway: 409. */
  | "undo-refused"
  /** The app failed to restore; the checkpoint is kept for another try: 502. */
  | "restore-failed";

const STATUS: Record<UndoErrorCode, number> = {
  "no-host": 404,
  "no-checkpoints": 501,
  "nothing-to-undo": 409,
  "not-last": 409,
  "state-unknown": 409,
  "no-checkpoint": 409,
  "undo-refused": 409,
  "restore-failed": 502,
};

/** Codes a person can overrule with `--force` / `{force: true}`. */
export const FORCEABLE: ReadonlySet<UndoErrorCode> = new Set([
  "state-unknown",
  "no-checkpoint",
  "undo-refused",
]);

export class UndoError extends ScriptwrightError {
  override name = "UndoError";
  declare readonly code: UndoErrorCode;
  constructor(code: UndoErrorCode, message: string) {
    super(code, message, { status: STATUS[code] });
  }
}
