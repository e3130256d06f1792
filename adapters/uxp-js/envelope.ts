// The JSON text the in-app runtime (runtime-source.ts) returns: the same envelope as the
// Python kit's, so the bridge reads every language's results the same way.
export {
  DEFAULT_MAX_ITEMS,
  DEFAULT_MAX_LOG_CHARS,
  DEFAULT_MAX_VALUE_CHARS,
  ENVELOPE_TAG,
  ENVELOPE_VERSION,
  type Envelope,
  type EnvelopeError,
} from "../python/envelope.js";
