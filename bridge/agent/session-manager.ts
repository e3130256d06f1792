// Live sessions of this bridge: start, follow up, approve, cancel, watch. A session whose
// bridge restarted is resumed from its transcript on the next message. Besides agent
// conversations, a live session can be a queue of scripts from MCP clients (bridge/mcp):
// the chat panel shows, approves and denies its scripts the same way.

import type { EventEmitter } from "node:events";
import { readOnlyRulesFor } from "../../adapters/classify.js";
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import type { Adapter, LanguageKit } from "../../adapters/types.js";
import type { Capturer } from "../capture/capture.js";
import { ConfigStore } from "../config/config-store.js";
import type { DocsService } from "../docs/docs-service.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { Logger } from "../logger.js";
import type { MacroStore } from "../macros/store.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import type { ApprovalDecision, ApprovalMode, Approver, ProposedScript } from "./approval.js";
import type { SessionEvent } from "./events.js";
import { HistoryIndex } from "./history-search.js";
import { type ModelFlags, resolveModelConfig } from "./model-config.js";
import { createModelProvider, type ModelInfo, type ModelProvider } from "./model-provider.js";
import { AgentSession, type SessionLimits, type SessionParts } from "./session.js";
import { newSessionId, SessionNotFoundError, summarize, Transcript } from "./transcript.js";

/** A session request that cannot be served: the API answers `status` with the code "session". */
export class SessionRequestError extends ScriptwrightError {
  override name = "SessionRequestError";
  constructor(status: number, message: string) {
    super("session", message, { status });
  }
}

export interface StartRequest {
  prompt: string;
  app?: string;
  host?: string;
  model?: string;
  approval?: ApprovalMode;
  limits?: Partial<SessionLimits>;
}

type Listener = (event: SessionEvent, eventId: number) => void;

/** What the manager needs from a live session: an AgentSession, or an attached one (MCP approvals). */
export interface LiveSession extends EventEmitter<{ event: [SessionEvent] }> {
  readonly id: string;
  readonly busy: boolean;
  cancel(): void;
}

interface Live {
  session: LiveSession;
  pending: Map<string, { script: ProposedScript; resolve: (decision: ApprovalDecision) => void }>;
  /** Recent events with their ids, replayed to a watcher that joins late. */
  backlog: Array<{ id: number; event: SessionEvent }>;
  listeners: Set<Listener>;
}

const BACKLOG = 500;

// Event ids grow across bridge restarts (time-based), so a watcher's Last-Event-ID from
// before a restart never hides the events of the resumed session.
let lastEventId = 0;
function nextEventId(): number {
  lastEventId = Math.max(lastEventId + 1, Date.now() * 1000);
  return lastEventId;
}

export interface SessionManagerOptions {
  dataDir: string;
  docs: DocsService;
  dispatcher: Dispatcher;
  pool: HostPool;
  kits: ReadonlyMap<string, LanguageKit>;
  adapters: ReadonlyMap<string, Adapter>;
  macros?: MacroStore;
  logger: Logger;
  /** Pictures of the app for the capture tool and run_script's capture. */
  capturer?: Capturer;
  /** For tests: a fixed model base URL / key instead of the environment. */
  env?: NodeJS.ProcessEnv;
  /** The model settings `serve` was given on its command line (they come before the environment). */
  modelFlags?: ModelFlags;
}

/** A session's provider and model so far, which its next message keeps (unless the provider changed since). */
type ModelChoice = { provider: string; model: string };

export class SessionManager {
  private readonly live = new Map<string, Live>();
  /** Each agent session's parts, so a follow-up can hand it a model client with the current key. */
  private readonly partsOf = new WeakMap<AgentSession, SessionParts>();
  /** config.json against this bridge's environment: read for every session, shown and changed over HTTP. */
  readonly config: ConfigStore;
  /** Every session's scripts and outcomes, searchable (GET /api/sessions/search, search_history). */
  readonly history: HistoryIndex;

  constructor(private readonly options: SessionManagerOptions) {
    this.config = new ConfigStore(options.dataDir, options.env ?? process.env, options.modelFlags);
    this.history = new HistoryIndex(options.dataDir);
    // A key stored before the bridge started is redacted from the first log line on.
    this.config.registerStoredSecrets();
  }

