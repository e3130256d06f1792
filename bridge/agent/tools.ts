// The agent's tools. Names and inputs are part of the contract (DESIGN.md). Each returns
// compact text for the model; anything long is cut with a marker saying how to get more.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import { classify } from "../../adapters/classify.js";
import { DocsError } from "../../adapters/shared/docs-errors.js";
import type { Adapter, LanguageKit, RiskFlag } from "../../adapters/types.js";
import { CaptureOptions } from "../capture/request.js";
import type { DocsService } from "../docs/docs-service.js";
import type { HostPool } from "../hosts/host-pool.js";
import { MacroError } from "../macros/errors.js";
import type { MacroStore } from "../macros/store.js";
import type { Dispatcher, RunCall } from "../runs/dispatcher.js";
import type { RunResponse } from "../runs/outcome.js";
import { probeState } from "../runs/state-probe.js";
import {
  cap,
  formatDocPage,
  formatListing,
  formatRun as formatRunText,
  formatSearch,
  type TextLimits,
} from "../tool-text.js";
import { firstIssueText } from "../zod-issue.js";
import { type ApprovalMode, type Approver, type ProposedScript, policyVerdict } from "./approval.js";
import { type CaptureToolContext, type ToolImage, type ToolPictures, takePicture } from "./capture-tool.js";
import type { SessionEvent } from "./events.js";
import type { HistoryIndex } from "./history-search.js";

export const MAX_TOOL_RESULT_CHARS = 12_000;
const LIMITS: TextLimits = { maxChars: MAX_TOOL_RESULT_CHARS, maxLogChars: 4_000 };

const inputs = {
  search_docs: z.object({
    query: z.string().describe("words or a symbol, e.g. 'add text layer' or 'CompItem.layers'"),
    app: z.string().optional().describe("another app's docs (default: this session's app)"),
    limit: z.number().int().min(1).max(20).optional(),
  }),
  read_doc: z.object({
    path: z.string().describe("a path from search_docs or list_docs, e.g. classes/CompItem.md#layers"),
    offset: z.number().int().min(0).optional().describe("character offset of the page to read"),
    limit: z.number().int().min(500).max(8000).optional().describe("characters to read (default 8000)"),
  }),
  list_docs: z.object({
    path: z.string().optional().describe("a folder such as classes/ (default: the root)"),
  }),
  run_script: z.object({
    code: z.string().describe("the whole script"),
    description: z.string().describe("one line: what the script does, shown to the user"),
    host: z.string().optional().describe("a host id (default: this session's host)"),
    capture: CaptureOptions.optional().describe("also return a picture of the result (as capture takes)"),
  }),
  get_app_state: z.object({ host: z.string().optional() }),
  capture: CaptureOptions.extend({ host: z.string().optional() }),
  save_macro: z.object({
    name: z.string(),
    description: z.string(),
    code: z.string(),
    params: z.record(z.string(), z.unknown()).describe("JSON Schema of the parameters"),
    tests: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe("[{name, params, expect: {value}}] run on a new document; default: your run's value"),
  }),
  run_macro: z.object({
    name: z.string(),
    params: z.record(z.string(), z.unknown()).optional(),
    host: z.string().optional(),
  }),
  search_history: z.object({ query: z.string().describe("words, e.g. 'bevel modifier'") }),
} as const;

export type ToolName = keyof typeof inputs;

const descriptions: Record<ToolName, string> = {
  search_docs: "Search this app's API reference (exact version). Returns paths, symbols and snippets.",
  read_doc: "Read a reference file or member (≤ 8 KB a call; the result says the offset of the next page).",
  list_docs: "List the reference tree: groups at the root, files in a group.",
  run_script:
    "Run a script in the app. Returns the outcome, the value of its last expression, logs, or the error with its line.",
  get_app_state: "Summarise what is open in the app (document, selection, counts).",
  capture:
    "See the document: a picture of the app (Blender: the camera, or the viewport in the UI; several frames or views make one labelled sheet).",
  save_macro: "Save a script that worked as a reusable macro with typed parameters and tests.",
  run_macro: "Run a saved macro with parameters.",
  search_history: "Search earlier sessions' scripts in this app: what worked, what failed.",
};

