// Taking a run back. Before a person's script that may change the document (the language
// kit's read-only analysis decides: only a script the app's list of pure reads allows counts
// as reading), the host keeps a checkpoint the way its adapter declares (Adapter.checkpoint):
// the app's own undo step, or a copy of the document in the data dir. `undo` puts back the
// newest one, and says which run and which document it restored.
//
// When a checkpoint cannot be kept, the run still goes, and its answer says it cannot be taken
// back: the person asked for the run, and a full disk or a document the app cannot copy must not
// stop all work. When the app does not even answer the checkpoint (it timed out, or its host went
// away), the script is not sent: that host could not have run it either.
import { z } from "zod";
import { classify } from "../../adapters/classify.js";
import {
  type Adapter,
  type CheckpointParams,
  type CheckpointSpec,
  checkpointFor,
  type LanguageKit,
} from "../../adapters/types.js";
import { describeDocument, type Host } from "../hosts/host.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { Logger } from "../logger.js";
import type { RunCall } from "../runs/dispatcher.js";
import type { RunResponse } from "../runs/outcome.js";
import { UndoError } from "./errors.js";
import { HostLocks } from "./host-lock.js";
import { type Checkpoint, type CheckpointLimits, CheckpointStore } from "./store.js";
import { clock, runLabel, scriptLine } from "./wording.js";

/** A checkpoint script copies a whole document: give it more time than a script gets by default. */
export const CHECKPOINT_TIMEOUT_MS = 60_000;

const Taken = z.object({ document: z.string().nullable(), state: z.unknown().optional() });
const Restored = z.union([
  z.object({ refused: z.string() }),
  z.object({ document: z.string().nullable(), notes: z.array(z.string()).optional() }),
]);

export interface CheckpointsOptions {
  /** <data-dir>/checkpoints */
  root: string;
  pool: HostPool;
  adapters: ReadonlyMap<string, Adapter>;
  kits: ReadonlyMap<string, LanguageKit>;
  logger: Logger;
  /** Runs one of the app's checkpoint scripts (the dispatcher; never an undoable run itself). */
  run: (call: RunCall) => Promise<RunResponse>;
  /** How long a run may wait for the host's earlier checkpointed runs (the dispatcher's queue timeout). */
  queueTimeoutMs: number;
  limits?: CheckpointLimits;
}

/** What `undo` answers (POST /api/hosts/:id/undo, scriptwright undo --json). */
export interface UndoAnswer {
  hostId: string;
  app: string;
  restored: {
    checkpoint: string;
    kind: "undo" | "copy";
    /** The run taken back: when it started, its first line, how it ended. */
    run: { at: string; script: string; outcome: string };
    /** The document as it was before that run, now open again. */
    document: string | null;
  };
  /** Later runs taken back with it because they had no checkpoint of their own (only with force). */
  alsoTakenBack: Array<{ checkpoint: string; run: { at: string; script: string }; reason: string }>;
  forced: boolean;
  /** Runs on this host that can still be taken back. */
  remaining: number;
  notes: string[];
  message: string;
  durationMs: number;
}

export interface UndoRequest {
  host?: string;
  app?: string;
  /** Restore even when the state is unknown, the app sees other changes since, or runs kept no checkpoint. */
  force?: boolean;
  /** Take back only this checkpoint's run, and only while it is the newest (the chat panel's button). */
  checkpoint?: string;
}

export class Checkpoints {
  readonly store: CheckpointStore;
  private readonly locks = new HostLocks();

  constructor(private readonly options: CheckpointsOptions) {
    this.store = new CheckpointStore(options.root, options.limits);
  }

