// Reads the runtime's envelope back. Anything that is not a well-formed envelope is an
// error with an explanation: garbage must never pass for a successful run.
import type { RunError, Unwrapped, Wrapped } from "../../types.js";
import { ENVELOPE_TAG, ENVELOPE_VERSION } from "./envelope.js";

const PREVIEW_CHARS = 200;

function preview(text: string): string {
  const flat = JSON.stringify(text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);
  return `${flat} (${text.length} characters)`;
}

function failure(message: string): Unwrapped {
  return { error: { message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

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

function readError(raw: unknown, lineOffset: number): RunError {
  if (!isRecord(raw)) return { message: "the script failed, but the runtime sent no error details" };
  const message =
    typeof raw.message === "string" && raw.message !== "" ? raw.message : "the script failed (no message)";
  const error: RunError = { message };
  if (typeof raw.type === "string" && raw.type !== "") error.type = raw.type;
  const line = positiveInt(raw.line);
  if (line !== undefined && line - lineOffset > 0) error.line = line - lineOffset;
  const column = positiveInt(raw.column);
  if (column !== undefined && error.line !== undefined) error.column = column;
  if (typeof raw.stack === "string" && raw.stack !== "") error.stack = mapStack(raw.stack, lineOffset);
  return error;
}

function parseJson(output: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(output) };
  } catch {
    return { ok: false };
  }
}

export function unwrapExtendScript(output: string, wrapped: Wrapped): Unwrapped {
  if (typeof output !== "string" || output.trim() === "") {
    return failure(
      "the ExtendScript panel returned an empty result instead of the Scriptwright result envelope (some hosts return nothing when the script engine failed or was busy)",
    );
  }
  const trimmed = output.trim();
  if (trimmed === "EvalScript error.") {
    return failure(
      "the ExtendScript panel returned `EvalScript error.`: the host failed before the Scriptwright wrapper could catch anything, usually a syntax error its ES3 parser rejected (check the code with preflight: no let/const, arrow functions, template literals, reserved words as property names) or a failing #include",
    );
  }
  if (trimmed === "undefined" || trimmed === "null") {
    return failure(
      `the ExtendScript panel returned ${trimmed} instead of the Scriptwright result envelope: the wrapped code did not produce a result`,
    );
  }
  if (/^\[object \w+\]$/.test(trimmed)) {
    return failure(
      `the ExtendScript panel returned ${trimmed}: an object reached the panel instead of the Scriptwright result envelope (string)`,
    );
  }
  const parsed = parseJson(trimmed);
  if (!parsed.ok) {
    return failure(`the ExtendScript panel returned text that is not JSON: ${preview(output)}`);
  }
  const envelope = parsed.value;
  if (!isRecord(envelope) || !(ENVELOPE_TAG in envelope)) {
    return failure(
      `the ExtendScript panel returned JSON that is not a Scriptwright result envelope: ${preview(output)}`,
    );
  }
  if (envelope[ENVELOPE_TAG] !== ENVELOPE_VERSION) {
    return failure(
      `the result envelope has version ${JSON.stringify(envelope[ENVELOPE_TAG])}, this bridge reads version ${ENVELOPE_VERSION}`,
    );
  }
  const logs = typeof envelope.logs === "string" && envelope.logs !== "" ? envelope.logs : undefined;
  if (envelope.ok === true) {
    if (!("value" in envelope)) return failure("the result envelope says ok but carries no value");
    return logs === undefined ? { value: envelope.value } : { value: envelope.value, logs };
  }
  if (envelope.ok === false) {
    const error = readError(envelope.error, wrapped.lineOffset);
    return logs === undefined ? { error } : { error, logs };
  }
  return failure("the result envelope has no boolean 'ok' field");
}
