// Scripts from MCP clients that wait for a person. They live in one chat-panel session
// ("Scripts sent by MCP clients…", in the panel's History) whose cards have Approve, Deny and
// Edit like an agent's. An MCP tool call does not wait (clients time out after about a
// minute): it is told to call again with the same arguments once the person has decided,
// and that call takes the decision (once).
import { EventEmitter } from "node:events";
import type { ApprovalDecision, Approver, ProposedScript } from "../agent/approval.js";
import type { SessionEvent } from "../agent/events.js";
import type { LiveSession, SessionManager } from "../agent/session-manager.js";
import { newSessionId, Transcript } from "../agent/transcript.js";
import type { RunResponse } from "../runs/outcome.js";

export type ApprovalState =
  /** `asked`: this call put the script in front of the person (false: it was already waiting). */
  | { state: "pending"; scriptId: string; sessionId: string; asked: boolean }
  | { state: "approved"; scriptId: string; code: string }
  | { state: "denied"; scriptId: string; reason: string };

interface Entry {
  script: ProposedScript;
  decision: ApprovalDecision | null;
  decidedAt: number;
}

export interface ApprovalQueueOptions {
  dataDir: string;
  sessions: SessionManager;
  /** How long a decision waits for the client's second call before it is forgotten. */
  decisionTtlMs?: number;
  /** Scripts waiting at once; past this a new one is refused (a client looping on new scripts). */
  maxWaiting?: number;
}

const TITLE = "Scripts sent by MCP clients wait here for your approval.";

export class McpApprovalQueue extends EventEmitter<{ event: [SessionEvent] }> implements LiveSession {
  readonly id = newSessionId();
  /** Never "working": the panel follows it only while scripts wait. */
  readonly busy = false;
  private readonly entries = new Map<string, Entry>();
  private transcript: Transcript | null = null;
  private approver: Approver | null = null;
  private stop = new AbortController();

  constructor(private readonly options: ApprovalQueueOptions) {
    super();
  }

  /**
   * The state of the script the request `key` stands for (same code, target and parameters):
   * a decision is handed out once; an unknown key is put before the person.
   */
  request(key: string, script: ProposedScript, app: string): ApprovalState {
    this.forgetOldDecisions();
    const known = this.entries.get(key);
    if (known) {
      const { decision } = known;
      const scriptId = known.script.id;
      if (!decision) return { state: "pending", scriptId, sessionId: this.id, asked: false };
      this.entries.delete(key);
      return decision.approved
        ? { state: "approved", scriptId, code: decision.code ?? known.script.code }
        : { state: "denied", scriptId, reason: decision.reason };
    }
    const waiting = [...this.entries.values()].filter((entry) => !entry.decision).length;
    if (waiting >= (this.options.maxWaiting ?? 20)) {
      return {
        state: "denied",
        scriptId: script.id,
        reason: `${waiting} scripts already wait for approval; ask the user to decide on those first`,
      };
    }
    const entry: Entry = { script, decision: null, decidedAt: 0 };
    this.entries.set(key, entry);
    const approver = this.open(script, app);
    this.emit("event", { type: "script-proposed", script });
    this.emit("event", { type: "approval-needed", script });
    void approver(script, this.stop.signal).then((decision) => {
      entry.decision = decision;
      entry.decidedAt = Date.now();
      this.emit("event", {
        type: "approval-resolved",
        scriptId: script.id,
        approved: decision.approved,
        ...(decision.approved ? {} : { reason: decision.reason }),
      });
      if (!decision.approved) this.record(script, script.code, null, decision.reason);
      // The panel follows this session turn by turn: a turn ends when nothing waits.
      if (![...this.entries.values()].some((other) => !other.decision))
        this.emit("event", { type: "done", stopReason: "end_turn" });
    });
    return { state: "pending", scriptId: script.id, sessionId: this.id, asked: true };
  }

  /** An approved script ran: its card in the panel shows the result; the transcript keeps it. */
  recordRun(script: ProposedScript, code: string, result: RunResponse): void {
    this.emit("event", { type: "script-result", scriptId: script.id, result });
    this.record(script, code, result);
  }

  /** Stop in the panel: every waiting script is denied. */
  cancel(): void {
    this.stop.abort();
    this.stop = new AbortController();
  }

  /** The session is created (transcript, live in the manager) when the first script needs it. */
  private open(script: ProposedScript, app: string): Approver {
    if (this.approver) return this.approver;
    this.transcript = new Transcript(this.options.dataDir, this.id);
    this.transcript.append({
      type: "session",
      id: this.id,
      app,
      hostId: script.hostId,
      model: "mcp",
      approvalMode: "ask",
      createdAt: new Date().toISOString(),
      kind: "mcp",
    });
    this.transcript.append({ type: "message", message: { role: "user", content: TITLE } });
    this.approver = this.options.sessions.attach(this);
    return this.approver;
  }

  private record(script: ProposedScript, code: string, result: RunResponse | null, reason?: string): void {
    this.transcript?.append({
      type: "script",
      scriptId: script.id,
      hostId: result?.hostId ?? script.hostId,
      description: script.description,
      code,
      approved: result !== null,
      outcome: result?.outcome ?? null,
      durationMs: result?.durationMs ?? null,
      ...(result?.error ? { error: result.error.message } : reason ? { error: reason } : {}),
      ...(script.risks.length ? { risks: script.risks } : {}),
    });
  }

  private forgetOldDecisions(): void {
    const before = Date.now() - (this.options.decisionTtlMs ?? 15 * 60_000);
    for (const [key, entry] of this.entries) {
      if (entry.decision && entry.decidedAt < before) this.entries.delete(key);
    }
  }
}
