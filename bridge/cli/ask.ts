// `scriptwright ask`: one agent session from the terminal, through the running bridge.
// The model's text streams to stdout; scripts, approvals and outcomes go to stderr.
import type { ProposedScript } from "../agent/approval.js";
import type { SessionEvent } from "../agent/events.js";
import { BridgeClient, BridgeHttpError } from "../client/bridge-client.js";
import { readSse } from "../client/sse.js";
import type { ConfigView } from "../config/resolve.js";
import { missingKeyMessage } from "../config/settings.js";
import { canAsk, confirm } from "./confirm.js";
import { CliError, EXIT } from "./exit-codes.js";

export interface AskOptions {
  dataDir: string;
  app?: string;
  host?: string;
  model?: string;
  yes?: boolean;
  session?: string;
  approval?: "ask" | "auto" | "read-only";
}

export async function ask(prompt: string, options: AskOptions): Promise<number> {
  const client = BridgeClient.fromDataDir(options.dataDir);
  await requireKey(client, options.model);
  const interactive = canAsk();
  let id: string;
  let after = 0;
  if (options.session) {
    ({ after } = await client.post<{ after: number }>(
      `/api/sessions/${encodeURIComponent(options.session)}/messages`,
      {
        text: prompt,
        ...(options.model ? { model: options.model } : {}),
      },
    ));
    id = options.session;
  } else {
    const approval = options.yes ? "auto" : (options.approval ?? "ask");
    ({ id } = await client.post<{ id: string }>("/api/sessions", {
      prompt,
      approval,
      ...(options.app ? { app: options.app } : {}),
      ...(options.host ? { host: options.host } : {}),
      ...(options.model ? { model: options.model } : {}),
    }));
  }
  process.stderr.write(`session ${id}\n`);

  const stop = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write("\nstopping… (Ctrl-C again to quit now)\n");
    void client.post(`/api/sessions/${id}/cancel`, {}).catch(() => undefined);
  };
  process.on("SIGINT", onSigint);
  const totals = { text: "" };
  try {
    for await (const raw of readSse(await client.events(`/api/sessions/${id}/events`, stop.signal, after))) {
      const event = raw as SessionEvent;
      const finished = await show(event, { client, id, interactive, yes: options.yes === true, totals });
      if (finished !== null) return finished;
    }
    return EXIT.noBridge; // the stream ended without done/error: the bridge went away
  } finally {
    process.off("SIGINT", onSigint);
    stop.abort();
  }
}

/**
 * A bridge without a key (Anthropic) or a model (an OpenAI-compatible endpoint) would start the
 * session only to fail its first turn: say so before, and where the bridge looks (exit 1, as
 * that failed session did). The key in this shell's
 * environment is not the bridge's (it reads its own), which is the usual surprise, so that
 * case gets its own answer.
 */
async function requireKey(client: BridgeClient, model: string | undefined): Promise<void> {
  let view: ConfigView;
  try {
    view = await client.get<ConfigView>("/api/config");
  } catch (error) {
    if (error instanceof BridgeHttpError && error.status === 404) return; // an older bridge: its session says
    throw error;
  }
  // Older bridges have no provider: they speak to Anthropic.
  if (view.provider?.value === "openai") {
    // A local server needs no key; it does need a model, which has no default there.
    if (view.model.set || model) return;
    throw new CliError(
      `no model chosen for the OpenAI-compatible endpoint${view.baseUrl?.value ? ` at ${view.baseUrl.value}` : ""}: give one with --model, or \`scriptwright config set model NAME\` (\`scriptwright models\` lists what it offers)`,
      EXIT.scriptError,
    );
  }
  if (view.apiKey.set) return;
  if (!process.env.ANTHROPIC_API_KEY?.trim())
    throw new CliError(missingKeyMessage(view.path), EXIT.scriptError);
  throw new CliError(
    `ANTHROPIC_API_KEY is set in this shell, but not in the environment of the bridge (pid ${client.info.pid}), ` +
      `which reads its own environment or \`api-key\` in ${view.path}. Store the key where the bridge reads it ` +
      "(no restart needed): `printenv ANTHROPIC_API_KEY | scriptwright config set api-key`; " +
      "or restart the bridge from this shell",
    EXIT.scriptError,
  );
}

async function show(
  event: SessionEvent,
  ctx: { client: BridgeClient; id: string; interactive: boolean; yes: boolean; totals: { text: string } },
): Promise<number | null> {
  const err = (text: string) => process.stderr.write(text);
  switch (event.type) {
    case "text":
      process.stdout.write(event.delta);
      return null;
    case "tool":
      if (event.name !== "run_script")
        err(`\n· ${event.name} ${JSON.stringify(event.input).slice(0, 120)}\n`);
      return null;
    case "script-proposed":
      err(
        `\n── script on ${event.script.hostId}: ${event.script.description}\n${indent(event.script.code)}\n`,
      );
      for (const risk of event.script.risks)
        err(`   ⚠ ${risk.reason}${risk.line ? ` (line ${risk.line})` : ""}\n`);
      return null;
    case "approval-needed": {
      const decision = await decide(event.script, ctx.interactive);
      await ctx.client.post(`/api/sessions/${ctx.id}/approvals`, { scriptId: event.script.id, ...decision });
      return null;
    }
    case "approval-resolved":
      if (!event.approved) err(`   not run: ${event.reason ?? "denied"}\n`);
      return null;
    case "script-result": {
      const r = event.result;
      const detail =
        r.outcome === "ok"
          ? JSON.stringify(r.value ?? null).slice(0, 200)
          : `${r.error?.type ? `${r.error.type}: ` : ""}${r.error?.message ?? ""}${r.error?.line ? ` (line ${r.error.line})` : ""}`;
      err(`── ${r.outcome} in ${Math.round(r.durationMs)} ms: ${detail}\n`);
      return null;
    }
    case "pictures":
      for (const picture of event.pictures)
        err(`   picture: ${picture.label} (${picture.width}×${picture.height})\n`);
      for (const note of event.notes) err(`   ${note}\n`);
      return null;
    case "usage":
      ctx.totals.text = `${event.modelCalls} model calls, ${event.total.input} input (${event.total.cacheRead} cached) and ${event.total.output} output tokens`;
      return null;
    case "done":
      process.stdout.write("\n");
      err(
        `${event.stopReason === "cancelled" ? "stopped" : "done"}${ctx.totals.text ? `: ${ctx.totals.text}` : ""}\n`,
      );
      return event.stopReason === "cancelled" ? 130 : EXIT.ok;
    case "error":
      err(`\nerror (${event.kind}): ${event.message}\n`);
      return EXIT.scriptError;
  }
}

async function decide(
  script: ProposedScript,
  interactive: boolean,
): Promise<{ approved: boolean; reason?: string }> {
  if (!interactive) {
    return { approved: false, reason: "not approved: this is a non-interactive run and --yes was not given" };
  }
  return (await confirm(`   run this script${script.risks.length ? " (flagged)" : ""}?`))
    ? { approved: true }
    : { approved: false, reason: "denied by the user" };
}

function indent(code: string): string {
  return code
    .split("\n")
    .map((line) => `   │ ${line}`)
    .join("\n");
}
