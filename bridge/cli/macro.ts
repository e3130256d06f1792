// `scriptwright macro list|show|save|run|rm`. list/show/save/rm work on the data dir (no
// bridge needed); run goes through the bridge's POST /api/macros/:name/run, with `k=v`
// parameters typed by the macro's params schema and checked here first.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { adapters } from "../../adapters/registry.js";
import { BridgeClient, BridgeHttpError } from "../client/bridge-client.js";
import { MacroError } from "../macros/errors.js";
import { coerceParams, validateParams } from "../macros/params.js";
import { MacroStore, type StoredMacro } from "../macros/store.js";
import { canAsk, confirm } from "./confirm.js";
import { CliError, EXIT } from "./exit-codes.js";
import { parseTimeout, printRun } from "./format.js";

interface Common {
  dataDir: string;
  json?: boolean;
}

const storeFor = (dataDir: string) => new MacroStore(dataDir, { adapters });

function paramNames(macro: { params: StoredMacro["params"] }): string {
  const required = new Set(macro.params.required ?? []);
  const names = Object.entries(macro.params.properties ?? {}).map(
    ([name, schema]) => `${name}${required.has(name) ? "" : "?"}:${String(schema.type ?? "any")}`,
  );
  return names.length ? names.join(" ") : "-";
}

export function macroList(options: Common): number {
  const { macros, problems } = storeFor(options.dataDir).list();
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ macros, problems })}\n`);
    return EXIT.ok;
  }
  if (!macros.length)
    process.stdout.write(
      "No macros yet. Save one with: scriptwright macro save NAME --app blender --file script.py\n",
    );
  for (const m of macros) {
    const kind = m.starter ? "starter" : m.reviewed ? "" : "unreviewed";
    process.stdout.write(
      `${m.name.padEnd(24)} ${m.app.padEnd(12)} ${kind.padEnd(10)} ${paramNames(m).padEnd(28)} ${m.description}\n`,
    );
  }
  for (const p of problems) process.stderr.write(`skipped ${p.file}: ${p.message}\n`);
  return EXIT.ok;
}

export function macroShow(name: string, options: Common): number {
  const macro = storeFor(options.dataDir).get(name);
  const { file, ...shown } = macro;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(shown)}\n`);
    return EXIT.ok;
  }
  const source =
    macro.source.kind === "session"
      ? `session ${macro.source.sessionId}${macro.source.scriptId ? ` (script ${macro.source.scriptId})` : ""}`
      : macro.source.kind === "file"
        ? `file ${macro.source.path}`
        : macro.source.kind;
  process.stdout.write(
    [
      `${macro.name}${macro.starter ? " (starter, read-only)" : ""} · ${macro.app} · ${macro.language}`,
      macro.description ? `  ${macro.description}` : "",
      `  params: ${paramNames(macro)}`,
      `  source: ${source} · saved ${macro.createdAt} · ${file}`,
      `  hash:   ${macro.hash}`,
      `  review: ${reviewText(macro)}`,
      "",
      macro.code.replace(/\n$/, ""),
      "",
    ]
      .filter((line, i) => i !== 1 || line)
      .join("\n"),
  );
  return EXIT.ok;
}

function reviewText(macro: StoredMacro): string {
  if (!macro.reviewed)
    return `unreviewed: an agent saved this code; runs ask first until you approve it (scriptwright macro approve ${macro.name})`;
  if (macro.review?.hash === macro.hash) return `approved (${macro.review.via}) ${macro.review.at}`;
  return macro.starter ? "shipped with Scriptwright" : "saved by a person";
}

export interface MacroApproveOptions extends Common {
  /** The version shown to the person (`macro show`): refused if the macro changed since. */
  hash?: string;
}

/** A person approves an agent-saved macro's current code: it then runs without asking (unless flagged). */
export function macroApprove(name: string, options: MacroApproveOptions): number {
  const store = storeFor(options.dataDir);
  const before = store.get(name);
  const approved = store.approve(name, { via: "cli", ...(options.hash ? { hash: options.hash } : {}) });
  if (options.json) {
    const { file: _file, ...shown } = approved;
    process.stdout.write(`${JSON.stringify(shown)}\n`);
  } else if (before.reviewed) {
    process.stdout.write(`macro ${name} needs no approval: ${reviewText(before)}\n`);
  } else {
    process.stdout.write(`approved macro ${name} (hash ${approved.hash.slice(0, 12)})\n`);
  }
  return EXIT.ok;
}