  /**
   * Runs `run` (the person's script on `host`, in `language`), keeping a checkpoint first when
   * the script may change the document and the app keeps checkpoints.
   */
  async around(
    host: Host,
    call: RunCall,
    language: string,
    run: () => Promise<RunResponse>,
  ): Promise<RunResponse> {
    const adapter = this.options.adapters.get(host.app);
    const kit = this.options.kits.get(language);
    const found = checkpointFor(adapter, host.language, (l) => host.speaks(l));
    // A script that will be refused, or only reads, changes nothing to take back.
    if (!found || !kit || !host.speaks(language) || kit.preflight(call.code).length > 0) return run();
    if (classify(kit, adapter, call.code).readOnly) return run();
    const started = performance.now();
    const lock = await this.locks.acquire(host.id, this.options.queueTimeoutMs, call.signal);
    if (!lock.ok) {
      const message =
        lock.reason === "aborted"
          ? "the run was cancelled before it was sent"
          : `host ${host.id} stayed busy for ${this.options.queueTimeoutMs} ms; the run was not sent`;
      return {
        outcome: "not-dispatched",
        hostId: host.id,
        error: { message },
        durationMs: elapsed(started),
      };
    }
    try {
      const taken = await this.take(host, found.language, found.spec, call);
      if ("notSent" in taken) return { ...taken.notSent, durationMs: elapsed(started) };
      const response = await run();
      const checkpoint = taken.checkpoint;
      if (!checkpoint) return response;
      if (response.outcome === "rejected" || response.outcome === "not-dispatched") {
        // Nothing ran: nothing to take back.
        this.store.discard(checkpoint);
        return response;
      }
      checkpoint.outcome = response.outcome;
      if (checkpoint.failed) {
        const notice = `no checkpoint was kept before this run (${checkpoint.failed}), so \`scriptwright undo\` cannot take it back`;
        return { ...response, notice: response.notice ? `${response.notice}; ${notice}` : notice };
      }
      return { ...response, checkpoint: { id: checkpoint.id, kind: checkpoint.kind } };
    } finally {
      lock.release();
    }
  }

  /** Drops every checkpoint and its copy (the bridge is stopping). */
  close(): void {
    this.store.close();
  }

  /** Puts back the state before the newest run that can be taken back on the host. */
  async undo(request: UndoRequest, signal?: AbortSignal): Promise<UndoAnswer> {
    const started = performance.now();
    const host = this.hostFor(request);
    const adapter = this.options.adapters.get(host.app);
    const found = checkpointFor(adapter, host.language, (l) => host.speaks(l));
    if (!found && this.store.list(host.id).length === 0) {
      throw new UndoError(
        "no-checkpoints",
        `${adapter?.displayName ?? host.app} keeps no checkpoints, so runs on ${host.id} cannot be taken back here` +
          (adapter?.undoInApp ? `; ${adapter.undoInApp}` : ""),
      );
    }
    const lock = await this.locks.acquire(host.id, this.options.queueTimeoutMs, signal);
    if (!lock.ok) throw new UndoError("restore-failed", `${host.id} stayed busy: nothing was restored`);
    try {
      return await this.restoreNewest(host, found, request, started);
    } finally {
      lock.release();
    }
  }

  /**
   * A managed host restarted after a script hung: the notice says how to put back the document
   * as it was before that script, when a checkpoint of it is kept.
   */
  annotateNotice(hostId: string, notice: string): string {
    const list = this.store.list(hostId);
    const index = list.findLastIndex(
      (c) => !c.failed && (c.outcome === "timeout" || c.outcome === "host-lost"),
    );
    if (index < 0) return notice;
    const hung = list[index]!;
    const later = list.length - 1 - index;
    const how =
      later === 0
        ? `\`scriptwright undo --host ${hostId} --force\``
        : `\`scriptwright undo --host ${hostId}\` ${later === 1 ? "once" : `${later} times`} (for the later ${later === 1 ? "run" : "runs"}), then once more with --force`;
    return `${notice}. A checkpoint of ${describeDocument(hung.document)} from before that script (${clock(hung.takenAt)}) is kept: ${how} puts it back`;
  }

  private hostFor(request: UndoRequest): Host {
    if (request.host) {
      const host = this.options.pool.get(request.host);
      if (!host) throw new UndoError("no-host", `no connected host with id "${request.host}"`);
      if (request.app && host.app !== request.app)
        throw new UndoError("no-host", `host "${host.id}" is ${host.app}, not ${request.app}`);
      return host;
    }
    const candidates = request.app
      ? this.options.pool.candidates(request.app)
      : this.options.pool.all().filter((host) => this.store.list(host.id).length > 0);
    // The host whose newest checkpoint is newest: where the app's last undoable run went.
    const newest = (host: Host) => this.store.list(host.id).at(-1)?.takenAt.getTime() ?? -1;
    const best = [...candidates].sort((a, b) => newest(b) - newest(a))[0];
    if (best) return best;
    throw new UndoError(
      "no-host",
      request.app
        ? `no connected host for app "${request.app}"`
        : "no host has a run to take back; name one with --host or --app",
    );
  }

