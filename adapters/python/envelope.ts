// The JSON text the in-app runtime (scripts-lib/python/scriptwright_runtime.py) returns.
// Both sides must agree on these names; the runtime writes ENVELOPE_VERSION = 1.

export { ENVELOPE_TAG, ENVELOPE_VERSION, type Envelope, type EnvelopeError } from "../envelope.js";

/** Caps the runtime applies when the run does not set its own. */
export const DEFAULT_MAX_LOG_CHARS = 65_536;
export const DEFAULT_MAX_VALUE_CHARS = 1_000_000;
export const DEFAULT_MAX_ITEMS = 1000;
