// A run from an MCP client under the approval policy: the language kit classifies the script,
// the agent's policy (approval.ts) decides, and in `ask` mode the script waits in the chat
// panel until a person approves it. Both MCP transports end here: /mcp calls it directly,
// `scriptwright mcp` (stdio) through POST /api/mcp/run.
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { classify } from "../../adapters/classify.js";
import type { Adapter, LanguageKit, RiskFlag, WrapOptions } from "../../adapters/types.js";
import { type ProposedScript, policyVerdict } from "../agent/approval.js";
import type { HostPool } from "../hosts/host-pool.js";
import { MacroError } from "../macros/errors.js";
import type { MacroStore } from "../macros/store.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import { MAX_RUN_TIMEOUT_MS, type RunResponse } from "../runs/outcome.js";
import type { McpApprovalQueue } from "./approvals.js";

/** `ask`: a person approves each script in the chat panel; `auto`: everything runs. */
export const McpApproval = z.enum(["ask", "auto"]);
export type McpApproval = z.infer<typeof McpApproval>;

const GatedRunFields = z.strictObject({
  code: z
    .string()
    .max(4 * 1024 * 1024)
    .optional(),
  macro: z
    .strictObject({
      name: z.string().min(1).max(64),
      params: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  app: z.string().min(1).max(64).optional(),
  host: z.string().min(1).max(128).optional(),
  description: z.string().max(500).optional(),
  timeoutMs: z.number().int().positive().max(MAX_RUN_TIMEOUT_MS).optional(),
});
const codeOrMacro = [
  (request: { code?: string; macro?: unknown }) =>
    (request.code === undefined) !== (request.macro === undefined),
  { message: "give either code or macro" },
] as const;

export const GatedRunRequest = GatedRunFields.refine(...codeOrMacro);
/** POST /api/mcp/run: the caller (`scriptwright mcp`, which holds the token) names its policy. */
export const GatedRunBody = GatedRunFields.extend({ approval: McpApproval.default("ask") }).refine(
  ...codeOrMacro,
);
export type GatedRunRequest = z.infer<typeof GatedRunRequest>;

export type GatedRunAnswer =
  | { status: "ran"; result: RunResponse; edited: boolean }
  | {
      status: "awaiting-approval";
      scriptId: string;
      sessionId: string;
      /** Where the person approves: the chat panel (its History lists the session). */
      panelUrl: string;
      risks: RiskFlag[];
      /** False when the same script was already waiting. */
      asked: boolean;
    }
  | { status: "denied"; reason: string };

export interface GateParts {
  pool: HostPool;
  kits: ReadonlyMap<string, LanguageKit>;
  adapters: ReadonlyMap<string, Adapter>;
  dispatcher: Dispatcher;
  macros: MacroStore;
  queue: McpApprovalQueue;
  /** The bridge's base URL (known once it listens). */
  baseUrl: () => string;
}

interface Job {
  code: string;
  language?: string;
  description: string;
  wrap?: WrapOptions;
  target: { app?: string; host?: string };
  /** What makes two calls "the same script" for the approval queue. */
  key: string;
  /** A macro a person made or approved (see policyVerdict). */
  reviewed: boolean;
  /** A person approved the code as proposed: for a macro, that approves this version of it. */
  onPersonApproved?: () => unknown;
}

export class McpGate {
  constructor(private readonly parts: GateParts) {}

  async run(request: GatedRunRequest, mode: McpApproval, signal?: AbortSignal): Promise<GatedRunAnswer> {
    const job = this.job(request);
    const { dispatcher, pool, kits, queue } = this.parts;
    const dispatch = async (code: string, host?: string): Promise<RunResponse> =>
      dispatcher.run({
        ...(host ? { host } : job.target),
        code,
        ...(job.language ? { language: job.language } : {}),
        ...(job.wrap ? { wrap: job.wrap } : {}),
        ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}),
        undoable: true,
        signal,
      });

    // A script that cannot be sent (no host, a preflight error) needs nobody's approval:
    // the dispatcher reports why, as for any run.
    const selection = pool.select(job.target);
    if (!selection.ok) return ran(await dispatch(job.code));
    const host = selection.host;
    const language = job.language ?? host.language;
    const kit = kits.get(language);
    if (!kit || !host.speaks(language) || kit.preflight(job.code).length > 0)
      return ran(await dispatch(job.code, host.id));

    const script: ProposedScript = {
      id: randomUUID(),
      code: job.code,
      description: job.description,
      language,
      hostId: host.id,
      ...classify(kit, this.parts.adapters.get(host.app), job.code),
    };
    const verdict = policyVerdict(mode, script, { reviewed: job.reviewed });
    if (verdict === "run") return ran(await dispatch(job.code, host.id));
    if (verdict !== "ask") {
      return {
        status: "denied",
        reason: verdict.approved ? "refused by the approval policy" : verdict.reason,
      };
    }

    const state = queue.request(job.key, script, host.app);
    if (state.state === "pending") {
      return {
        status: "awaiting-approval",
        scriptId: state.scriptId,
        sessionId: state.sessionId,
        panelUrl: `${this.parts.baseUrl()}/`,
        risks: script.risks,
        asked: state.asked,
      };
    }
    if (state.state === "denied") return { status: "denied", reason: state.reason };
    if (state.code === job.code) await job.onPersonApproved?.();
    const result = await dispatch(state.code, host.id);
    queue.recordRun({ ...script, id: state.scriptId }, state.code, result);
    return { status: "ran", result, edited: state.code !== job.code };
  }

  private job(request: GatedRunRequest): Job {
    const target = { app: request.app, host: request.host };
    if (request.code !== undefined) {
      return {
        code: request.code,
        description: request.description ?? "script from an MCP client",
        target,
        key: requestKey({ code: request.code, ...target }),
        reviewed: false,
      };
    }
    const name = request.macro?.name ?? "";
    // Checks the parameters against the macro's schema first: invalid ones throw MacroError.
    const { macro, params } = this.parts.macros.prepareRun(name, request.macro?.params);
    if (request.app && request.app !== macro.app)
      throw new MacroError(400, "bad-request", `macro ${macro.name} is for ${macro.app}, not ${request.app}`);
    const macros = this.parts.macros;
    return {
      code: macro.code,
      language: macro.language,
      description: `macro ${macro.name}${macro.reviewed ? "" : " (saved by an agent, unreviewed)"}: ${macro.description}`,
      wrap: { params },
      target: request.host ? target : { app: request.app ?? macro.app },
      key: requestKey({ macro: macro.name, hash: macro.hash, params, ...target }),
      reviewed: macro.reviewed,
      onPersonApproved: () => macros.approveRun(macro.name, macro.hash),
    };
  }
}

const ran = (result: RunResponse): GatedRunAnswer => ({ status: "ran", result, edited: false });

/** A hash of the request with object keys sorted, so argument order does not matter. */
function requestKey(value: unknown): string {
  return createHash("sha256").update(canonical(value)).digest("hex");
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
