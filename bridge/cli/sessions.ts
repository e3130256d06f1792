// `scriptwright sessions list|show ID|search WORDS`: read transcripts from the data dir (no bridge needed).
import { HistoryIndex } from "../agent/history-search.js";
import { listSessions, Transcript, textOf } from "../agent/transcript.js";
import { CliError, EXIT } from "./exit-codes.js";

export function sessionsList(options: { dataDir: string; json?: boolean }): void {
  const sessions = listSessions(options.dataDir);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(sessions)}\n`);
    return;
  }
  if (!sessions.length) {
    process.stdout.write('No sessions yet. Start one with: scriptwright ask --app blender "…"\n');
    return;
  }
  for (const s of sessions) {
    process.stdout.write(
      `${s.id}  ${s.status.padEnd(5)}  ${s.app.padEnd(12)} ${String(s.scripts).padStart(3)} scripts  ${s.title}\n`,
    );
  }
}

export function sessionsShow(id: string, options: { dataDir: string; json?: boolean }): void {
  const records = new Transcript(options.dataDir, id).read();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(records)}\n`);
    return;
  }
  const out: string[] = [];
  for (const record of records) {
    switch (record.type) {
      case "session":
        out.push(
          `session ${record.id} · ${record.app} on ${record.hostId} · ${record.provider ?? "anthropic"} ${record.model} · approval ${record.approvalMode}`,
        );
        break;
      case "message": {
        const text = textOf(record.message);
        if (text) out.push(`\n${record.message.role === "user" ? "you" : "assistant"}: ${text}`);
        break;
      }
      case "script":
        out.push(
          `  ── ${record.description} → ${record.approved ? (record.outcome ?? "?") : "not approved"}${record.durationMs !== null ? ` (${Math.round(record.durationMs)} ms)` : ""}${record.error ? `: ${record.error}` : ""}`,
        );
        break;
      case "model":
        out.push(`  [from here on: ${record.provider} ${record.model}]`);
        break;
      case "error":
        out.push(`  error (${record.kind}): ${record.message}`);
        break;
      case "done":
        out.push(`  [${record.stopReason}]`);
        break;
      case "usage":
        break;
    }
  }
  const usage = [...records].reverse().find((record) => record.type === "usage");
  if (usage?.type === "usage") {
    out.push(
      `\n${usage.modelCalls} model calls; tokens: ${usage.total.input} input (${usage.total.cacheRead} cached), ${usage.total.output} output`,
    );
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

export function sessionsSearch(
  query: string,
  options: { dataDir: string; app?: string; limit?: string; json?: boolean },
): number {
  const limit = options.limit === undefined ? 10 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new CliError(`--limit takes a whole number from 1 to 100, got "${options.limit}"`, EXIT.usage);
  if (!query.trim()) throw new CliError("give the words to look for", EXIT.usage);
  const hits = new HistoryIndex(options.dataDir).search(query, {
    limit,
    ...(options.app ? { app: options.app } : {}),
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(hits)}\n`);
    return EXIT.ok;
  }
  if (!hits.length) {
    process.stdout.write(
      `No script in ${options.app ? `${options.app} ` : ""}sessions matches "${query}".\n`,
    );
    return EXIT.ok;
  }
  const out: string[] = [];
  for (const hit of hits) {
    out.push(
      `${hit.sessionId}  ${hit.at.slice(0, 19).replace("T", " ")}  ${hit.app}  ${hit.outcome}  ${hit.description}`,
    );
    if (hit.error) out.push(`    error: ${hit.error}`);
    out.push(hit.snippet.replace(/^/gm, "    "));
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}
