// A script's preflight issues and risk flags as one list, without any host: what
// `scriptwright check` prints and what the MCP tool check_script answers.
import { classify } from "../../adapters/classify.js";
import type { Adapter, LanguageKit } from "../../adapters/types.js";

export interface Diagnostic {
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
  hint?: string;
  kind?: string;
}

/** `adapter`: the app whose own risk rules apply too (none for `check --language`). */
export function diagnose(kit: LanguageKit, adapter: Adapter | undefined, code: string): Diagnostic[] {
  return [
    ...kit.preflight(code).map((issue) => ({
      line: issue.line,
      column: issue.column,
      message: issue.message,
      severity: "error" as const,
      ...(issue.hint ? { hint: issue.hint } : {}),
    })),
    ...classify(kit, adapter, code).risks.map((flag) => ({
      line: flag.line ?? 1,
      column: 1,
      message: flag.reason,
      severity: "warning" as const,
      kind: flag.kind,
    })),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** One line per diagnostic, as `check` prints them. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.line}:${d.column} ${d.severity} ${d.message}${d.hint ? ` — ${d.hint}` : ""}`;
}
