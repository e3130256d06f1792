// One connected app instance: its socket, its identity, and a serial queue of runs
// (app script engines are single-threaded, so at most one run is in the app at a time).

import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type WebSocket from "ws";
import type { Logger } from "../logger.js";
import type { BridgeMessage, Hello, Result } from "../protocol/messages.js";
import { redact } from "../security/redact.js";

export interface HostInfo {
  id: string;
  app: string;
  appVersion: string;
  language: string;
  name: string;
  document: string | null;
  busy: boolean;
  managed: boolean;
  /** `managed`: a headless instance the bridge started; `interactive`: an app a person opened. */
  kind: "managed" | "interactive";
  queued: number;
  capabilities: string[];
  connectedAt: string;
  /** Last sign of use (see Host.activeAt): runs by app go to the most recent interactive host. */
  activeAt: string;
}

/** What the host did with one run, before any language kit looked at it. */
export type DispatchResult =
  | { kind: "result"; result: Result; hostId: string }
  | { kind: "not-dispatched"; message: string; hostId: string }
  | { kind: "timeout"; message: string; hostId: string }
  | { kind: "host-lost"; message: string; hostId: string };

export interface DispatchRequest {
  language: string;
  code: string;
  timeoutMs: number;
  /** How long the run may wait behind others before it is given up as not dispatched. */
  queueTimeoutMs: number;
  signal?: AbortSignal;
}

interface Pending {
  id: string;
  request: DispatchRequest;
  resolve: (result: DispatchResult) => void;
  queueTimer?: NodeJS.Timeout;
  onAbort?: () => void;
}

interface InFlight extends Pending {
  runTimer: NodeJS.Timeout;
}

export interface HostOptions {
  maxQueue: number;
  logger: Logger;
}

let activitySeq = 0;

export class Host extends EventEmitter<{ "run-timeout": [runId: string]; closed: [] }> {
  readonly connectedAt = new Date();
  managed = false;
  /** Set by the supervisor: a managed host still stuck this long after a timeout is restarted. */
  restartAfterHangMs: number | null = null;
  /**
   * When the host was last active: it connected, finished a run, or reported an event (the
   * user opened or saved a document). Among the apps a person opened, the one they last worked
   * in is the likeliest target of a run that names only the app.
   */
  private lastActive = this.connectedAt;
  /** The same order without ties between two signs in one millisecond. */
  private activeSeq = ++activitySeq;
  private openDocument: string | null = null;
  /** Language kit setups this connection has run (see KitSetup). */
  readonly prepared = new Set<string>();
  private readonly queue: Pending[] = [];
  private inFlight: InFlight | null = null;
  /** A run that timed out: the app may still be executing it, so nothing else is sent until it answers. */
  private stuckRunId: string | null = null;
  private closed = false;

  constructor(
    readonly id: string,
    readonly hello: Hello,
    private readonly socket: WebSocket,
    private readonly options: HostOptions,
  ) {
    super();
    this.document = hello.document ?? null;
  }

  /** The open document as the host reported it. A script can name a document anything, the
   * bridge's secrets included, and this name reaches the model and every client. */
  get document(): string | null {
    return this.openDocument;
  }

  set document(name: string | null) {
    this.openDocument = name === null ? null : redact(name);
  }

  get app(): string {
    return this.hello.app;
  }

