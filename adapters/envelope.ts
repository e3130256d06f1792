// The result envelope every in-app runtime returns, whatever its language:
//   {"$scriptwright":1,"ok":true,"value":…,"logs":"…"}
//   {"$scriptwright":1,"ok":false,"error":{message,type?,line?,column?,stack?},"logs":"…"}
// Reading it back is the same for every kit; anything that is not a well-formed envelope
// is an error with an explanation: garbage must never pass for a successful run.
import type { RunError, Unwrapped } from "./types.js";

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

/** How one kit's panel answers, for messages and line mapping. */
export interface EnvelopeSource {
  /** e.g. "the Python panel". */
  panel: string;
  /** Added to the message for an empty answer. */
  emptyHint?: string;
  /** Outputs that mean "no result" in this language (undefined, None, …). */
  placeholders: readonly string[];
  /** Why a placeholder came back; default: the wrapped code did not produce a result. */
  placeholderHint?: string;
  /** A language-specific non-answer (e.g. CEP's `EvalScript error.`): a message, or null. */
  recognise?: (trimmed: string) => string | null;
  /** Lines before the user's code, subtracted from error lines (0 when the runtime mapped them). */
  lineOffset: number;
  /** Rewrites stack frames to the user's lines. */
  mapStack?: (stack: string) => string;
}

const PREVIEW_CHARS = 200;

export function unwrapEnvelope(output: string, source: EnvelopeSource): Unwrapped {
  const { panel } = source;
  if (typeof output !== "string" || output.trim() === "") {
    return failure(
      `${panel} returned an empty result instead of the Scriptwright result envelope${source.emptyHint ? ` ${source.emptyHint}` : ""}`,
    );
  }
  const trimmed = output.trim();
  const recognised = source.recognise?.(trimmed);
  if (recognised) return failure(recognised);
  if (source.placeholders.includes(trimmed)) {
    return failure(
      `${panel} returned ${trimmed} instead of the Scriptwright result envelope: ${source.placeholderHint ?? "the wrapped code did not produce a result"}`,
    );
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(trimmed);
  } catch {
    return failure(`${panel} returned text that is not JSON: ${preview(output)}`);
  }
  if (!isRecord(envelope) || !(ENVELOPE_TAG in envelope)) {
    return failure(`${panel} returned JSON that is not a Scriptwright result envelope: ${preview(output)}`);
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
    const error = readError(envelope.error, source);
    return logs === undefined ? { error } : { error, logs };
  }
  return failure("the result envelope has no boolean 'ok' field");
}

/** Params as JSON text, for a runtime to parse: data only, JSON has no code. */
export function paramsJson(params: unknown): string {
  if (params === undefined) return "null";
  let text: string | undefined;
  try {
    text = JSON.stringify(params);
  } catch (cause) {
    throw new Error(`params must be JSON-serialisable: ${(cause as Error).message}`);
  }
  if (text === undefined) throw new Error(`params must be JSON-serialisable, got ${typeof params}`);
  return text;
}

function readError(raw: unknown, source: EnvelopeSource): RunError {
  if (!isRecord(raw)) return { message: "the script failed, but the runtime sent no error details" };
  const message =
    typeof raw.message === "string" && raw.message !== "" ? raw.message : "the script failed (no message)";
  const error: RunError = { message };
  if (typeof raw.type === "string" && raw.type !== "") error.type = raw.type;
  const line = positiveInt(raw.line);
  if (line !== undefined && line - source.lineOffset > 0) error.line = line - source.lineOffset;
  const column = positiveInt(raw.column);
  if (column !== undefined && error.line !== undefined) error.column = column;
  if (typeof raw.stack === "string" && raw.stack !== "") {
    error.stack = source.mapStack ? source.mapStack(raw.stack) : raw.stack;
  }
  return error;
}

function failure(message: string): Unwrapped {
  return { error: { message } };
}

function preview(text: string): string {
  const flat = JSON.stringify(text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);
  return `${flat} (${text.length} characters)`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}