  private async take(
    host: Host,
    language: string,
    spec: CheckpointSpec,
    call: RunCall,
  ): Promise<{ checkpoint: Checkpoint | null } | { notSent: Omit<RunResponse, "durationMs"> }> {
    const useUndo =
      spec.undo && (!spec.undo.capability || host.hello.capabilities.includes(spec.undo.capability));
    const kind = useUndo ? "undo" : spec.copy ? "copy" : null;
    if (!kind) return { checkpoint: null };
    const checkpoint: Checkpoint = {
      id: this.store.nextId(),
      hostId: host.id,
      app: host.app,
      kind,
      takenAt: new Date(),
      document: host.document,
      script: scriptLine(call.code),
      outcome: "running",
    };
    let code: string | undefined;
    const params: CheckpointParams = {};
    if (kind === "undo") {
      checkpoint.connection = host;
      code = spec.undo!.mark;
    } else {
      try {
        checkpoint.file = this.store.newFile(host.id, checkpoint.id, spec.copy!.extension);
      } catch (error) {
        checkpoint.failed = `its folder could not be made: ${(error as Error).message}`;
        this.store.push(checkpoint);
        return { checkpoint };
      }
      params.path = checkpoint.file;
      code = spec.copy!.save;
    }
    if (code !== undefined) {
      const response = await this.script(host, language, spec, code, params, call.signal);
      if (
        response.outcome === "timeout" ||
        response.outcome === "host-lost" ||
        response.outcome === "not-dispatched"
      ) {
        this.store.discard(checkpoint);
        const why = response.error?.message ?? response.outcome;
        return {
          notSent: {
            outcome: response.outcome === "timeout" ? "not-dispatched" : response.outcome,
            hostId: host.id,
            error: { message: `not sent: keeping a checkpoint before it did not finish (${why})` },
          },
        };
      }
      const taken = response.outcome === "ok" ? Taken.safeParse(response.value) : null;
      if (!taken?.success) {
        checkpoint.failed = taken
          ? `the checkpoint script answered ${JSON.stringify(response.value)?.slice(0, 200)}`
          : `${host.app} could not keep one: ${response.error?.message ?? response.outcome}`;
      } else {
        checkpoint.document = taken.data.document;
        checkpoint.state = taken.data.state;
      }
    }
    if (checkpoint.file && !checkpoint.failed) this.seal(checkpoint);
    if (checkpoint.failed && checkpoint.file) {
      this.store.discard(checkpoint);
      checkpoint.file = undefined;
    }
    this.store.push(checkpoint);
    if (checkpoint.failed)
      this.options.logger.warn({ host: host.id, reason: checkpoint.failed }, "no checkpoint before a run");
    return { checkpoint };
  }

  /** The copy the app wrote: private, and within the bytes a host may keep. */
  private seal(checkpoint: Checkpoint): void {
    try {
      checkpoint.bytes = this.store.seal(checkpoint.file!);
    } catch (error) {
      checkpoint.failed = `the copy was not written: ${(error as Error).message}`;
      return;
    }
    const limit = this.store.limits.bytes;
    if (checkpoint.bytes > limit) {
      checkpoint.failed = `the copy is ${mib(checkpoint.bytes)}, more than the ${mib(limit)} kept per host`;
    }
  }