export const TOOL_DEFINITIONS: Anthropic.Tool[] = (Object.keys(inputs) as ToolName[]).map((name) => ({
  name,
  description: descriptions[name],
  input_schema: z.toJSONSchema(inputs[name], { target: "draft-2020-12" }) as Anthropic.Tool.InputSchema,
}));

export interface ToolContext {
  app: string;
  hostId: string;
  adapter: Adapter | undefined;
  kit: LanguageKit;
  docs: DocsService;
  dispatcher: Dispatcher;
  pool: HostPool;
  /** Saved macros (save_macro / run_macro); absent = the macro tools say they are unavailable. */
  macros?: MacroStore;
  /** Every session's scripts (search_history); absent = the tool says it is unavailable. */
  history?: HistoryIndex;
  /** The session the tools run for: recorded as a saved macro's source. */
  session?: {
    id: string;
    /**
     * The session's last run of this exact code, whether a person approved it, and, when it
     * ended ok, its value (what save_macro proposes as a test).
     */
    scriptFor(
      code: string,
    ): { scriptId: string; byPerson: boolean; ok?: boolean; value?: unknown } | undefined;
  };
  /** Pictures of the app (capture, run_script's capture): absent = capture says it is unavailable. */
  capturer?: CaptureToolContext["capturer"];
  /** Where the session keeps the pictures its tools return. */
  pictures?: CaptureToolContext["pictures"];
  approvalMode: ApprovalMode;
  approver: Approver;
  emit: (event: SessionEvent) => void;
  /** The session's host went away and this one of the same app replaces it. */
  moveToHost: (hostId: string) => void;
  signal: AbortSignal;
}

export interface ToolResult {
  content: string;
  isError: boolean;
  /** Pictures that go to the model with the text, as image blocks of the tool result. */
  images?: ToolImage[];
  /** The same pictures as stored files, for the transcript. */
  pictures?: ToolPictures;
  /** Set for run_script and get_app_state, for the transcript. */
  run?: {
    scriptId: string;
    code: string;
    result: RunResponse | null;
    approved: boolean;
    /** A person approved it (not the policy). */
    byPerson?: boolean;
    risks: RiskFlag[];
  };
}

export async function runTool(name: string, rawInput: unknown, ctx: ToolContext): Promise<ToolResult> {
  if (!(name in inputs)) return error(`unknown tool "${name}"`);
  const parsed = inputs[name as ToolName].safeParse(rawInput);
  if (!parsed.success) return error(`invalid input for ${name}: ${firstIssueText(parsed.error, "input")}`);
  const input = parsed.data as Record<string, unknown>;
  try {
    switch (name as ToolName) {
      case "search_docs": {
        const { query, app, limit } = inputs.search_docs.parse(input);
        const target = app ?? ctx.app;
        const tree = hostDocs(ctx, target);
        await ctx.docs.ready(target, tree.version, tree.language);
        return ok(formatSearch(ctx.docs.search(target, query, { limit: limit ?? 8, ...tree }), query));
      }
      case "read_doc": {
        const { path, offset, limit } = inputs.read_doc.parse(input);
        const tree = hostDocs(ctx, ctx.app);
        await ctx.docs.ready(ctx.app, tree.version, tree.language);
        return ok(formatDocPage(ctx.docs.read(ctx.app, path, { offset, ...tree }), { limit }));
      }
      case "list_docs": {
        const { path } = inputs.list_docs.parse(input);
        const tree = hostDocs(ctx, ctx.app);
        await ctx.docs.ready(ctx.app, tree.version, tree.language);
        return ok(formatListing(ctx.docs.ls(ctx.app, path ?? "", tree)));
      }
      case "run_script":
        return await runScript(inputs.run_script.parse(input), ctx);
      case "get_app_state": {
        const { host } = inputs.get_app_state.parse(input);
        const target = { hostId: host ?? ctx.hostId, adapter: ctx.adapter, language: ctx.kit.language };
        const run = probeState(ctx.dispatcher, target, ctx.signal);
        if (!run) return error(`no state probe for ${ctx.app}`);
        const result = await run;
        return { content: formatRun(result), isError: result.outcome !== "ok" };
      }
      case "capture": {
        const { host, ...options } = inputs.capture.parse(input);
        const answer = await takePicture(options, host, ctx);
        return {
          content: answer.text,
          isError: !answer.ok,
          images: answer.images,
          pictures: answer.pictures,
        };
      }
      case "save_macro":
        return await saveMacro(inputs.save_macro.parse(input), ctx);
      case "run_macro":
        return await runMacro(inputs.run_macro.parse(input), ctx);
      case "search_history":
        return searchHistory(inputs.search_history.parse(input), ctx);
    }
  } catch (caught) {
    if (caught instanceof DocsError || caught instanceof MacroError) return error(caught.message);
    throw caught;
  }
}

