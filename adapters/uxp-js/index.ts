// The UXP JavaScript language kit: Premiere Pro 25.6+ through the Scriptwright UXP plugin
// (panels/uxp-premiere), which runs `const output = await (new Function(code))();` and
// sends `output` back. Any UXP host following that contract can use it.
import type { LanguageKit } from "../types.js";
import { preflightUxp } from "./preflight.js";
import { riskUxp } from "./risk.js";
import { unwrapUxp } from "./unwrap.js";
import { wrapUxp } from "./wrap.js";

export { ENVELOPE_TAG, ENVELOPE_VERSION, type Envelope, type EnvelopeError } from "./envelope.js";
export { PARSE_OPTIONS, preflightUxp } from "./preflight.js";
export { riskUxp } from "./risk.js";
export { unwrapUxp } from "./unwrap.js";
export { returnFinalExpression, V8_FUNCTION_HEADER_LINES, wrapUxp } from "./wrap.js";

export const uxpKit: LanguageKit = {
  language: "uxp-js",
  preflight: preflightUxp,
  wrap: wrapUxp,
  unwrap: unwrapUxp,
  risk: riskUxp,
  promptNotes: [
    "UXP JavaScript (modern JS) runs inside an async function: top-level await works, and the value of",
    "the last expression is the result (end with it, e.g. `seqs.map(s => s.name)`). log(...) and",
    "console.log output come back as logs. Premiere objects come back as {$ref, name, guid}.",
    'Load the API with `const ppro = require("premierepro")`; almost every method is async (await it),',
    "e.g. `const project = await ppro.Project.getActiveProject()`. Edits run as",
    '`project.lockedAccess(() => project.executeTransaction((ca) => { ca.addAction(...) }, "Undo name"))`,',
    "one undo step per transaction; since Premiere 26.3 create*Action calls must also be made inside",
    'lockedAccess. The helper `edit(project, (ca) => { ca.addAction(trackItem.createSetNameAction("B")) }, "Rename")`',
    "does exactly that in one line (its function is synchronous: await what you need before it).",
    "Nothing else wraps your code in a transaction. Errors come back with your line.",
  ].join("\n"),
};