  start(request: StartRequest): { id: string } {
    const selection = this.options.pool.select({ app: request.app, host: request.host });
    if (!selection.ok) throw new SessionRequestError(409, selection.message);
    if (request.approval === "read-only")
      this.requireReadOnlyMode(selection.host.app, selection.host.language);
    const model = this.model(request.model);
    const id = newSessionId();
    const parts = this.parts(model);
    const session = AgentSession.create(id, parts, {
      app: selection.host.app,
      hostId: selection.host.id,
      approvalMode: request.approval ?? "ask",
      approver: this.approverFor(id),
      limits: request.limits,
    });
    this.partsOf.set(session, parts);
    this.track(session);
    this.run(session, request.prompt);
    return { id };
  }

  /** Read-only mode needs the app's list of pure reads in the host's language (fails closed). */
  private requireReadOnlyMode(app: string, language: string): void {
    const adapter = this.options.adapters.get(app);
    const kit = this.options.kits.get(language);
    if (kit && readOnlyRulesFor(adapter, kit)) return;
    throw new SessionRequestError(
      400,
      `read-only mode is not available for ${adapter?.displayName ?? app} (${language}): Scriptwright has no list of its pure reads, so every script would be refused; use approval "ask"`,
    );
  }

  /** Returns the id of the last event before this message: watch from there for the reply. */
  message(id: string, text: string, model?: string): { after: number } {
    const live = this.live.get(id);
    const entry = live ?? this.resume(id, model);
    const session = entry.session;
    if (!(session instanceof AgentSession)) throw notAConversation(id);
    if (session.busy) {
      throw new SessionRequestError(409, `session ${id} is still working; cancel it or wait`);
    }
    // The key is read again for each message: one entered after a "no API key" answer (chat
    // panel, `config set`) counts in the same session. The model stays the session's own.
    const parts = live && this.partsOf.get(session);
    if (parts) parts.model = this.model(model, session.model);
    const after = entry.backlog.at(-1)?.id ?? 0;
    this.run(session, text);
    return { after };
  }

  /**
   * Keeps a session that is not an agent conversation live (scripts from MCP clients):
   * watchable, approvable and cancellable like one. Returns the approver its scripts wait on.
   */
  attach(session: LiveSession): Approver {
    this.track(session);
    return this.approverFor(session.id);
  }

  approve(id: string, scriptId: string, decision: ApprovalDecision): void {
    const entry = this.live.get(id);
    const waiting = entry?.pending.get(scriptId);
    if (!entry || !waiting) {
      throw new SessionRequestError(404, `no script ${scriptId} is waiting for approval in session ${id}`);
    }
    entry.pending.delete(scriptId);
    waiting.resolve(decision);
  }

  cancel(id: string): void {
    const entry = this.live.get(id);
    if (!entry) throw new SessionRequestError(404, `session ${id} is not running`);
    entry.session.cancel();
  }