/**
 * The session's own reference of the app: in the language the session speaks (a UXP Premiere
 * host reads the UXP tree, a CEP one the ExtendScript tree) and the host's version when that
 * tree is built; else the defaults.
 */
export function hostDocs(
  ctx: Pick<ToolContext, "app" | "hostId" | "pool" | "docs" | "kit">,
  app: string,
): { version?: string; language?: string } {
  if (app !== ctx.app) return {};
  const language = ctx.docs.languageFor(app, ctx.kit?.language);
  const host = ctx.pool.get(ctx.hostId);
  const version = host ? ctx.docs.versionFor(app, host.hello.appVersion, language) : undefined;
  return { version, language };
}

const MACROS_UNAVAILABLE = "macros are not available in this bridge; use run_script";

async function saveMacro(input: z.infer<typeof inputs.save_macro>, ctx: ToolContext): Promise<ToolResult> {
  if (!ctx.macros) return error(MACROS_UNAVAILABLE);
  const session = ctx.session;
  const script = session?.scriptFor(input.code);
  const scriptId = script?.scriptId;
  let replace = false;
  if (session) {
    // The session may improve a macro it saved itself; anyone else's is left alone.
    try {
      const existing = ctx.macros.get(input.name);
      replace =
        !existing.starter && existing.source.kind === "session" && existing.source.sessionId === session.id;
    } catch {
      replace = false;
    }
  }
  const proposed = input.tests === undefined && script?.ok ? proposedTest(script.value, ctx) : undefined;
  const tests = input.tests ?? (proposed ? [proposed] : undefined);
  // A check is code too: a person's approval of the script covers no check they never saw.
  const checks = (tests ?? []).some(
    (test) => (test as { expect?: { check?: unknown } }).expect?.check !== undefined,
  );
  const saved = await ctx.macros.save(
    {
      name: input.name,
      app: ctx.app,
      language: ctx.kit.language,
      description: input.description,
      code: input.code,
      // Models often leave out the schema's `type` ({} for no parameters): it can only be "object".
      params: { type: "object", ...input.params },
      ...(tests ? { tests } : {}),
      source: session
        ? { kind: "session", sessionId: session.id, ...(scriptId ? { scriptId } : {}) }
        : { kind: "api" },
    },
    // The exact text a person approved in this session needs no second review.
    { replace, ...(script?.byPerson && !checks ? { review: "approved-run" as const } : {}) },
  );
  const names = Object.keys(saved.params.properties ?? {});
  const notes = [
    scriptId ? "" : "\nnote: this code was not run in this session; test it with run_macro",
    proposed
      ? `\nnote: added test "${proposed.name}" expecting your run's ${"value" in proposed.expect ? `value ${JSON.stringify(proposed.expect.value)}` : "value's type"} on ${proposed.fixture ?? "a new document"}; if that differs there, save again with tests`
      : saved.tests?.length
        ? ""
        : "\nnote: no tests: give tests (cases a new document can pass) so batches can check it first",
    saved.reviewed
      ? ""
      : "\nnote: unreviewed until the user approves it: run_macro asks the user like run_script",
  ].join("");
  return ok(
    `${replace ? "updated" : "saved"} macro ${saved.name} (${saved.app}, ${saved.language}; params: ${names.length ? names.join(", ") : "none"}) as version ${saved.version} with ${saved.tests?.length ?? 0} test(s)${notes}`,
  );
}

