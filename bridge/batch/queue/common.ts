// Shared pieces of queued batch jobs: one BullMQ queue per app, one queued job per file.
// (BullMQ allows no ":" in queue names or custom job ids.)
import type { ConnectionOptions } from "bullmq";
import type { StoredMacro } from "../../macros/store.js";
import type { Outcome, RunResponse } from "../../runs/outcome.js";

export const QUEUE_ATTEMPTS = 3;
export const QUEUE_BACKOFF_MS = 500;

export function queueName(app: string): string {
  return `scriptwright-${app}`;
}

/** BullMQ connection options for a redis:// URL (workers need maxRetriesPerRequest: null). */
export function connection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--queue: "${url}" is not a URL (e.g. redis://127.0.0.1:6379)`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    throw new Error(`--queue: "${url}" is not a redis:// URL`);
  return { url, maxRetriesPerRequest: null };
}

/** One file of a job, as queued. */
export interface FileJobData {
  jobId: string;
  file: string;
  macro: StoredMacro;
  params: Record<string, unknown>;
  timeoutMs: number;
  idempotent: boolean;
  verifySaves?: boolean;
  keepBackups?: boolean;
}

/** What a worker returns for one file (a failed script is a result, not a thrown error). */
export interface FileJobResult {
  outcome: Outcome;
  durationMs: number;
  hostId?: string | null;
  error?: RunResponse["error"];
  value?: unknown;
}

/** BullMQ job ids may not contain ":". */
export function fileJobId(jobId: string, index: number): string {
  return `${jobId}-${index}`;
}
