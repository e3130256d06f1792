// `scriptwright check`: the language kit's preflight and risk classifier, with no host.
// Exit 0 when clean, 1 with diagnostics.
import { adapters, languageKits } from "../../adapters/registry.js";
import { diagnose, formatDiagnostic } from "../runs/diagnose.js";
import { CliError, EXIT } from "./exit-codes.js";
import { readScript } from "./script-source.js";

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
  const diagnostics = diagnose(kit, options.app ? adapters.get(options.app) : undefined, code);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(diagnostics)}\n`);
  } else if (diagnostics.length === 0) {
    process.stdout.write(`no problems found (${language})\n`);
  } else {
    for (const d of diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
  }
  return diagnostics.length ? EXIT.scriptError : EXIT.ok;
}
