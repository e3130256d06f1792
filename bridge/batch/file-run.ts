// What the local runner and the queue worker share: checking a file before any host sees
// it, and running one file on a free host (open it, then run the macro with its params as
// data), one file per host at a time.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { Host } from "../hosts/host.js";
import { unreadableFile } from "../readable-file.js";
import type { Outcome, RunResponse } from "../runs/outcome.js";
import { smallValue } from "../runs/small-value.js";
import type { Bridge } from "../server/bridge-server.js";

/** How long a file may wait for a host (start-up included). */
export const HOST_WAIT_MS = 120_000;
export { smallValue, unreadableFile };

/**
 * Whether a file's failed run may go again: nothing was run (no host, the host went away),
 * or it timed out and the macro is idempotent. A timeout's effect in the app is unknown, so
 * a macro that is not may only run once.
 */
export function worthRetrying(outcome: Outcome, idempotent: boolean): boolean {
  return outcome === "host-lost" || outcome === "not-dispatched" || (outcome === "timeout" && idempotent);
}

export interface FileRun {
  file: string;
  macro: { code: string; language: string };
  params: unknown;
  timeoutMs: number;
  /** Check that the file changed on disk after the macro ran ok (it is meant to save it). */
  verifySaves?: boolean;
  /** Keep the app's backup copies when it saves (handed to the adapter's opener). */
  keepBackups?: boolean;
}

/** What says a file was written: a new modification time or new contents. */
function fingerprint(file: string): { mtimeMs: number; hash: string } | null {
  try {
    const { mtimeMs } = statSync(file);
    return { mtimeMs, hash: createHash("sha256").update(readFileSync(file)).digest("hex") };
  } catch {
    return null;
  }
}

/** A macro meant to save that left its file as it was: an error, never a silent "ok". */
function notSaved(ran: RunResponse, file: string): RunResponse {
  return {
    ...ran,
    outcome: "error",
    value: undefined,
    error: {
      type: "NotSaved",
      message: `not saved: the macro ran, but ${file} did not change on disk (does it save the document? in LibreOffice, ThisComponent.store() or ThisWorkbook.Save)`,
    },
  };
}

/** Runs files on the bridge's hosts of one app, each file on a host of its own. */
export class FileRunner {
  private readonly leased = new Set<string>();

  constructor(
    private readonly bridge: Bridge,
    private readonly app: string,
    private readonly openScript: string,
    private readonly openLanguage: string,
  ) {}

  async run(job: FileRun): Promise<RunResponse> {
    const host = await this.lease();
    if (!host) {
      return {
        outcome: "not-dispatched",
        hostId: null,
        error: { message: `no ${this.app} host became free in ${HOST_WAIT_MS} ms` },
        durationMs: 0,
      };
    }
    try {
      const before = job.verifySaves ? fingerprint(job.file) : null;
      const opened = await this.bridge.dispatcher.run({
        host: host.id,
        code: this.openScript,
        language: this.openLanguage,
        wrap: { params: { file: job.file, keepBackups: job.keepBackups === true } },
        timeoutMs: job.timeoutMs,
      });
      if (opened.outcome !== "ok") {
        const message = opened.error?.message ?? "no detail";
        return { ...opened, error: { ...opened.error, message: `opening the file: ${message}` } };
      }
      const ran = await this.bridge.dispatcher.run({
        host: host.id,
        code: job.macro.code,
        language: job.macro.language,
        wrap: { params: job.params },
        timeoutMs: job.timeoutMs,
      });
      const durationMs = opened.durationMs + ran.durationMs;
      if (before && ran.outcome === "ok") {
        const after = fingerprint(job.file);
        if (after && after.mtimeMs === before.mtimeMs && after.hash === before.hash)
          return { ...notSaved(ran, job.file), durationMs };
      }
      return { ...ran, durationMs };
    } finally {
      this.leased.delete(host.id);
    }
  }

  private async lease(): Promise<Host | null> {
    const deadline = Date.now() + HOST_WAIT_MS;
    for (;;) {
      // Managed hosts only (see Purpose "batch"): each file is opened in the host it runs on.
      const host = this.bridge.pool.candidates(this.app, "batch").find((h) => !this.leased.has(h.id));
      if (host) {
        this.leased.add(host.id);
        return host;
      }
      if (Date.now() > deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