/** Values above this size are proposed as their type, not as themselves. */
const MAX_PROPOSED_VALUE_CHARS = 2000;

/**
 * A test from the session's run of this exact code: the value it got, on the document the
 * host has open when that is a file (else a new document).
 */
function proposedTest(
  value: unknown,
  ctx: ToolContext,
): {
  name: string;
  fixture?: string;
  params: Record<string, never>;
  expect: { value?: unknown; schema?: object };
} {
  const text = JSON.stringify(value ?? null);
  const document = ctx.pool.get(ctx.hostId)?.document;
  const fixture = document && isAbsolute(document) && existsSync(document) ? document : undefined;
  const type = value === null || value === undefined ? "null" : Array.isArray(value) ? "array" : typeof value;
  return {
    name: "as in the session",
    ...(fixture ? { fixture } : {}),
    params: {},
    expect: text.length <= MAX_PROPOSED_VALUE_CHARS ? { value: value ?? null } : { schema: { type } },
  };
}

function searchHistory(input: z.infer<typeof inputs.search_history>, ctx: ToolContext): ToolResult {
  if (!ctx.history) return error("the history of sessions is not available in this bridge");
  const hits = ctx.history.search(input.query, {
    app: ctx.app,
    limit: 5,
    ...(ctx.session ? { excludeSession: ctx.session.id } : {}),
  });
  if (!hits.length) return ok(`no earlier ${ctx.app} scripts match "${input.query}"`);
  return ok(
    hits
      .map(
        (hit) =>
          `${hit.outcome} · ${hit.description} (session ${hit.sessionId}, ${hit.at.slice(0, 10)})${hit.error ? `\n  error: ${hit.error}` : ""}\n${hit.snippet.replace(/^/gm, "  ")}`,
      )
      .join("\n"),
  );
}

/**
 * A macro a person made or approved runs without asking, except in read-only mode (the usual
 * rule) and when the kit flags its code (asked in `ask` mode). One an agent saved and nobody
 * approved is asked like run_script; a person approving that run unedited approves the macro.
 */
async function runMacro(input: z.infer<typeof inputs.run_macro>, ctx: ToolContext): Promise<ToolResult> {
  if (!ctx.macros) return error(MACROS_UNAVAILABLE);
  const { macro, params } = ctx.macros.prepareRun(input.name, input.params);
  if (macro.app !== ctx.app)
    return error(`macro ${macro.name} is for ${macro.app}; this session works in ${ctx.app}`);
  if (macro.language !== ctx.kit.language)
    return error(
      `macro ${macro.name} is written in ${macro.language}; this session's host runs ${ctx.kit.language}`,
    );
  const macros = ctx.macros;
  return proposeAndRun(
    {
      code: macro.code,
      description: `macro ${macro.name}${macro.reviewed ? "" : " (saved by an agent, unreviewed)"}: ${macro.description}`,
      host: input.host,
      wrap: { params },
      reviewed: macro.reviewed,
      onPersonApproved: () => macros.approveRun(macro.name, macro.hash),
    },
    ctx,
  );
}

function runScript(input: z.infer<typeof inputs.run_script>, ctx: ToolContext): Promise<ToolResult> {
  return proposeAndRun(input, ctx);
}

interface Proposal {
  code: string;
  description: string;
  host?: string;
  wrap?: RunCall["wrap"];
  /** A macro a person made or approved (see policyVerdict). */
  reviewed?: boolean;
  /** Called when a person approved the code as proposed (not edited). */
  onPersonApproved?: () => unknown;
  /** A picture to take after the run (run_script's `capture`). */
  capture?: CaptureOptions;
}

