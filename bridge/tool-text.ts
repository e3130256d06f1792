// Compact text for tool results, shared by the agent's tools and the MCP tools: the outcome
// first, long parts cut with a marker that says how to get the rest. Callers pick the caps
// (the agent keeps its context small; MCP clients accept about 25k tokens a result).
import type { ListAnswer, ReadAnswer, SearchAnswer } from "./docs/docs-service.js";
import type { RunResponse } from "./runs/outcome.js";

export interface TextLimits {
  /** The whole result. */
  maxChars: number;
  /** The logs inside a run result. */
  maxLogChars: number;
}

export function cap(text: string, max: number, what: string): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n[${what} truncated: ${text.length - max} more characters; return a smaller part (a slice, a count, selected fields)]`;
}

/** A run as a model reads it: outcome first, then value or error, then logs; all capped. */
export function formatRun(result: RunResponse, limits: TextLimits): string {
  const lines = [
    `outcome: ${result.outcome} (${Math.round(result.durationMs)} ms, host ${result.hostId ?? "none"})`,
  ];
  if (result.notice) lines.push(`notice: ${result.notice}`);
  if (result.outcome === "ok") lines.push(`value: ${JSON.stringify(result.value ?? null)}`);
  if (result.error) {
    const e = result.error;
    const where = e.line ? ` at line ${e.line}${e.column ? `, column ${e.column}` : ""}` : "";
    lines.push(`error${where}: ${e.type ? `${e.type}: ` : ""}${e.message}`);
    if (e.stack) lines.push(e.stack.trimEnd());
  }
  if (result.logs) lines.push(`logs:\n${cap(result.logs, limits.maxLogChars, "logs")}`);
  return cap(lines.join("\n"), limits.maxChars, "result");
}

export function formatSearch(answer: SearchAnswer, query: string): string {
  if (!answer.hits.length) return `no matches for "${query}" in ${answer.app} ${answer.version} docs`;
  return answer.hits.map((hit) => `${hit.path}  ${hit.symbol}\n  ${hit.snippet}`).join("\n");
}

/**
 * One page of a doc file, cut to `limit` characters when given; when more follows, the last
 * line is the read_doc call that continues (`nextArgs` are the call's other arguments).
 */
export function formatDocPage(
  page: ReadAnswer,
  options: { limit?: number; nextArgs?: Record<string, unknown> } = {},
): string {
  const { limit } = options;
  const text = limit && page.text.length > limit ? page.text.slice(0, limit) : page.text;
  const next = page.offset + text.length < page.totalChars ? page.offset + text.length : null;
  if (next === null) return text;
  const args = { path: page.path, ...options.nextArgs, offset: next };
  const shown = Object.entries(args)
    .map(([key, value]) => `"${key}": ${JSON.stringify(value)}`)
    .join(", ");
  return `${text}\n[more: read_doc {${shown}}]`;
}

export function formatListing(listing: ListAnswer): string {
  const lines = listing.items.map((item) =>
    item.type === "folder"
      ? `${item.path} (${item.files} files)`
      : `${item.path}${item.summary ? ` — ${item.summary}` : ""}`,
  );
  if (listing.nextOffset !== null) lines.push(`[${listing.total - listing.nextOffset} more items not shown]`);
  return lines.join("\n");
}
