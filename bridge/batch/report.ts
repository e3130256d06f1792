// report.json and report.html in the job folder: each file's outcome, duration and error.
import { writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { type JobStatus, jobTestsText } from "./journal.js";

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export function writeReports(dir: string, status: JobStatus): { json: string; html: string } {
  const json = join(dir, "report.json");
  const html = join(dir, "report.html");
  writeFileSync(json, `${JSON.stringify(status, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(html, renderHtml(status), { mode: 0o600 });
  return { json, html };
}

function renderHtml(status: JobStatus): string {
  const rows = status.files
    .map((f) => {
      const error = f.error
        ? `${f.error.type ? `${f.error.type}: ` : ""}${f.error.message}${f.error.line ? ` (line ${f.error.line})` : ""}`
        : "";
      return `<tr class="${escapeHtml(f.outcome)}"><td title="${escapeHtml(f.file)}">${escapeHtml(basename(f.file))}</td><td>${escapeHtml(f.outcome)}${f.rerun ? " (rerun)" : ""}</td><td>${f.durationMs === undefined ? "" : `${Math.round(f.durationMs)} ms`}</td><td><pre>${escapeHtml(error)}</pre></td></tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Batch ${escapeHtml(status.id)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5rem;background:#111;color:#ddd}
table{border-collapse:collapse;width:100%}td,th{padding:.3rem .6rem;border-bottom:1px solid #333;text-align:left;vertical-align:top}
tr.ok td:nth-child(2){color:#6c6}tr:not(.ok) td:nth-child(2){color:#e66}pre{margin:0;white-space:pre-wrap}
</style></head><body>
<h1>Batch ${escapeHtml(status.id)}</h1>
<p>Macro <b>${escapeHtml(status.macro)}</b> on ${escapeHtml(status.app)} · ${escapeHtml(status.state)} · ${status.ok} ok, ${status.failed} failed, ${status.total} files</p>
${jobTestsText(status.tests) ? `<p class="tests">${escapeHtml(jobTestsText(status.tests)!)}</p>` : ""}
<table><thead><tr><th>File</th><th>Outcome</th><th>Duration</th><th>Error</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
