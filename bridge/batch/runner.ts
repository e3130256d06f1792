// Runs a batch job: an embedded bridge (port 0, no bridge.json) with `concurrency` managed
// headless hosts, one worker per host. For each pending file a worker journals `start`, leases
// a host for itself (so no other file's open can slip in between), opens the file there with
// the adapter's openDocument script (the path bound as data), runs the macro (its params bound
// as data), and journals `done`. A lost host is retried (twice, with backoff); a timeout only
// when the macro is idempotent. Between files it looks for the marker `batch cancel` leaves.
import { join } from "node:path";
import { adapters as defaultAdapters, languageKits } from "../../adapters/registry.js";
import { type Adapter, type LanguageKit, openDocumentFor } from "../../adapters/types.js";
import { createLogger, type Logger } from "../logger.js";
import type { StoredMacro } from "../macros/store.js";
import { parseHeadlessSpecs } from "../managed/headless-spec.js";
import type { RunResponse } from "../runs/outcome.js";
import { Bridge } from "../server/bridge-server.js";
import { FileRunner, HOST_WAIT_MS, smallValue, unreadableFile, worthRetrying } from "./file-run.js";
import {
  cancelRequested,
  type DoneRecord,
  JOURNAL,
  type JobHeader,
  type JobStatus,
  JournalWriter,
  jobStatus,
  viewJob,
} from "./journal.js";
import { type Progress, ProgressTracker } from "./progress.js";
import { writeReports } from "./report.js";

export const MAX_ATTEMPTS = 3;
const BACKOFF_MS = 500;

export type { Progress } from "./progress.js";

export interface ExecuteOptions {
  dataDir: string;
  dir: string;
  macro: StoredMacro;
  resume: boolean;
  adapters?: ReadonlyMap<string, Adapter>;
  kits?: ReadonlyMap<string, LanguageKit>;
  logger?: Logger;
  onProgress?: (progress: Progress) => void;
  /** Hosts are being started (the slow part before the first file: say so). */
  onStarting?: (hosts: number, app: string) => void;
  onHostsReady?: () => void;
  /** Set to stop taking new files (Ctrl-C). */
  signal?: AbortSignal;
}

export interface ExecuteResult {
  status: JobStatus;
  reports: { json: string; html: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function executeJob(options: ExecuteOptions): Promise<ExecuteResult> {
  const adapters = options.adapters ?? defaultAdapters;
  const journalFile = join(options.dir, JOURNAL);
  const view = viewJob(options.dir);
  const header: JobHeader = view.header;
  const adapter = adapters.get(header.app);
  const open = openDocumentFor(adapter);
  if (!open) throw new Error(`${header.app} cannot open documents for batch jobs`);

  const journal = new JournalWriter(journalFile);
  const now = () => new Date().toISOString();
  await journal.append({ type: "run", pid: process.pid, resume: options.resume, at: now() });

  // Files in flight when a previous run died: run again once, marked as reruns.
  const reruns = new Set(view.inFlight);
  const pending = header.files.filter((file) => !view.done.has(file));
  const progress = new ProgressTracker(
    header.files.length,
    header.files.length - pending.length,
    [...view.done.values()].filter((d) => d.outcome !== "ok").length,
    options.onProgress,
  );

  let cancelled = view.cancelled;
  const checkCancel = (): boolean => {
    if (cancelled || options.signal?.aborted) return true;
    cancelled = cancelRequested(options.dir);
    return cancelled;
  };

  const logger = options.logger ?? createLogger(options.dir);
  let bridge: Bridge | null = null;
  try {
    if (pending.length && !checkCancel()) {
      const concurrency = Math.min(header.concurrency, pending.length);
      const { specs } = parseHeadlessSpecs([`${header.app}:${concurrency}`], adapters);
      options.onStarting?.(concurrency, header.app);
      bridge = new Bridge({
        dataDir: options.dataDir,
        port: 0,
        kits: options.kits ?? languageKits,
        adapters,
        headless: specs,
        writeDiscovery: false,
        logger,
        // A batch reads no docs: its hosts stay free for the files.
        autoDocs: false,
      });
      await bridge.start();
      await bridge.managed?.waitUntilConnected(HOST_WAIT_MS);
      progress.restartClock();
      options.onHostsReady?.();
      progress.report();

      const files = new FileRunner(bridge, header.app, open.code, open.language);
      const runOnce = (file: string): Promise<RunResponse> =>
        files.run({
          file,
          macro: options.macro,
          params: header.params,
          timeoutMs: header.timeoutMs,
          verifySaves: header.verifySaves,
          keepBackups: header.keepBackups,
        });

      const runFile = async (file: string): Promise<void> => {
        const began = performance.now();
        let result: RunResponse | null = null;
        let attempt = 0;
        while (attempt < MAX_ATTEMPTS) {
          attempt++;
          await journal.append({ type: "start", file, attempt, at: now() });
          const unreadable = unreadableFile(file);
          if (unreadable) {
            result = {
              outcome: "error",
              hostId: null,
              error: { message: unreadable, type: "FileError" },
              durationMs: 0,
            };
            break;
          }
          result = await runOnce(file);
          if (!worthRetrying(result.outcome, header.idempotent) || attempt >= MAX_ATTEMPTS) break;
          logger.warn({ file, attempt, outcome: result.outcome }, "batch file failed; retrying");
          await sleep(BACKOFF_MS * 2 ** (attempt - 1));
        }
        const r = result!;
        const record: DoneRecord = {
          type: "done",
          file,
          outcome: r.outcome,
          durationMs: Math.round((performance.now() - began) * 100) / 100,
          attempts: attempt,
          hostId: r.hostId,
          at: now(),
        };
        if (r.error) record.error = r.error;
        const value = r.outcome === "ok" ? smallValue(r.value) : undefined;
        if (value !== undefined) record.value = value;
        if (reruns.has(file)) record.rerun = true;
        await journal.append(record);
        progress.finished(record);
      };

      const queue = [...pending];
      const worker = async () => {
        for (;;) {
          if (checkCancel()) return;
          const file = queue.shift();
          if (file === undefined) return;
          await runFile(file);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    }
    // Interrupted (Ctrl-C) without a cancel: no finish record, so the job stays resumable.
    const interrupted = options.signal?.aborted && !cancelRequested(options.dir);
    if (!interrupted) {
      const done = checkCancel() ? viewJob(options.dir).done : null; // one read of the journal
      const cancelledNow = done !== null && header.files.some((f) => !done.has(f));
      await journal.append({ type: "finish", state: cancelledNow ? "cancelled" : "finished", at: now() });
    }
  } finally {
    await journal.close();
    await bridge?.stop();
  }
  const status = jobStatus(viewJob(options.dir));
  const reports = writeReports(options.dir, status);
  return { status, reports };
}
