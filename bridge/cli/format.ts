// Human output for the terminal; `--json` bypasses all of this.
import type { HostInfo } from "../hosts/host.js";
import type { RunResponse } from "../runs/outcome.js";
import { OUTCOMES } from "../runs/outcome-names.js";
import { CliError, EXIT, exitCodeFor } from "./exit-codes.js";

export function formatHosts(hosts: HostInfo[]): string {
  if (hosts.length === 0) {
    return "No hosts connected. Start one with `scriptwright serve --headless blender`, or open an app with its panel.";
  }
  // Per app, the first interactive host listed is where `exec --app` sends a script.
  const rows = hosts.map((h) => [
    h.id,
    `${h.app} ${h.appVersion}`,
    h.language,
    h.managed ? "managed" : "interactive",
    h.busy ? `busy${h.queued ? ` (+${h.queued})` : ""}` : "idle",
    h.name,
    h.document ?? "(no document)",
  ]);
  const header = ["ID", "APP", "LANGUAGE", "KIND", "STATE", "NAME", "DOCUMENT"];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function formatRun(response: RunResponse): { stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  if (response.notice) err.push(`notice: ${response.notice}`);
  if (response.logs) err.push(response.logs.replace(/\n$/, ""));
  if (response.outcome === "ok") {
    if (response.value !== null && response.value !== undefined) out.push(formatValue(response.value));
  } else {
    const e = response.error;
    const where = e?.line ? ` (line ${e.line}${e.column ? `, column ${e.column}` : ""})` : "";
    err.push(`${response.outcome}: ${e?.type ? `${e.type}: ` : ""}${e?.message ?? "no detail"}${where}`);
    if (e?.stack) err.push(e.stack.replace(/\n$/, ""));
  }
  return { stdout: out.join("\n"), stderr: err.join("\n") };
}

function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** Prints a run as `exec` and `macro run` do (JSON with --json) and returns its exit code. */
export function printRun(raw: unknown, json: boolean | undefined): number {
  const response = readRunResponse(raw);
  if (json) {
    process.stdout.write(`${JSON.stringify(response)}\n`);
  } else {
    const { stdout, stderr } = formatRun(response);
    if (stderr) process.stderr.write(`${stderr}\n`);
    if (stdout) process.stdout.write(`${stdout}\n`);
  }
  return exitCodeFor(response.outcome);
}

const RUN_ERROR_FIELDS = ["message", "type", "line", "column", "stack"] as const;

/**
 * The bridge's answer to a run with the contract's fields in its order, as `--json` prints it.
 * Read without zod, whose load alone would take longer than the rest of `exec`.
 */
function readRunResponse(raw: unknown): RunResponse {
  const r = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const { outcome, hostId, durationMs, logs, error, notice, checkpoint } = r;
  if (
    !OUTCOMES.includes(outcome as RunResponse["outcome"]) ||
    !(hostId === null || typeof hostId === "string") ||
    typeof durationMs !== "number" ||
    !(logs === undefined || typeof logs === "string") ||
    !(error === undefined || (typeof error === "object" && error !== null && "message" in error))
  ) {
    throw new CliError(
      `the bridge answered a run with ${JSON.stringify(raw)?.slice(0, 300)}`,
      EXIT.scriptError,
    );
  }
  const fields = error as Record<string, unknown> | undefined;
  return {
    outcome: outcome as RunResponse["outcome"],
    hostId,
    ...("value" in r ? { value: r.value } : {}),
    ...(logs === undefined ? {} : { logs }),
    ...(fields
      ? {
          error: Object.fromEntries(
            RUN_ERROR_FIELDS.filter((key) => fields[key] !== undefined).map((key) => [key, fields[key]]),
          ) as RunResponse["error"],
        }
      : {}),
    durationMs,
    ...(typeof notice === "string" ? { notice } : {}),
    ...(typeof checkpoint === "object" && checkpoint !== null
      ? { checkpoint: checkpoint as NonNullable<RunResponse["checkpoint"]> }
      : {}),
  };
}

/** `--timeout` in milliseconds, a positive whole number. */
export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new CliError(`--timeout takes milliseconds (a positive whole number), got "${value}"`, EXIT.usage);
  }
  return ms;
}
