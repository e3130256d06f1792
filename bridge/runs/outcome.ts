// The HTTP contract of a run: what `POST /api/run` takes and what every dispatch ends in.
import { z } from "zod";
import { OUTCOMES } from "./outcome-names.js";

export { OUTCOMES };
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const DEFAULT_RUN_TIMEOUT_MS = 30_000;
export const MAX_RUN_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export const RunRequest = z.strictObject({
  app: z.string().min(1).max(64).optional(),
  host: z.string().min(1).max(128).optional(),
  code: z.string().max(4 * 1024 * 1024),
  language: z.string().min(1).max(32).optional(),
  timeoutMs: z.number().int().positive().max(MAX_RUN_TIMEOUT_MS).optional(),
});
export type RunRequest = z.infer<typeof RunRequest>;

export const RunErrorBody = z.object({
  message: z.string(),
  type: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  stack: z.string().optional(),
});

export const RunResponse = z.object({
  outcome: Outcome,
  hostId: z.string().nullable(),
  value: z.unknown().optional(),
  logs: z.string().optional(),
  error: RunErrorBody.optional(),
  durationMs: z.number(),
  /** Something the caller must know before trusting the app's state (its host was restarted). */
  notice: z.string().optional(),
  /**
   * The checkpoint kept before this run, which `undo` puts back (`copy`: of the document;
   * `undo`: the app's own undo step). Absent when the run only read, or kept none (the notice says why).
   */
  checkpoint: z.object({ id: z.string(), kind: z.enum(["undo", "copy"]) }).optional(),
});
export type RunResponse = z.infer<typeof RunResponse>;