  private async restoreNewest(
    host: Host,
    found: { language: string; spec: CheckpointSpec } | undefined,
    request: UndoRequest,
    started: number,
  ): Promise<UndoAnswer> {
    const list = this.store.list(host.id);
    if (list.length === 0) {
      throw new UndoError(
        "nothing-to-undo",
        `nothing to undo on ${host.id}: no run that changed its document is kept (scripts that only read keep no checkpoint)`,
      );
    }
    if (request.checkpoint && list.at(-1)!.id !== request.checkpoint) {
      const later = list.at(-1)!;
      throw new UndoError(
        "not-last",
        list.some((c) => c.id === request.checkpoint)
          ? `that run is no longer the last on ${host.id}: ${runLabel(later)} came after it; take that back first`
          : `checkpoint ${request.checkpoint} is no longer kept on ${host.id} (taken back already, or one of the oldest past the ${this.store.limits.count} each host keeps)`,
      );
    }
    const force = request.force === true;
    // Runs with no checkpoint, or one that can no longer be used, are passed only with force:
    // the state before the run under them includes taking them back too.
    const passed: Array<{ checkpoint: Checkpoint; reason: string }> = [];
    let index = list.length - 1;
    for (; index >= 0; index--) {
      const checkpoint = list[index]!;
      const unusable = checkpoint.failed ?? this.staleReason(host, checkpoint);
      if (!unusable) break;
      if (!force) {
        throw new UndoError(
          "no-checkpoint",
          `${runLabel(checkpoint)} on ${host.id} cannot be taken back: ${unusable}. ` +
            "`--force` (force: true) restores the checkpoint before it instead, taking back both",
        );
      }
      passed.push({ checkpoint, reason: unusable });
    }
    const target = list[index];
    if (!target) {
      throw new UndoError(
        "nothing-to-undo",
        `nothing to undo on ${host.id}: none of its kept runs has a usable checkpoint (${passed.map((p) => p.reason).join("; ")})`,
      );
    }
    if (
      (target.outcome === "timeout" || target.outcome === "host-lost" || target.outcome === "running") &&
      !force
    ) {
      const how =
        target.outcome === "timeout"
          ? "timed out"
          : target.outcome === "running"
            ? "has not finished"
            : "lost its host";
      throw new UndoError(
        "state-unknown",
        `${runLabel(target)} on ${host.id} ${how}: what it did to ${describeDocument(target.document)} is unknown, so it is not rolled back on its own. ` +
          `A checkpoint from before it is kept: \`scriptwright undo --host ${host.id} --force\` (force: true) puts it back`,
      );
    }
    const spec = found?.spec;
    const code = target.kind === "undo" ? spec?.undo?.restore : spec?.copy?.restore;
    if (!found || !code) {
      throw new UndoError(
        "no-checkpoints",
        `${host.app} no longer declares how to restore a ${target.kind} checkpoint`,
      );
    }
    const params: CheckpointParams = { state: target.state ?? null, force };
    if (target.file) params.path = target.file;
    const response = await this.script(host, found.language, found.spec, code, params);
    if (response.outcome !== "ok") {
      const unknown = response.outcome === "timeout" || response.outcome === "host-lost";
      throw new UndoError(
        "restore-failed",
        `${host.app} could not put back the checkpoint of ${runLabel(target)}: ${response.error?.message ?? response.outcome}` +
          (unknown ? "; the document's state is unknown now" : "; the checkpoint is kept: try again"),
      );
    }
    const restored = Restored.safeParse(response.value);
    if (!restored.success) {
      throw new UndoError(
        "restore-failed",
        `${host.app}'s restore answered ${JSON.stringify(response.value)?.slice(0, 200)}; the checkpoint is kept`,
      );
    }
    if ("refused" in restored.data) {
      if (force) throw new UndoError("restore-failed", `${restored.data.refused}; nothing was restored`);
      throw new UndoError(
        "undo-refused",
        `${restored.data.refused}. \`--force\` (force: true) takes the run back anyway`,
      );
    }
    const document = restored.data.document;
    if (document !== null || target.document === null) host.document = document;
    for (const { checkpoint } of passed) this.store.discard(checkpoint);
    this.store.discard(target);
    const remaining = this.store.list(host.id).filter((c) => !c.failed).length;
    const notes = restored.data.notes ?? [];
    const also = passed.map(({ checkpoint, reason }) => ({
      checkpoint: checkpoint.id,
      run: { at: checkpoint.takenAt.toISOString(), script: checkpoint.script },
      reason,
    }));
    const way =
      target.kind === "undo"
        ? `with ${this.options.adapters.get(host.app)?.displayName ?? host.app}'s own undo`
        : "from its copy";
    const message = [
      `Took back ${runLabel(target)} on ${host.id}: ${describeDocument(target.document)} is as it was before it (${way}).`,
      ...(passed.length ? [`Also taken back: ${passed.map((p) => runLabel(p.checkpoint)).join(", ")}.`] : []),
      ...notes,
      remaining === 0
        ? "Nothing earlier to take back."
        : `${remaining} earlier ${remaining === 1 ? "run" : "runs"} can be taken back.`,
    ].join(" ");
    this.options.logger.info({ host: host.id, checkpoint: target.id, forced: force }, "run taken back");
    return {
      hostId: host.id,
      app: host.app,
      restored: {
        checkpoint: target.id,
        kind: target.kind,
        run: { at: target.takenAt.toISOString(), script: target.script, outcome: target.outcome },
        document: target.document,
      },
      alsoTakenBack: also,
      forced: force,
      remaining,
      notes,
      message,
      durationMs: elapsed(started),
    };
  }

  /** Why an undo mark cannot be used any more: the app's undo history it points into is gone. */
  private staleReason(host: Host, checkpoint: Checkpoint): string | undefined {
    if (checkpoint.kind !== "undo" || checkpoint.connection === host) return undefined;
    return `${host.app} has restarted or reconnected since, and its undo history with it`;
  }

  private script(
    host: Host,
    language: string,
    spec: CheckpointSpec,
    code: string,
    params: CheckpointParams,
    signal?: AbortSignal,
  ): Promise<RunResponse> {
    return this.options.run({
      host: host.id,
      code,
      language,
      // The prelude, never the epilogue: a checkpoint is not a run (no undo step of its own).
      wrap: { params, epilogue: undefined },
      timeoutMs: spec.timeoutMs ?? CHECKPOINT_TIMEOUT_MS,
      signal,
    });
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
