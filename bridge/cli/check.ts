// `scriptwright check`: the language kit's preflight and risk classifier, with no host.
// Exit 0 when clean, 1 with diagnostics.
import { adapters, languageKits } from "../../adapters/registry.js";
import { CliError, EXIT } from "./exit-codes.js";
import { readScript } from "./script-source.js";

export interface Diagnostic {
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
  hint?: string;
  kind?: string;
}

export async function check(
  dash: string | undefined,
  options: { app?: string; language?: string; file?: string; code?: string; json?: boolean },
): Promise<number> {
  const language = options.language ?? (options.app ? adapters.get(options.app)?.language : undefined);
  if (!language) {
    const apps = [...adapters.keys()].join(", ");
    throw new CliError(
      options.app ? `unknown app "${options.app}" (known: ${apps})` : `give --app (${apps}) or --language`,
      EXIT.usage,
    );
  }
  const kit = languageKits.get(language);
  if (!kit) throw new CliError(`no language kit for "${language}"`, EXIT.usage);
  const code = await readScript(dash, options);
  const diagnostics: Diagnostic[] = [
    ...kit.preflight(code).map((issue) => ({
      line: issue.line,
      column: issue.column,
      message: issue.message,
      severity: "error" as const,
      ...(issue.hint ? { hint: issue.hint } : {}),
    })),
    ...kit.risk(code).map((flag) => ({
      line: flag.line ?? 1,
      column: 1,
      message: flag.reason,
      severity: "warning" as const,
      kind: flag.kind,
    })),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(diagnostics)}\n`);
  } else if (diagnostics.length === 0) {
    process.stdout.write(`no problems found (${language})\n`);
  } else {
    for (const d of diagnostics) {
      process.stdout.write(
        `${d.line}:${d.column} ${d.severity} ${d.message}${d.hint ? ` — ${d.hint}` : ""}\n`,
      );
    }
  }
  return diagnostics.length ? EXIT.scriptError : EXIT.ok;
}
