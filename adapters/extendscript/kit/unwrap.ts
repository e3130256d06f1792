// Reads the runtime's envelope back. Anything that is not a well-formed envelope is an
// error with an explanation: garbage must never pass for a successful run.
import { unwrapEnvelope } from "../../envelope.js";
import type { Unwrapped, Wrapped } from "../../types.js";

/**
 * Maps `…:line:column` positions in stack frames to the user's lines; frames that point into
 * the wrapper (before the user's code) are dropped.
 */
export function mapStack(stack: string, lineOffset: number): string {
  const out: string[] = [];
  for (const frame of stack.split("\n")) {
    const match = /^(.*?):(\d+):(\d+)(\)?)\s*$/.exec(frame);
    if (match === null || !/^\s*at |@/.test(frame)) {
      out.push(frame);
      continue;
    }
    const line = Number(match[2]) - lineOffset;
    if (line <= 0) continue;
    out.push(`${match[1]}:${line}:${match[3]}${match[4]}`);
  }
  return out.join("\n");
}

export function unwrapExtendScript(output: string, wrapped: Wrapped): Unwrapped {
  return unwrapEnvelope(output, {
    panel: "the ExtendScript panel",
    emptyHint: "(some hosts return nothing when the script engine failed or was busy)",
    placeholders: ["undefined", "null"],
    recognise: (trimmed) => {
      if (trimmed === "EvalScript error.") {
        return "the ExtendScript panel returned `EvalScript error.`: the host failed before the Scriptwright wrapper could catch anything, usually a syntax error its ES3 parser rejected (check the code with preflight: no let/const, arrow functions, template literals, reserved words as property names) or a failing #include";
      }
      if (/^\[object \w+\]$/.test(trimmed)) {
        return `the ExtendScript panel returned ${trimmed}: an object reached the panel instead of the Scriptwright result envelope (string)`;
      }
      return null;
    },
    lineOffset: wrapped.lineOffset,
    mapStack: (stack) => mapStack(stack, wrapped.lineOffset),
  });
}
