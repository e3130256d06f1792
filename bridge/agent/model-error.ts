// How a model turn fails, for every provider alike: a kind the session reports and a one-line
// message saying what to do. The text helpers turn what fetch and the SDKs throw into that line.
import { ScriptwrightError } from "../../adapters/shared/errors.js";

export type ModelErrorKind =
  | "missing-key"
  | "missing-model"
  | "auth"
  | "permission"
  | "rate-limit"
  | "overloaded"
  | "server"
  | "network"
  | "bad-request"
  | "bad-stream"
  | "cancelled"
  | "timeout";

/** Kinds where trying the same turn again later may succeed (the SDK has already retried). */
const RETRYABLE: ReadonlySet<ModelErrorKind> = new Set([
  "rate-limit",
  "overloaded",
  "server",
  "network",
  "bad-stream",
  "timeout",
]);

export class ModelError extends Error {
  override name = "ModelError";
  readonly kind: ModelErrorKind;
  /** The endpoint's HTTP status, when it answered with one. */
  readonly status?: number;
  readonly retryable: boolean;

  constructor(kind: ModelErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    if (options.status !== undefined) this.status = options.status;
    this.retryable = RETRYABLE.has(kind);
  }
}

/**
 * A model failure answered over HTTP or by the CLI (listing models): 503 when the bridge is
 * not set up for it (no key, no model), else 502, since the fault is the endpoint's, not the caller's.
 */
export class ModelEndpointError extends ScriptwrightError {
  override name = "ModelEndpointError";
  constructor(readonly modelError: ModelError) {
    super("model", modelError.message, {
      status: modelError.kind === "missing-key" || modelError.kind === "missing-model" ? 503 : 502,
      cause: modelError,
    });
  }
}

/** Long HTML error pages from proxies and multi-line messages would swamp a status line. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/** fetch wraps the useful part ("connect ECONNREFUSED 127.0.0.1:9") a cause or two deep. */
export function rootCause(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? oneLine(current.message) : String(current);
}

/** undici ends a body whose socket closed early with TypeError("terminated"). */
export function droppedConnection(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.message === "terminated" || (current as NodeJS.ErrnoException).code === "ECONNRESET")
      return true;
  }
  return false;
}
