// The JSON text the in-app runtime (scripts-lib/python/scriptwright_runtime.py) returns.
// Both sides must agree on these names; the runtime writes ENVELOPE_VERSION = 1.

/** Key whose presence (with the version as value) marks a Scriptwright result envelope. */
export const ENVELOPE_TAG = "$scriptwright";
export const ENVELOPE_VERSION = 1;

export interface EnvelopeError {
  message: string;
  type?: string;
  line?: number;
  column?: number;
  stack?: string;
}

export type Envelope =
  | { [ENVELOPE_TAG]: number; ok: true; value: unknown; logs?: string }
  | { [ENVELOPE_TAG]: number; ok: false; error: EnvelopeError; logs?: string };

/** Caps the runtime applies when the run does not set its own. */
export const DEFAULT_MAX_LOG_CHARS = 65_536;
export const DEFAULT_MAX_VALUE_CHARS = 1_000_000;
export const DEFAULT_MAX_ITEMS = 1000;
