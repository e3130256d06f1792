// One JSONL file per session under <data-dir>/sessions/: every message sent to or received
// from the model (enough to continue the conversation after a restart), each script with
// its outcome and timing, token usage, errors. Appended line by line, so a crash loses at
// most the line being written.
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type Anthropic from "@anthropic-ai/sdk";
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import type { RiskFlag } from "../../adapters/types.js";
import { redact } from "../security/redact.js";
import type { Usage } from "./events.js";
import { type PictureRef, SessionPictures } from "./pictures.js";

export type TranscriptRecord =
  | {
      type: "session";
      id: string;
      app: string;
      /** The language its scripts are in (the host's); absent in transcripts from before it was kept. */
      language?: string;
      hostId: string;
      /** Who the model requests went to; absent in transcripts from before there was a choice (anthropic). */
      provider?: string;
      model: string;
      approvalMode: string;
      createdAt: string;
      /** "mcp": scripts from MCP clients waiting for approval, not a conversation (bridge/mcp). */
      kind?: "mcp";
    }
  | { type: "message"; message: Anthropic.MessageParam }
  /** From here on the session's messages go to this provider and model (a follow-up chose another). */
  | { type: "model"; provider: string; model: string }
  | {
      type: "script";
      scriptId: string;
      hostId: string;
      description: string;
      code: string;
      approved: boolean;
      /** A person approved this exact code (not the policy): saved as a macro, it needs no review. */
      byPerson?: boolean;
      outcome: string | null;
      durationMs: number | null;
      error?: string;
      /** Its value when it ended ok and the value is small (a macro saved from it proposes it as a test). */
      value?: unknown;
      /** What the kit flagged when it was proposed, so a reopened session shows it again. */
      risks?: RiskFlag[];
    }
  /** Pictures a tool returned (capture, run_script's capture for `scriptId`): files beside the JSONL. */
  | { type: "pictures"; hostId: string; scriptId?: string; pictures: PictureRef[]; notes: string[] }
  | { type: "usage"; turn: Usage; total: Usage; modelCalls: number }
  | { type: "error"; kind: string; message: string }
  | { type: "done"; stopReason: string };

export type StampedRecord = TranscriptRecord & { at: string };

const ID_PATTERN = /^\d{8}-\d{6}-[a-f0-9]{6}$/;

export class SessionNotFoundError extends ScriptwrightError {
  override name = "SessionNotFoundError";
  constructor(message: string) {
    super("not-found", message, { status: 404 });
  }
}

export function sessionsDir(dataDir: string): string {
  return join(dataDir, "sessions");
}

/** Sortable and readable: 20261124-203015-3fa9c1. */
export function newSessionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

export class Transcript {
  readonly path: string;
  /** The pictures its messages refer to, in a folder beside the JSONL (`<id>.pictures/`). */
  readonly pictures: SessionPictures;

  constructor(
    dataDir: string,
    readonly id: string,
  ) {
    if (!ID_PATTERN.test(id)) throw new SessionNotFoundError(`"${id}" is not a session id`);
    const dir = sessionsDir(dataDir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.path = join(dir, `${id}.jsonl`);
    this.pictures = new SessionPictures(join(dir, `${id}.pictures`));
  }

  append(record: TranscriptRecord): void {
    // Redacted as JSON text: secrets are URL-safe, so JSON never escapes them differently.
    // Pictures go to their own files: base64 would make the JSONL grow by a megabyte a capture.
    const stored =
      record.type === "message" ? { ...record, message: this.pictures.stored(record.message) } : record;
    const line = redact(JSON.stringify({ ...stored, at: new Date().toISOString() }));
    appendFileSync(this.path, `${line}\n`, {
      mode: 0o600,
    });
  }

  read(): StampedRecord[] {
    return readRecords(this.path, this.id);
  }
}

function readRecords(path: string, id: string): StampedRecord[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new SessionNotFoundError(`no session ${id}`);
  }
  const records: StampedRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as StampedRecord);
    } catch {
      // A line cut short by a crash: everything before it is still good.
    }
  }
  return records;
}

export interface SessionSummary {
  id: string;
  app: string;
  /** The language its scripts are in, when the transcript says (else the app's default). */
  language?: string;
  hostId: string;
  /** The provider and model of its latest message. */
  provider: string;
  model: string;
  createdAt: string;
  updatedAt: string;
  /** The first user message, shortened. */
  title: string;
  messages: number;
  scripts: number;
  status: "done" | "error" | "open";
}

export function listSessions(dataDir: string): SessionSummary[] {
  let files: string[];
  try {
    files = readdirSync(sessionsDir(dataDir)).filter((name) => name.endsWith(".jsonl"));
  } catch {
    return [];
  }
  const summaries: SessionSummary[] = [];
  for (const file of files) {
    const id = file.slice(0, -".jsonl".length);
    if (!ID_PATTERN.test(id)) continue;
    const path = join(sessionsDir(dataDir), file);
    const summary = summarize(id, readRecords(path, id), statSync(path).mtime.toISOString());
    if (summary) summaries.push(summary);
  }
  return summaries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export function summarize(id: string, records: StampedRecord[], updatedAt: string): SessionSummary | null {
  const head = records.find((record) => record.type === "session");
  if (head?.type !== "session") return null;
  const firstUser = records.find((record) => record.type === "message" && record.message.role === "user");
  const title = firstUser?.type === "message" ? textOf(firstUser.message) : "";
  const last = [...records].reverse().find((record) => record.type === "done" || record.type === "error");
  const switched = [...records].reverse().find((record) => record.type === "model");
  return {
    id,
    app: head.app,
    ...(head.language ? { language: head.language } : {}),
    hostId: head.hostId,
    provider: switched?.type === "model" ? switched.provider : (head.provider ?? defaultProvider(head)),
    model: switched?.type === "model" ? switched.model : head.model,
    createdAt: head.createdAt,
    updatedAt,
    title: title.length > 80 ? `${title.slice(0, 79)}…` : title,
    messages: records.filter((record) => record.type === "message").length,
    scripts: records.filter((record) => record.type === "script").length,
    status: last?.type === "done" ? "done" : last?.type === "error" ? "error" : "open",
  };
}

/** Transcripts from before there was a choice went to Anthropic; MCP queues have no model of their own. */
function defaultProvider(head: { kind?: "mcp" }): string {
  return head.kind === "mcp" ? "mcp" : "anthropic";
}

export function textOf(message: Anthropic.MessageParam): string {
  if (typeof message.content === "string") return message.content;
  return message.content
    .map((block) => (block.type === "text" ? block.text : ""))
    .join("")
    .trim();
}