  /**
   * Replays recent events after `afterEventId` (SSE Last-Event-ID), then streams new ones;
   * returns the unsubscribe function.
   */
  watch(id: string, listener: Listener, afterEventId = 0): () => void {
    const entry = this.live.get(id);
    if (!entry) {
      new Transcript(this.options.dataDir, id).read(); // throws SessionNotFoundError for unknown ids
      throw new SessionRequestError(
        404,
        `session ${id} is not live on this bridge; send a message to continue it`,
      );
    }
    for (const item of entry.backlog) if (item.id > afterEventId) listener(item.event, item.id);
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /** Scripts waiting for a decision: a page reloaded mid-session shows them again. */
  pendingApprovals(id: string): ProposedScript[] {
    return [...(this.live.get(id)?.pending.values() ?? [])].map((waiting) => waiting.script);
  }

  /** Every script waiting for a person, in any live session (the panel points to them). */
  waitingApprovals(): Array<{ sessionId: string; script: ProposedScript }> {
    const waiting: Array<{ sessionId: string; script: ProposedScript }> = [];
    for (const [sessionId, entry] of this.live)
      for (const { script } of entry.pending.values()) waiting.push({ sessionId, script });
    return waiting;
  }

  isBusy(id: string): boolean {
    return this.live.get(id)?.session.busy ?? false;
  }

  cancelAll(): void {
    for (const entry of this.live.values()) entry.session.cancel();
  }

  private resume(id: string, modelName?: string): Live {
    const records = new Transcript(this.options.dataDir, id).read();
    const head = records.find((record) => record.type === "session");
    if (head?.type !== "session") throw new SessionNotFoundError(`no session ${id}`);
    if (head.kind === "mcp") throw notAConversation(id);
    // The host it ran on may be gone (restart): any host of the same app will do.
    const host = this.options.pool.get(head.hostId) ?? null;
    const selection = host ? { ok: true as const, host } : this.options.pool.select({ app: head.app });
    if (!selection.ok) throw new SessionRequestError(409, selection.message);
    const summary = summarize(id, records, new Date().toISOString());
    const model = this.model(
      modelName,
      summary ? { provider: summary.provider, model: summary.model } : undefined,
    );
    const parts = this.parts(model);
    const session = AgentSession.resume(id, parts, {
      hostId: selection.host.id,
      approvalMode: (head.approvalMode as ApprovalMode) ?? "ask",
      approver: this.approverFor(id),
    });
    this.partsOf.set(session, parts);
    return this.track(session);
  }

  private track(session: LiveSession): Live {
    const entry: Live = { session, pending: new Map(), backlog: [], listeners: new Set() };
    session.on("event", (event) => {
      const eventId = nextEventId();
      entry.backlog.push({ id: eventId, event });
      if (entry.backlog.length > BACKLOG) entry.backlog.shift();
      for (const listener of entry.listeners) listener(event, eventId);
    });
    this.live.set(session.id, entry);
    return entry;
  }

  private run(session: AgentSession, text: string): void {
    session.send(text).catch((error: Error) => {
      this.options.logger.error({ session: session.id, err: error.message }, "session failed");
      session.emit("event", { type: "error", kind: "internal", message: error.message });
    });
  }

  /** Approval over HTTP: the script waits until someone posts a decision (or the session stops). */
  private approverFor(id: string): Approver {
    return (script, signal) =>
      new Promise((resolve) => {
        const entry = this.live.get(id);
        if (!entry) return resolve({ approved: false, reason: "the session is gone" });
        const onAbort = () => {
          entry.pending.delete(script.id);
          resolve({ approved: false, reason: "the session was stopped before approval" });
        };
        signal.addEventListener("abort", onAbort, { once: true });
        entry.pending.set(script.id, {
          script,
          resolve: (decision) => {
            signal.removeEventListener("abort", onAbort);
            resolve(decision);
          },
        });
      });
  }

  /**
   * A client with the settings in effect now: config.json is read afresh, so a change needs no
   * restart. The provider and endpoint are always the ones in effect (a person who moved to a
   * local model keeps old sessions off the cloud too); the model is the one asked for, else the
   * session's own while the provider is the same, else the configured one.
   */
  private model(requested?: string, session?: ModelChoice): ModelProvider {
    const flags = { ...this.options.modelFlags, ...(requested ? { model: requested } : {}) };
    const config = resolveModelConfig({ flags, dataDir: this.config.dataDir, env: this.config.env });
    const provider = config.provider ?? "anthropic";
    const keep = !requested && session && session.provider === provider && session.model;
    try {
      return createModelProvider(keep ? { ...config, model: session.model } : config);
    } catch (error) {
      throw new SessionRequestError(503, (error as Error).message);
    }
  }

  /** The models the endpoint in effect offers, and which one a new session would use. */
  async models(
    signal?: AbortSignal,
  ): Promise<{ provider: string; endpoint: string; model: string; models: ModelInfo[] }> {
    const client = this.model();
    return {
      provider: client.provider,
      endpoint: client.endpoint,
      model: client.model,
      models: await client.listModels(signal),
    };
  }

  private parts(model: ModelProvider): SessionParts {
    const { dataDir, docs, dispatcher, pool, kits, adapters, macros, capturer } = this.options;
    return {
      dataDir,
      model,
      docs,
      dispatcher,
      pool,
      kits,
      adapters,
      capturer,
      macros,
      history: this.history,
    };
  }
}

function notAConversation(id: string): SessionRequestError {
  return new SessionRequestError(
    409,
    `session ${id} only holds scripts from MCP clients waiting for approval; start a new chat to talk to the agent`,
  );
}
