// Docs builds and syncs in progress, one per tree: what the chat panel shows and what a docs
// call waits on. Knows nothing of hosts or adapters; auto-docs.ts decides what to start.
import { EventEmitter } from "node:events";
import type { BuildAnswer } from "./docs-service.js";

/** What a finished build or sync answers (a sync also names its host and what it skipped). */
export type BuiltDocs = BuildAnswer & { hostId?: string; skipped?: number };

export interface DocsBuildStatus {
  /** The app whose tree is being made. */
  app: string;
  /** Which of its trees (the app, or `app.language`): one build at a time per tree. */
  tree: string;
  /** The language of that reference. */
  language: string;
  displayName: string;
  /** The version being made, when known (a sync learns it from the host). */
  version: string | null;
  kind: "build" | "sync";
  hostId: string | null;
  /** Names described so far out of `total`; 0 of 0 when a build cannot say. */
  done: number;
  total: number;
  /** Docs calls waiting for it to end. */
  waiting: number;
  startedAt: string;
}

export interface Progress {
  done: number;
  total: number;
  version?: string;
}

interface Running {
  status: DocsBuildStatus;
  promise: Promise<BuiltDocs>;
}

export class DocsBuilds extends EventEmitter<{
  started: [status: DocsBuildStatus];
  progress: [status: DocsBuildStatus];
  finished: [status: DocsBuildStatus, built: BuiltDocs];
  failed: [status: DocsBuildStatus, error: Error];
}> {
  private readonly running = new Map<string, Running>();

  /** Starts `work` for one app's tree; the caller makes sure none is running for it. */
  start(
    status: Omit<DocsBuildStatus, "done" | "total" | "waiting" | "startedAt">,
    work: (report: (progress: Progress) => void) => Promise<BuiltDocs>,
  ): Promise<BuiltDocs> {
    const current: DocsBuildStatus = {
      ...status,
      done: 0,
      total: 0,
      waiting: 0,
      startedAt: new Date().toISOString(),
    };
    const report = (progress: Progress) => {
      current.done = progress.done;
      current.total = progress.total;
      if (progress.version) current.version = progress.version;
      this.emit("progress", { ...current });
    };
    const promise = (async () => {
      try {
        const built = await work(report);
        this.emit("finished", { ...current }, built);
        return built;
      } catch (error) {
        this.emit("failed", { ...current }, error as Error);
        throw error;
      } finally {
        this.running.delete(status.tree);
      }
    })();
    this.running.set(status.tree, { status: current, promise });
    this.emit("started", { ...current });
    return promise;
  }

  current(tree: string): Running | undefined {
    return this.running.get(tree);
  }

  list(): DocsBuildStatus[] {
    return [...this.running.values()].map((running) => ({ ...running.status }));
  }

  /** The build's answer, or "running" if it has not ended within `ms`; rejects as it does. */
  async wait(tree: string, ms: number): Promise<BuiltDocs | "running" | null> {
    const running = this.running.get(tree);
    if (!running) return null;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"running">((resolve) => {
      timer = setTimeout(() => resolve("running"), ms);
    });
    running.status.waiting++;
    try {
      return await Promise.race([running.promise, late]);
    } finally {
      running.status.waiting--;
      clearTimeout(timer);
    }
  }
}

/** "Blender 3.4.1 docs (sync from blender-1): 40%, 800 of 2,000 names" and the like. */
export function describeProgress(status: DocsBuildStatus): string {
  const what = `${status.displayName}${status.version ? ` ${status.version}` : ""} docs`;
  const how =
    status.kind === "sync" ? `read from ${status.hostId ?? "the app"}` : "built from the dependency";
  if (!status.total) return `${what} (${how}): started ${status.startedAt}`;
  return `${what} (${how}): ${percent(status)}%, ${status.done} of ${status.total} names`;
}

export function percent(status: Pick<DocsBuildStatus, "done" | "total">): number | null {
  return status.total ? Math.floor((100 * status.done) / status.total) : null;
}