/**
 * An agent-saved macro nobody approved: on a terminal, show its code and ask; otherwise refuse
 * with how to approve it. Returns the macro as it may run.
 */
async function reviewedOrAsk(store: MacroStore, macro: StoredMacro): Promise<StoredMacro> {
  if (macro.reviewed) return macro;
  if (!canAsk()) store.requireReviewed(macro);
  process.stderr.write(
    `macro ${macro.name} was saved by an agent session and nobody has approved it yet. Its code:\n${macro.code.replace(/\n?$/, "\n")}`,
  );
  if (!(await confirm("approve this code and run it?")))
    throw new CliError(`not run: macro ${macro.name} was not approved`, EXIT.usage);
  return store.approve(macro.name, { via: "cli", hash: macro.hash });
}

export interface MacroSaveOptions extends Common {
  app: string;
  file: string;
  params?: string;
  description?: string;
  language?: string;
  replace?: boolean;
}

export function macroSave(name: string, options: MacroSaveOptions): number {
  const code = readText(options.file, "--file");
  let params: unknown;
  if (options.params !== undefined) {
    try {
      params = JSON.parse(readText(options.params, "--params"));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`--params ${options.params} is not JSON: ${(error as Error).message}`, EXIT.usage);
    }
  }
  const saved = storeFor(options.dataDir).save(
    {
      name,
      app: options.app,
      ...(options.language ? { language: options.language } : {}),
      description: options.description ?? "",
      code,
      ...(params !== undefined ? { params } : {}),
      source: { kind: "file", path: resolve(options.file) },
    },
    { replace: options.replace },
  );
  if (options.json) {
    const { file: _file, ...shown } = saved;
    process.stdout.write(`${JSON.stringify(shown)}\n`);
  } else {
    process.stdout.write(
      `saved macro ${saved.name} (${saved.app}, ${saved.language}; params: ${paramNames(saved)})\n`,
    );
  }
  return EXIT.ok;
}

export interface MacroRunOptions extends Common {
  app?: string;
  host?: string;
  param?: string[];
  paramsFile?: string;
  timeout?: string;
}

export async function macroRun(name: string, options: MacroRunOptions): Promise<number> {
  if (options.app && options.host) throw new CliError("give --app or --host, not both", EXIT.usage);
  const timeoutMs = parseTimeout(options.timeout);
  const store = storeFor(options.dataDir);
  const macro = await reviewedOrAsk(store, store.get(name));
  let values: Record<string, unknown> = {};
  if (options.paramsFile !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readText(options.paramsFile, "--params-file"));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(
        `--params-file ${options.paramsFile} is not JSON: ${(error as Error).message}`,
        EXIT.usage,
      );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new CliError(`--params-file ${options.paramsFile} must hold a JSON object`, EXIT.usage);
    values = parsed as Record<string, unknown>;
  }
  values = { ...values, ...coerceParams(macro.params, options.param ?? []) };
  // Checked here first so a bad value never reaches the bridge; the bridge checks again.
  validateParams(macro.name, macro.params, values);

  const client = BridgeClient.fromDataDir(options.dataDir);
  let raw: unknown;
  try {
    raw = await client.post<unknown>(`/api/macros/${encodeURIComponent(name)}/run`, {
      params: values,
      ...(options.app ? { app: options.app } : {}),
      ...(options.host ? { host: options.host } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  } catch (error) {
    // The bridge refusing this macro run ends the command as the same refusal here would.
    if (error instanceof BridgeHttpError && error.status < 500)
      throw new MacroError(error.status, error.code, error.message);
    throw error;
  }
  return printRun(raw, options.json);
}

export function macroRm(name: string, options: Common): number {
  storeFor(options.dataDir).remove(name);
  if (options.json) process.stdout.write(`${JSON.stringify({ removed: name })}\n`);
  else process.stdout.write(`removed macro ${name}\n`);
  return EXIT.ok;
}

function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(
      `${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      EXIT.usage,
    );
  }
}
