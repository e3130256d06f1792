// Counting a job's files as outcomes arrive, for the progress line: shared by the local
// runner and the queue submitter, which differ only in where outcomes come from.
import type { DoneRecord } from "./journal.js";

export interface Progress {
  total: number;
  done: number;
  failed: number;
  /** Files finished by this process per second. */
  rate: number;
  etaSeconds: number | null;
  last?: DoneRecord;
}

export class ProgressTracker {
  private finishedHere = 0;
  private startedAt = performance.now();

  constructor(
    private readonly total: number,
    private done: number,
    private failed: number,
    private readonly onProgress?: (progress: Progress) => void,
  ) {}

  /** The rate counts from now (e.g. once the hosts are up), not from construction. */
  restartClock(): void {
    this.startedAt = performance.now();
  }

  /** One more file has its outcome. */
  finished(record: DoneRecord): void {
    this.done++;
    this.finishedHere++;
    if (record.outcome !== "ok") this.failed++;
    this.report(record);
  }

  report(last?: DoneRecord): void {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? this.finishedHere / seconds : 0;
    const left = this.total - this.done;
    this.onProgress?.({
      total: this.total,
      done: this.done,
      failed: this.failed,
      rate,
      etaSeconds: rate > 0 ? left / rate : left === 0 ? 0 : null,
      ...(last ? { last } : {}),
    });
  }
}
