// The JSON text the in-app runtime (scripts-lib/extendscript/scriptwright_runtime.jsx)
// returns; the same shape as the Python kit's envelope.
//   {"$scriptwright":1,"ok":true,"value":…,"logs":"…"}
//   {"$scriptwright":1,"ok":false,"error":{message,type?,line?,column?,stack?},"logs":"…"}
// Value markers written by the runtime: {"$ref":"CompItem","name":…,"id":…} for app
// objects, {"$cycle":"Object"}, {"$depth":"Object"} past the depth cap, {"$more":n} for
// items past maxItems, {"$truncated":n} past the size cap, {"$function":"name"},
// {"$error":"TypeError","message":…}; NaN and ±Infinity become null.

export { ENVELOPE_TAG, ENVELOPE_VERSION } from "../../envelope.js";

export const DEFAULT_MAX_LOG_CHARS = 65_536;
export const DEFAULT_MAX_VALUE_CHARS = 1_000_000;
export const DEFAULT_MAX_ITEMS = 1000;
/** Containers nested deeper than this come back as {"$depth": …}. */
export const DEFAULT_MAX_DEPTH = 6;
