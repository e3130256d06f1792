// One run, end to end: pick a host, let the language kit check and wrap the code, send it
// through the host's queue, and turn what came back into exactly one outcome.
import {
  type Adapter,
  type LanguageKit,
  type Unwrapped,
  type WrapOptions,
  wrapOptionsFor,
} from "../../adapters/types.js";
import type { DispatchResult, Host } from "../hosts/host.js";
import type { HostPool } from "../hosts/host-pool.js";
import { redact, redactDeep } from "../security/redact.js";
import { DEFAULT_RUN_TIMEOUT_MS, type Outcome, type RunRequest, type RunResponse } from "./outcome.js";

/** Keeps a checkpoint around a person's run (bridge/checkpoints). */
export interface RunCheckpoints {
  around(host: Host, call: RunCall, language: string, run: () => Promise<RunResponse>): Promise<RunResponse>;
  /** Adds how to restore what a restarted host lost to its notice. */
  annotateNotice(hostId: string, notice: string): string;
}

export interface DispatcherOptions {
  pool: HostPool;
  kits: ReadonlyMap<string, LanguageKit>;
  adapters: ReadonlyMap<string, Adapter>;
  /** How long a run may wait behind others on a busy host. */
  queueTimeoutMs: number;
  /** Set once the bridge has made them (they run their scripts through this dispatcher). */
  checkpoints?: RunCheckpoints;
}

export interface RunCall extends RunRequest {
  signal?: AbortSignal;
  /** Extra wrap options for this run (e.g. macro parameters). */
  wrap?: WrapOptions;
  /**
   * A person's run (exec, the agent, MCP, a macro run): keep a checkpoint first when the script
   * may change the document, so that `undo` can take it back. Off for the bridge's own scripts.
   */
  undoable?: boolean;
}

export class Dispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  async run(call: RunCall): Promise<RunResponse> {
    const response = await this.withCheckpoint(call);
    // Said once, with the first run that reaches the host after it was restarted.
    const notice = response.hostId ? this.options.pool.takeNotice(response.hostId) : undefined;
    if (!notice) return response;
    const told = this.options.checkpoints?.annotateNotice(response.hostId!, notice) ?? notice;
    return { ...response, notice: response.notice ? `${told}; ${response.notice}` : told };
  }

  private withCheckpoint(call: RunCall): Promise<RunResponse> {
    const checkpoints = this.options.checkpoints;
    if (!call.undoable || !checkpoints) return this.dispatch(call);
    const selection = this.options.pool.select({ host: call.host, app: call.app });
    if (!selection.ok) return this.dispatch(call);
    const host = selection.host;
    // The checkpoint and the run go to the same host.
    return checkpoints.around(host, call, call.language ?? host.language, () =>
      this.dispatch({ ...call, host: host.id }),
    );
  }

  private async dispatch(call: RunCall): Promise<RunResponse> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    const selection = this.options.pool.select({ host: call.host, app: call.app });
    if (!selection.ok) {
      // No host to ask: a script that could never run is still reported as such.
      const language =
        call.language ?? (call.app ? this.options.adapters.get(call.app)?.language : undefined);
      const kit = language ? this.options.kits.get(language) : undefined;
      const rejected = kit ? preflightRejection(kit, call.code) : null;
      if (rejected) return { ...rejected, hostId: null, durationMs: elapsed() };
      return {
        outcome: "not-dispatched",
        hostId: null,
        error: { message: selection.message },
        durationMs: elapsed(),
      };
    }
    const host = selection.host;
    const language = call.language ?? host.language;
    const fail = (outcome: RunResponse["outcome"], message: string): RunResponse => ({
      outcome,
      hostId: host.id,
      // The host's own failure text can quote what the script printed.
      error: { message: redact(message) },
      durationMs: elapsed(),
    });

    if (!host.speaks(language))
      return fail("rejected", `host ${host.id} (${host.app}) does not run ${language}`);
    const kit = this.options.kits.get(language);
    if (!kit) return fail("rejected", `no language kit for "${language}"`);

    const rejected = preflightRejection(kit, call.code);
    if (rejected) return { ...rejected, hostId: host.id, durationMs: elapsed() };

    const adapterOptions = wrapOptionsFor(this.options.adapters.get(host.app), language);
    const wrapOptions = adapterOptions ? { ...adapterOptions, ...call.wrap } : call.wrap;
    const wrapped = kit.wrap(call.code, wrapOptions);
    const send = (code: string) =>
      host.dispatch({
        language,
        code,
        timeoutMs: call.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
        queueTimeoutMs: this.options.queueTimeoutMs,
        signal: call.signal,
      });

    for (let attempt = 0; ; attempt++) {
      const setupFailure = await this.prepare(host, kit, send);
      if (setupFailure) return fail(setupFailure.outcome, setupFailure.message);
      const dispatched = await send(wrapped.code);
      if (dispatched.kind !== "result") return fail(dispatched.kind, dispatched.message);
      const result = dispatched.result;
      if (result.ok) return this.fromUnwrapped(kit.unwrap(result.output, wrapped), host.id, elapsed());
      // The host lost what setup loaded (the wrapper failed before any user code ran): load it again, once.
      if (kit.setup && attempt === 0 && result.error.message.includes(kit.setup.key)) {
        host.prepared.delete(kit.setup.key);
        continue;
      }
      return fail("error", `the host could not evaluate the script: ${result.error.message}`);
    }
  }

  /** Runs the kit's setup on a host connection that has not run it yet. */
  private async prepare(
    host: Host,
    kit: LanguageKit,
    send: (code: string) => Promise<DispatchResult>,
  ): Promise<{ outcome: Outcome; message: string } | null> {
    const setup = kit.setup;
    if (!setup || host.prepared.has(setup.key)) return null;
    const what = `loading the ${kit.language} runtime on ${host.id}`;
    const dispatched = await send(setup.code);
    if (dispatched.kind !== "result")
      return { outcome: dispatched.kind, message: `${what}: ${dispatched.message}` };
    const result = dispatched.result;
    if (!result.ok) return { outcome: "error", message: `${what} failed: ${result.error.message}` };
    const unwrapped = kit.unwrap(result.output, { code: setup.code, lineOffset: 0 });
    if (unwrapped.error) return { outcome: "error", message: `${what} failed: ${unwrapped.error.message}` };
    host.prepared.add(setup.key);
    return null;
  }

  /** What the app gave back, with the bridge's secrets taken out: from here it leaves the bridge. */
  private fromUnwrapped(unwrapped: Unwrapped, hostId: string, durationMs: number): RunResponse {
    const response: RunResponse = { outcome: unwrapped.error ? "error" : "ok", hostId, durationMs };
    if (unwrapped.error) response.error = redactDeep(unwrapped.error);
    else response.value = redactDeep(unwrapped.value ?? null);
    if (unwrapped.logs) response.logs = redact(unwrapped.logs);
    return response;
  }
}

/** The kit's preflight as a `rejected` outcome, or null when the script may be sent. */
function preflightRejection(kit: LanguageKit, code: string): Pick<RunResponse, "outcome" | "error"> | null {
  const issues = kit.preflight(code);
  const first = issues[0];
  if (!first) return null;
  const all = issues
    .map(
      (issue) => `line ${issue.line}:${issue.column} ${issue.message}${issue.hint ? ` (${issue.hint})` : ""}`,
    )
    .join("; ");
  return {
    outcome: "rejected",
    error: { message: `preflight: ${all}`, type: "PreflightError", line: first.line, column: first.column },
  };
}
