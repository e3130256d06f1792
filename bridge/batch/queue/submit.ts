// Hands a job to the queue: one BullMQ job per pending file, then follows the results with
// QueueEvents (plus a periodic sweep, in case an event was missed) and journals each `done`
// locally — the submitting process owns the journal, so status and resume keep working.
import { join } from "node:path";
import { Job, Queue, QueueEvents } from "bullmq";
import type { StoredMacro } from "../../macros/store.js";
import {
  cancelRequested,
  type DoneRecord,
  JOURNAL,
  type JobStatus,
  JournalWriter,
  jobStatus,
  viewJob,
} from "../journal.js";
import { type Progress, ProgressTracker } from "../progress.js";
import { writeReports } from "../report.js";
import {
  connection,
  type FileJobData,
  type FileJobResult,
  fileJobId,
  QUEUE_ATTEMPTS,
  QUEUE_BACKOFF_MS,
  queueName,
} from "./common.js";

const SWEEP_MS = 2000;

export interface SubmitOptions {
  url: string;
  dir: string;
  macro: StoredMacro;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

export interface SubmitResult {
  status: JobStatus;
  reports: { json: string; html: string } | null;
}

export async function submitJob(options: SubmitOptions): Promise<SubmitResult> {
  const journalFile = join(options.dir, JOURNAL);
  const view = viewJob(options.dir);
  const header = view.header;
  const conn = connection(options.url);
  const name = queueName(header.app);
  const queue = new Queue<FileJobData, FileJobResult>(name, { connection: conn });
  const events = new QueueEvents(name, { connection: conn });
  const journal = new JournalWriter(journalFile);
  const now = () => new Date().toISOString();
  // Resubmitting is safe: each file's BullMQ id is fixed, so a file still queued or on a
  // worker from an earlier submission is followed, not added (and run) again.
  await journal.append({
    type: "run",
    pid: process.pid,
    resume: view.lastRun !== null,
    queue: options.url,
    at: now(),
  });

  // BullMQ job id -> file, for the files still waiting for an outcome.
  const outstanding = new Map<string, string>();
  header.files.forEach((file, i) => {
    if (!view.done.has(file)) outstanding.set(fileJobId(header.id, i), file);
  });
  const progress = new ProgressTracker(
    header.files.length,
    header.files.length - outstanding.size,
    [...view.done.values()].filter((d) => d.outcome !== "ok").length,
    options.onProgress,
  );

  let wake: () => void = () => {};
  const record = (id: string, r: FileJobResult, attempts: number) => {
    const file = outstanding.get(id);
    if (file === undefined) return; // another job's file, or already recorded
    outstanding.delete(id);
    const done: DoneRecord = {
      type: "done",
      file,
      outcome: r.outcome,
      durationMs: r.durationMs,
      attempts,
      hostId: r.hostId ?? null,
      at: now(),
    };
    if (r.error) done.error = r.error;
    if (r.value !== undefined) done.value = r.value;
    // Durable before the sweep below ends the job: close() waits for every queued append.
    journal.append(done).catch(onError);
    progress.finished(done);
    if (!outstanding.size) wake();
  };
  /** Looks a finished BullMQ job up and records it (no-op while it is still waiting or active). */
  const settle = async (id: string) => {
    if (!outstanding.has(id)) return;
    // The state first, then the job: a job read while active and found completed a moment
    // later would carry no return value yet.
    const state = await queue.getJobState(id);
    if (state !== "completed" && state !== "failed") return;
    const job = await Job.fromId<FileJobData, FileJobResult>(queue, id);
    if (!job) return;
    if (state === "completed") record(id, job.returnvalue, job.attemptsMade);
    else if (state === "failed") {
      const reason = job.failedReason ?? "no detail";
      const outcome = /^(host-lost|not-dispatched|timeout): /.exec(reason)?.[1] as
        | FileJobResult["outcome"]
        | undefined;
      record(
        id,
        { outcome: outcome ?? "host-lost", durationMs: 0, error: { message: reason } },
        job.attemptsMade,
      );
    }
  };
  const onError = (error: unknown) => process.stderr.write(`queue: ${(error as Error).message}\n`);
  events.on("completed", ({ jobId }) => void settle(jobId).catch(onError));
  events.on("failed", ({ jobId }) => void settle(jobId).catch(onError));

  let cancelled = false;
  try {
    await events.waitUntilReady();
    await queue.waitUntilReady();
    progress.report();
    const pending = [...outstanding];
    await Promise.all(
      pending.map(([, file]) => journal.append({ type: "start", file, attempt: 1, at: now() })),
    );
    await queue.addBulk(
      pending.map(([jobId, file]) => ({
        name: "file",
        data: {
          jobId: header.id,
          file,
          macro: options.macro,
          params: header.params,
          timeoutMs: header.timeoutMs,
          idempotent: header.idempotent,
          verifySaves: header.verifySaves,
          keepBackups: header.keepBackups,
        },
        opts: {
          jobId,
          attempts: QUEUE_ATTEMPTS,
          backoff: { type: "exponential", delay: QUEUE_BACKOFF_MS },
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
    // Results already in (a re-submitted id) count too.
    for (const [id] of pending) await settle(id);
    while (outstanding.size && !options.signal?.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", done);
          wake = () => {};
          resolve();
        };
        const timer = setTimeout(done, SWEEP_MS);
        options.signal?.addEventListener("abort", done);
        wake = done;
      });
      for (const id of [...outstanding.keys()]) await settle(id);
      // `batch cancel`: drop the files nobody has taken yet; those in flight finish.
      if (!cancelled && cancelRequested(options.dir)) {
        cancelled = true;
        for (const id of [...outstanding.keys()]) {
          const job = await Job.fromId(queue, id);
          const state = await job?.getState();
          if (state === "waiting" || state === "delayed" || state === "prioritized") {
            await job?.remove().catch(() => {});
            outstanding.delete(id);
          }
        }
      }
    }
    if (!options.signal?.aborted || cancelled) {
      const left = header.files.some((f) => !viewJob(options.dir).done.has(f));
      await journal.append({
        type: "finish",
        state: cancelled && left ? "cancelled" : "finished",
        at: now(),
      });
    }
  } finally {
    await journal.close();
    await events.close();
    await queue.close();
  }
  const status = jobStatus(viewJob(options.dir));
  const reports = options.signal?.aborted && !cancelled ? null : writeReports(options.dir, status);
  return { status, reports };
}
