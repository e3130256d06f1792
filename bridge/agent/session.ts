// One conversation: the model reads docs, writes scripts, runs them, reads the outcome and
// iterates, until it answers or a limit is reached. History is kept valid at every step
// (each tool_use gets its tool_result, even on cancel), so a session can always continue.
import { EventEmitter } from "node:events";
import { join } from "node:path";
import type Anthropic from "@anthropic-ai/sdk";
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import type { Adapter, LanguageKit } from "../../adapters/types.js";
import type { Capturer } from "../capture/capture.js";
import type { DocsService } from "../docs/docs-service.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { MacroStore } from "../macros/store.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import { smallValue } from "../runs/small-value.js";
import { redact } from "../security/redact.js";
import type { ApprovalMode, Approver } from "./approval.js";
import { type SessionEvent, type Usage, zeroUsage } from "./events.js";
import type { HistoryIndex } from "./history-search.js";
import { ModelError } from "./model-error.js";
import type { ModelProvider, TurnMessage } from "./model-provider.js";
import { type LiveContext, stablePrompt, systemBlocks } from "./prompt.js";
import { giveUpMessage, type ReplyProblem, replyProblem, retryHint, toolCallProblem } from "./reply-check.js";
import { smallModelPrompt, smallModelTools } from "./small-model.js";
import { runTool, TOOL_DEFINITIONS, type ToolResult } from "./tools.js";
import { type StampedRecord, Transcript } from "./transcript.js";

export interface SessionLimits {
  maxTurns: number;
  /** Output tokens over the whole session. */
  maxOutputTokens: number;
  /** Wall time of one send(), model and scripts included. */
  wallTimeMs: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  maxTurns: 25,
  maxOutputTokens: 64_000,
  wallTimeMs: 15 * 60_000,
};

export interface SessionParts {
  dataDir: string;
  model: ModelProvider;
  docs: DocsService;
  dispatcher: Dispatcher;
  pool: HostPool;
  kits: ReadonlyMap<string, LanguageKit>;
  adapters: ReadonlyMap<string, Adapter>;
  macros?: MacroStore;
  /** Pictures of the app (the capture tool, run_script's capture). */
  capturer?: Capturer;
  /** Every session's scripts, searchable (search_history). */
  history?: HistoryIndex;
}

export interface SessionSettings {
  app: string;
  hostId: string;
  approvalMode: ApprovalMode;
  approver: Approver;
  limits?: Partial<SessionLimits>;
}

export class SessionBusyError extends ScriptwrightError {
  override name = "SessionBusyError";
  constructor(message: string) {
    super("session", message, { status: 409 });
  }
}

export class AgentSession extends EventEmitter<{ event: [SessionEvent] }> {
  readonly messages: Anthropic.MessageParam[] = [];
  readonly usage: Usage = zeroUsage();
  modelCalls = 0;
  private readonly transcript: Transcript;
  private readonly limits: SessionLimits;
  /** The provider and model the transcript last named: a message sent with others records the change. */
  private recordedModel = { provider: "", model: "" };
  private running: AbortController | null = null;

  private constructor(
    readonly id: string,
    private readonly parts: SessionParts,
    readonly settings: SessionSettings,
  ) {
    super();
    this.transcript = new Transcript(parts.dataDir, id);
    this.limits = { ...DEFAULT_LIMITS, ...settings.limits };
  }

  static create(id: string, parts: SessionParts, settings: SessionSettings): AgentSession {
    const session = new AgentSession(id, parts, settings);
    session.recordedModel = { provider: parts.model.provider, model: parts.model.model };
    session.transcript.append({
      type: "session",
      id,
      app: settings.app,
      language: session.languageOf(),
      hostId: settings.hostId,
      provider: parts.model.provider,
      model: parts.model.model,
      approvalMode: settings.approvalMode,
      createdAt: new Date().toISOString(),
    });
    return session;
  }