  get language(): string {
    return this.hello.language;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs waiting plus the one in the app: the pool sends new work to the least loaded host. */
  get load(): number {
    return this.queue.length + (this.inFlight || this.stuckRunId ? 1 : 0);
  }

  get stuckRun(): string | null {
    return this.stuckRunId;
  }

  get activeAt(): Date {
    return this.lastActive;
  }

  /** Higher is more recent, across all hosts. */
  get activity(): number {
    return this.activeSeq;
  }

  /** A sign of use from the app (an event frame, a finished run). */
  touch(): void {
    this.lastActive = new Date();
    this.activeSeq = ++activitySeq;
  }

  speaks(language: string): boolean {
    return this.hello.language === language || this.hello.capabilities.includes(language);
  }

  info(): HostInfo {
    return {
      id: this.id,
      app: this.hello.app,
      appVersion: this.hello.appVersion,
      language: this.hello.language,
      name: redact(this.hello.name),
      document: this.document,
      busy: this.inFlight !== null || this.stuckRunId !== null,
      managed: this.managed,
      kind: this.managed ? "managed" : "interactive",
      queued: this.queue.length,
      capabilities: this.hello.capabilities,
      connectedAt: this.connectedAt.toISOString(),
      activeAt: this.lastActive.toISOString(),
    };
  }

  dispatch(request: DispatchRequest): Promise<DispatchResult> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve({ kind: "not-dispatched", message: `host ${this.id} has disconnected`, hostId: this.id });
        return;
      }
      if (this.queue.length >= this.options.maxQueue) {
        resolve({
          kind: "not-dispatched",
          message: `host ${this.id} is busy: ${this.queue.length} runs are already waiting`,
          hostId: this.id,
        });
        return;
      }
      const pending: Pending = { id: randomUUID(), request, resolve };
      pending.queueTimer = setTimeout(() => this.giveUpWaiting(pending), request.queueTimeoutMs);
      if (request.signal) {
        if (request.signal.aborted) {
          clearTimeout(pending.queueTimer);
          resolve({
            kind: "not-dispatched",
            message: "the run was cancelled before it was sent",
            hostId: this.id,
          });
          return;
        }
        pending.onAbort = () => this.abort(pending);
        request.signal.addEventListener("abort", pending.onAbort, { once: true });
      }
      this.queue.push(pending);
      this.pump();
    });
  }

  /** A `result` frame from the panel. */
  handleResult(result: Result): void {
    this.touch();
    const current = this.inFlight;
    if (current && current.id === result.id) {
      this.inFlight = null;
      clearTimeout(current.runTimer);
      this.detachAbort(current);
      current.resolve({ kind: "result", result, hostId: this.id });
      this.pump();
      return;
    }
    if (this.stuckRunId === result.id) {
      this.options.logger.info(
        { host: this.id, run: result.id },
        "late result for a timed-out run; host is free again",
      );
      this.stuckRunId = null;
      this.pump();
      return;
    }
    this.options.logger.warn({ host: this.id, run: result.id }, "result for an unknown run ignored");
  }

  /** The socket closed: the run in the app is lost, queued runs were never sent. */
  handleClose(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const current = this.inFlight;
    this.inFlight = null;
    if (current) {
      clearTimeout(current.runTimer);
      this.detachAbort(current);
      current.resolve({
        kind: "host-lost",
        message: `connection to ${this.id} dropped while the run was executing (${reason}); its effect in the app is unknown`,
        hostId: this.id,
      });
    }
    for (const pending of this.queue.splice(0)) {
      clearTimeout(pending.queueTimer);
      this.detachAbort(pending);
      pending.resolve({
        kind: "not-dispatched",
        message: `host ${this.id} disconnected before the run was sent (${reason})`,
        hostId: this.id,
      });
    }
    this.emit("closed");
  }

  /** What a timeout costs on a managed host that does not stop: the next run must not be a surprise. */
  private restartWarning(): string {
    if (this.restartAfterHangMs === null) return "";
    const seconds = Math.round(this.restartAfterHangMs / 100) / 10;
    return `; if it does not stop within ${seconds} s, ${this.id} is restarted and unsaved changes to ${describeDocument(this.document)} are lost`;
  }

  /** Drops the connection now (a managed slot's stale socket once its new process said hello). */
  drop(reason: string): void {
    this.handleClose(reason);
    this.socket.terminate();
  }

  send(message: BridgeMessage): void {
    if (this.closed) return;
    this.socket.send(JSON.stringify(message));
  }

  private pump(): void {
    if (this.closed || this.inFlight || this.stuckRunId) return;
    const next = this.queue.shift();
    if (!next) return;
    clearTimeout(next.queueTimer);
    const { timeoutMs, language, code } = next.request;
    const runTimer = setTimeout(() => this.timeOut(), timeoutMs);
    this.inFlight = { ...next, runTimer };
    this.send({ type: "run", id: next.id, language, code, timeoutMs });
  }

  private timeOut(): void {
    const current = this.inFlight;
    if (!current) return;
    this.inFlight = null;
    this.stuckRunId = current.id;
    this.detachAbort(current);
    this.send({ type: "cancel", id: current.id });
    current.resolve({
      kind: "timeout",
      message:
        `no answer from ${this.id} within ${current.request.timeoutMs} ms; the script may still be running ` +
        "and its effect in the app is unknown (it was asked to cancel and will not be retried)" +
        this.restartWarning(),
      hostId: this.id,
    });
    this.emit("run-timeout", current.id);
  }

  private giveUpWaiting(pending: Pending): void {
    const index = this.queue.indexOf(pending);
    if (index < 0) return;
    this.queue.splice(index, 1);
    this.detachAbort(pending);
    pending.resolve({
      kind: "not-dispatched",
      message: `host ${this.id} stayed busy for ${pending.request.queueTimeoutMs} ms; the run was not sent`,
      hostId: this.id,
    });
  }

  /** Cancel: a queued run is dropped; a running one gets a best-effort `cancel` and keeps its timeout. */
  private abort(pending: Pending): void {
    const index = this.queue.indexOf(pending);
    if (index >= 0) {
      this.queue.splice(index, 1);
      clearTimeout(pending.queueTimer);
      pending.resolve({
        kind: "not-dispatched",
        message: "the run was cancelled before it was sent",
        hostId: this.id,
      });
      return;
    }
    if (this.inFlight?.id === pending.id) this.send({ type: "cancel", id: pending.id });
  }

  private detachAbort(pending: Pending): void {
    if (pending.onAbort) pending.request.signal?.removeEventListener("abort", pending.onAbort);
  }
}

/** A document as messages name it. */
export function describeDocument(document: string | null): string {
  return document ? document : "the untitled document";
}