async function proposeAndRun(input: Proposal, ctx: ToolContext): Promise<ToolResult> {
  const hostId = input.host ?? (await sessionHost(ctx));
  const script: ProposedScript = {
    id: randomUUID(),
    code: input.code,
    description: input.description,
    language: ctx.kit.language,
    hostId,
    ...classify(ctx.kit, ctx.adapter, input.code),
  };
  ctx.emit({ type: "script-proposed", script });
  const verdict = policyVerdict(ctx.approvalMode, script, { reviewed: input.reviewed });
  let code = input.code;
  let byPerson = false;
  if (verdict !== "run") {
    const decision = verdict === "ask" ? await askApprover(script, ctx) : verdict;
    ctx.emit({
      type: "approval-resolved",
      scriptId: script.id,
      approved: decision.approved,
      ...(decision.approved ? {} : { reason: decision.reason }),
    });
    if (!decision.approved) {
      return {
        content: `not run: ${decision.reason}`,
        isError: true,
        run: { scriptId: script.id, code, result: null, approved: false, risks: script.risks },
      };
    }
    if (decision.code !== undefined) code = decision.code;
    byPerson = verdict === "ask";
    if (byPerson && code === input.code) await input.onPersonApproved?.();
  }
  const result = await ctx.dispatcher.run({
    host: hostId,
    code,
    language: ctx.kit.language,
    ...(input.wrap ? { wrap: input.wrap } : {}),
    undoable: true,
    signal: ctx.signal,
  });
  ctx.emit({ type: "script-result", scriptId: script.id, result });
  const edited =
    code !== input.code
      ? "The user edited the script before it ran; this is the result of their version.\n"
      : "";
  const answer: ToolResult = {
    content: `${edited}${formatRun(result)}`,
    isError: result.outcome !== "ok",
    run: { scriptId: script.id, code, result, approved: true, byPerson, risks: script.risks },
  };
  // A picture of what the script left, also after an error (a half-done change is worth seeing).
  if (!input.capture || (result.outcome !== "ok" && result.outcome !== "error")) return answer;
  const picture = await takePicture(input.capture, result.hostId ?? hostId, ctx, script.id);
  return {
    ...answer,
    content: `${answer.content}\n${picture.text}`,
    images: picture.images,
    pictures: picture.pictures,
  };
}

/**
 * How long a session waits for its app to come back (a managed host restarting: Blender takes
 * several seconds to start, far more on a busy machine). A cancel ends the wait at once.
 */
const HOST_RETURN_MS = 90_000;

/**
 * The session's host, or, when it is gone, another host of the same app: the session moves to
 * it. A managed host comes back under its own id (its supervisor slot's), so the session waits
 * for that rather than move into another app instance (perhaps the person's own Blender).
 * Waits briefly for a host to connect.
 */
async function sessionHost(ctx: ToolContext): Promise<string> {
  if (ctx.pool.get(ctx.hostId)) return ctx.hostId;
  const returning = ctx.pool.ids.isManagedSlot(ctx.hostId);
  const pick = () => {
    if (ctx.pool.get(ctx.hostId)) return ctx.hostId;
    if (returning) return null;
    const selection = ctx.pool.select({ app: ctx.app });
    return selection.ok ? selection.host.id : null;
  };
  let next = pick();
  if (!next) {
    next = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => done(null), HOST_RETURN_MS);
      const onAdded = () => {
        const id = pick();
        if (id) done(id);
      };
      const done = (id: string | null) => {
        clearTimeout(timer);
        ctx.pool.off("added", onAdded);
        ctx.signal.removeEventListener("abort", onAbort);
        resolve(id);
      };
      const onAbort = () => done(null);
      ctx.pool.on("added", onAdded);
      ctx.signal.addEventListener("abort", onAbort, { once: true });
    });
  }
  if (!next) return ctx.hostId; // the dispatcher reports not-dispatched with what is connected
  ctx.moveToHost(next);
  return next;
}

async function askApprover(script: ProposedScript, ctx: ToolContext) {
  ctx.emit({ type: "approval-needed", script });
  return ctx.approver(script, ctx.signal);
}

/** A run as the model reads it, within the agent's caps. */
export function formatRun(result: RunResponse): string {
  return formatRunText(result, LIMITS);
}

const ok = (content: string): ToolResult => ({
  content: cap(content, MAX_TOOL_RESULT_CHARS, "result"),
  isError: false,
});
const error = (content: string): ToolResult => ({ content, isError: true });
