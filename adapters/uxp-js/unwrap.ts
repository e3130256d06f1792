// Reads the UXP runtime's envelope back. Anything that is not a well-formed envelope is an
// error with an explanation: garbage must never pass for a successful run. The runtime
// already mapped positions to the user's lines (it measures the engine's header itself),
// so lines are only checked here, never shifted.
import type { RunError, Unwrapped, Wrapped } from "../types.js";
import { ENVELOPE_TAG, ENVELOPE_VERSION } from "./envelope.js";

const PREVIEW_CHARS = 200;
const PANEL = "the Premiere (UXP) panel";

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

function readError(raw: unknown): RunError {
  if (!isRecord(raw)) return { message: "the script failed, but the runtime sent no error details" };
  const message =
    typeof raw.message === "string" && raw.message !== "" ? raw.message : "the script failed (no message)";
  const error: RunError = { message };
  if (typeof raw.type === "string" && raw.type !== "") error.type = raw.type;
  const line = positiveInt(raw.line);
  if (line !== undefined) {
    error.line = line;
    const column = positiveInt(raw.column);
    if (column !== undefined) error.column = column;
  }
  if (typeof raw.stack === "string" && raw.stack !== "") error.stack = raw.stack;
  return error;
}

export function unwrapUxp(output: string, _wrapped: Wrapped): Unwrapped {
  if (typeof output !== "string" || output.trim() === "") {
    return failure(`${PANEL} returned an empty result instead of the Scriptwright result envelope`);
  }
  const trimmed = output.trim();
  if (trimmed === "undefined" || trimmed === "null") {
    return failure(
      `${PANEL} returned ${trimmed} instead of the Scriptwright result envelope: the code it ran was not wrapped by the uxp-js kit, or the plugin dropped its result`,
    );
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(trimmed);
  } catch {
    return failure(`${PANEL} returned text that is not JSON: ${preview(output)}`);
  }
  if (!isRecord(envelope) || !(ENVELOPE_TAG in envelope)) {
    return failure(`${PANEL} returned JSON that is not a Scriptwright result envelope: ${preview(output)}`);
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
    const error = readError(envelope.error);
    return logs === undefined ? { error } : { error, logs };
  }
  return failure("the result envelope has no boolean 'ok' field");
}