  /** Continues a session from its transcript (after a bridge restart, or later). */
  static resume(id: string, parts: SessionParts, settings: Omit<SessionSettings, "app">): AgentSession {
    const records = new Transcript(parts.dataDir, id).read();
    const head = records.find((record) => record.type === "session");
    if (head?.type !== "session") throw new Error(`session ${id} has no header`);
    const session = new AgentSession(id, parts, { ...settings, app: head.app });
    session.restore(records);
    return session;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /** Sends a user message and runs the loop until the model answers, fails or is stopped. */
  async send(text: string): Promise<void> {
    if (this.running) throw new SessionBusyError(`session ${this.id} is still working; cancel it or wait`);
    const controller = new AbortController();
    this.running = controller;
    const timer = setTimeout(() => controller.abort(new Error("wall-time")), this.limits.wallTimeMs);
    try {
      this.recordModel();
      this.pushUserText(text);
      await this.loop(controller.signal);
    } finally {
      clearTimeout(timer);
      this.running = null;
    }
  }

  cancel(): void {
    this.running?.abort(new Error("cancelled"));
  }

  /** The provider and model this session's next message goes to. */
  get model(): { provider: string; model: string } {
    return { provider: this.parts.model.provider, model: this.parts.model.model };
  }

  private recordModel(): void {
    const { provider, model } = this.model;
    if (provider === this.recordedModel.provider && model === this.recordedModel.model) return;
    this.recordedModel = { provider, model };
    this.transcript.append({ type: "model", provider, model });
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const kit = this.parts.kits.get(this.languageOf());
    if (!kit) return this.fail("config", `no language kit for ${this.settings.app}`);
    const adapter = this.parts.adapters.get(this.settings.app);
    const small = this.parts.model.smallModel;
    const stable = (small ? smallModelPrompt : stablePrompt)(adapter, this.settings.app, kit);
    const tools = small ? smallModelTools(TOOL_DEFINITIONS) : TOOL_DEFINITIONS;
    const toolNames = tools.map((tool) => tool.name);
    /** The last reply could not be acted on and the model was told: another such reply ends the turn. */
    let hinted = false;
    for (let turn = 0; ; turn++) {
      if (signal.aborted) return this.stopped(signal);
      if (turn >= this.limits.maxTurns)
        return this.fail("limit", `stopped after ${this.limits.maxTurns} model turns (turn limit)`);
      if (this.usage.output >= this.limits.maxOutputTokens) {
        return this.fail(
          "limit",
          `stopped after ${this.usage.output} output tokens (limit ${this.limits.maxOutputTokens})`,
        );
      }
      let message: TurnMessage;
      try {
        message = await this.parts.model.streamTurn(
          {
            system: systemBlocks(stable, this.live()),
            tools,
            messages: withCacheMark(this.messages),
            signal,
            pictureFile: (image) => this.pictureFile(image),
          },
          (delta) => this.emit("event", { type: "text", delta }),
        );
      } catch (error) {
        if (signal.aborted) return this.stopped(signal);
        if (error instanceof ModelError) return this.fail(error.kind, error.message);
        throw error;
      }
      this.countUsage(message.usage);
      const problem = replyProblem(message, toolNames);
      if (problem && hinted) return this.fail("bad-reply", giveUpMessage(problem, this.parts.model.model));
      hinted = problem !== null;
      // An empty assistant turn is not valid history: the hint alone follows the last user turn.
      if (problem?.kind !== "empty") this.pushMessage({ role: "assistant", content: message.content });
      const toolUses = message.content.filter(
        (block): block is Anthropic.ToolUseBlock => block.type === "tool_use",
      );
      if (toolUses.length) {
        await this.answerTools(toolUses, kit, adapter, signal, (use) =>
          toolCallProblem(use, message, toolNames),
        );
        continue;
      }
      if (problem) {
        this.hint(problem, toolNames);
        continue;
      }
      this.transcript.append({ type: "done", stopReason: message.stop_reason ?? "end_turn" });
      this.emit("event", { type: "done", stopReason: message.stop_reason ?? "end_turn" });
      return;
    }
  }

  /** Where a picture in the history is kept, for a model that cannot be shown it (its file is named by its content). */
  private pictureFile(image: Anthropic.ImageBlockParam): string | undefined {
    if (image.source.type !== "base64") return undefined;
    const { pictures } = this.transcript;
    return join(
      pictures.dir,
      pictures.save(Buffer.from(image.source.data, "base64"), image.source.media_type),
    );
  }

  /** Tells the model what was wrong with a reply the loop could not act on. */
  private hint(problem: ReplyProblem, toolNames: readonly string[]): void {
    const text = retryHint(problem, toolNames);
    if (text) this.pushUserText(text);
  }

  /** Runs each tool the model asked for; every tool_use gets a tool_result, even when stopped. */
  private async answerTools(
    toolUses: Anthropic.ToolUseBlock[],
    kit: LanguageKit,
    adapter: Adapter | undefined,
    signal: AbortSignal,
    problemOf: (use: Anthropic.ToolUseBlock) => string | null,
  ): Promise<void> {
    const results: Anthropic.ToolResultBlockParam[] = [];
    try {
      for (const use of toolUses) {
        if (signal.aborted) break;
        // A call that cannot run is answered with what was wrong, so the model can fix it.
        const problem = problemOf(use);
        if (problem) {
          results.push({
            type: "tool_result",
            tool_use_id: use.id,
            content: `not run: ${problem}`,
            is_error: true,
          });
          continue;
        }
        this.emit("event", { type: "tool", name: use.name, input: use.input });
        const result = await runTool(use.name, use.input, {
          app: this.settings.app,
          hostId: this.settings.hostId,
          adapter,
          kit,
          docs: this.parts.docs,
          dispatcher: this.parts.dispatcher,
          pool: this.parts.pool,
          macros: this.parts.macros,
          history: this.parts.history,
          session: { id: this.id, scriptFor: (code) => this.scriptFor(code) },
          capturer: this.parts.capturer,
          pictures: this.transcript.pictures,
          approvalMode: this.settings.approvalMode,
          approver: this.settings.approver,
          emit: (event) => this.emit("event", event),
          moveToHost: (hostId) => {
            this.settings.hostId = hostId;
          },
          signal,
        });
        this.recordScript(use, result);
        if (result.pictures) this.transcript.append({ type: "pictures", ...result.pictures });
        results.push({
          type: "tool_result",
          tool_use_id: use.id,
          content: toolResultContent(result),
          is_error: result.isError,
        });
      }
    } finally {
      for (const use of toolUses.slice(results.length)) {
        results.push({
          type: "tool_result",
          tool_use_id: use.id,
          content: "not run: the user stopped the session",
          is_error: true,
        });
      }
      this.pushMessage({ role: "user", content: results });
    }
  }

  /** The last script of this session that ran this exact code (what save_macro records). */
  private scriptFor(
    code: string,
  ): { scriptId: string; byPerson: boolean; ok: boolean; value?: unknown } | undefined {
    const records = this.transcript.read();
    let found: { scriptId: string; byPerson: boolean; ok: boolean; value?: unknown } | undefined;
    for (const record of records) {
      if (record.type !== "script" || !record.approved || record.code !== code) continue;
      // The latest run names the script (and its value); any run a person approved vouches for the text.
      found = {
        scriptId: record.scriptId,
        byPerson: (found?.byPerson ?? false) || record.byPerson === true,
        ok: record.outcome === "ok",
        ...("value" in record ? { value: record.value } : {}),
      };
    }
    return found;
  }

  private recordScript(use: Anthropic.ToolUseBlock, result: ToolResult): void {
    if (!result.run) return;
    const input = use.input as { description?: string };
    const run = result.run.result;
    this.transcript.append({
      type: "script",
      scriptId: result.run.scriptId,
      hostId: run?.hostId ?? this.settings.hostId,
      description: input.description ?? use.name,
      code: result.run.code,
      approved: result.run.approved,
      ...(result.run.byPerson ? { byPerson: true } : {}),
      outcome: run?.outcome ?? null,
      durationMs: run?.durationMs ?? null,
      ...(run?.error ? { error: run.error.message } : {}),
      ...(run?.outcome === "ok" && smallValue(run.value ?? null) !== undefined
        ? { value: run.value ?? null }
        : {}),
      ...(result.run.risks.length ? { risks: result.run.risks } : {}),
    });
  }

  /** A follow-up after a failed turn joins the pending user message: turns must alternate. */
  private pushUserText(text: string): void {
    const last = this.messages.at(-1);
    if (last?.role === "user") {
      const blocks =
        typeof last.content === "string"
          ? [{ type: "text" as const, text: last.content }]
          : [...last.content];
      blocks.push({ type: "text", text });
      last.content = blocks;
      this.transcript.append({
        type: "message",
        message: { role: "user", content: [{ type: "text", text }] },
      });
      return;
    }
    this.pushMessage({ role: "user", content: text });
  }

  private pushMessage(message: Anthropic.MessageParam): void {
    this.messages.push(message);
    this.transcript.append({ type: "message", message });
  }

  private restore(records: StampedRecord[]): void {
    for (const record of records) {
      if (record.type === "session") {
        this.recordedModel = { provider: record.provider ?? "anthropic", model: record.model };
      } else if (record.type === "model") {
        this.recordedModel = { provider: record.provider, model: record.model };
      } else if (record.type === "message") {
        // Pictures come back from their files (the JSONL names them).
        const message = this.transcript.pictures.loaded(record.message);
        const last = this.messages.at(-1);
        if (message.role === "user" && last?.role === "user") {
          const blocks =
            typeof last.content === "string"
              ? [{ type: "text" as const, text: last.content }]
              : [...last.content];
          const more =
            typeof message.content === "string"
              ? [{ type: "text" as const, text: message.content }]
              : message.content;
          last.content = [...blocks, ...more];
        } else {
          this.messages.push(structuredClone(message));
        }
      } else if (record.type === "usage") {
        Object.assign(this.usage, record.total);
        this.modelCalls = record.modelCalls;
      }
    }
  }

  private countUsage(usage: Anthropic.Usage): void {
    const turn: Usage = {
      input: usage.input_tokens ?? 0,
      output: usage.output_tokens ?? 0,
      cacheRead: usage.cache_read_input_tokens ?? 0,
      cacheWrite: usage.cache_creation_input_tokens ?? 0,
    };
    this.usage.input += turn.input;
    this.usage.output += turn.output;
    this.usage.cacheRead += turn.cacheRead;
    this.usage.cacheWrite += turn.cacheWrite;
    this.modelCalls++;
    this.transcript.append({ type: "usage", turn, total: { ...this.usage }, modelCalls: this.modelCalls });
    this.emit("event", { type: "usage", turn, total: { ...this.usage }, modelCalls: this.modelCalls });
  }

  private live(): LiveContext {
    const host = this.parts.pool.get(this.settings.hostId);
    let docs: string | null = null;
    try {
      // The reference in the session's language (Premiere: UXP or ExtendScript) and host's version.
      const language = this.parts.docs.languageFor(this.settings.app, this.languageOf());
      const version = host
        ? this.parts.docs.versionFor(this.settings.app, host.hello.appVersion, language)
        : undefined;
      const listing = this.parts.docs.ls(this.settings.app, "", { version, language });
      const several = this.parts.docs.trees(this.settings.app).length > 1;
      docs = `${this.settings.app}${several ? ` ${listing.language}` : ""} ${listing.version}`;
    } catch {
      docs = null;
    }
    return {
      hostId: this.settings.hostId,
      appVersion: host?.hello.appVersion ?? "unknown (host not connected)",
      document: host?.document ?? null,
      docs,
    };
  }

  private languageOf(): string {
    return (
      this.parts.pool.get(this.settings.hostId)?.language ??
      this.parts.adapters.get(this.settings.app)?.language ??
      ""
    );
  }

  private stopped(signal: AbortSignal): void {
    const reason =
      signal.reason instanceof Error && signal.reason.message === "wall-time" ? "wall-time" : "cancelled";
    if (reason === "wall-time") {
      this.fail("limit", `stopped after ${this.limits.wallTimeMs} ms (wall-time limit)`);
      return;
    }
    this.transcript.append({ type: "done", stopReason: "cancelled" });
    this.emit("event", { type: "done", stopReason: "cancelled" });
  }

  private fail(kind: string, message: string): void {
    this.transcript.append({ type: "error", kind, message });
    this.emit("event", { type: "error", kind, message });
  }
}

/** A tool's answer as the model reads it: the text, then its pictures as image blocks. */
function toolResultContent(result: ToolResult): Anthropic.ToolResultBlockParam["content"] {
  const text = redact(result.content);
  if (!result.images?.length) return text;
  return [
    { type: "text", text },
    ...result.images.map((image) => ({
      type: "image" as const,
      source: { type: "base64" as const, media_type: image.mediaType, data: image.data },
    })),
  ];
}

/**
 * The request's copy of the history with a cache mark on its last block, so each turn
 * reads the conversation so far from the cache instead of paying for it again.
 */
function withCacheMark(messages: Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const last = messages.at(-1);
  if (!last) return messages;
  const blocks =
    typeof last.content === "string" ? [{ type: "text" as const, text: last.content }] : last.content;
  const tail = blocks.at(-1);
  if (!tail || (tail.type !== "text" && tail.type !== "tool_result")) return messages;
  const marked = [...blocks.slice(0, -1), { ...tail, cache_control: { type: "ephemeral" as const } }];
  return [...messages.slice(0, -1), { ...last, content: marked } as Anthropic.MessageParam];
}
