// `scriptwright macro list|show|save|run|rm|approve|history|diff|revert`. All but run work on
// the data dir (no bridge needed); run goes through the bridge's POST /api/macros/:name/run,
// with `k=v` parameters typed by the macro's params schema and checked here first. `macro
// test` is in macro-test.ts.
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { adapters } from "../../adapters/registry.js";
import { BridgeClient, BridgeHttpError } from "../client/bridge-client.js";
import { MacroError } from "../macros/errors.js";
import { coerceParams, validateParams } from "../macros/params.js";
import type { MacroSource } from "../macros/schema.js";
import { MacroStore, type StoredMacro } from "../macros/store.js";
import { canAsk, confirm } from "./confirm.js";
import { CliError, EXIT } from "./exit-codes.js";
import { parseTimeout, printRun } from "./format.js";

interface Common {
  dataDir: string;
  json?: boolean;
}

export const storeFor = (dataDir: string) => new MacroStore(dataDir, { adapters });

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

/** Who saved a version, in a few words. */
function sourceText(source: MacroSource): string {
  switch (source.kind) {
    case "session":
      return `session ${source.sessionId}${source.scriptId ? ` (script ${source.scriptId})` : ""}`;
    case "file":
      return `file ${source.path}`;
    case "revert":
      return `revert to version ${source.version} (${source.via})`;
    default:
      return source.kind;
  }
}

export async function macroShow(name: string, options: Common): Promise<number> {
  const store = storeFor(options.dataDir);
  const macro = store.get(name);
  const view = await store.versions(name);
  const version = view.versions.find((v) => v.current)?.version ?? 1;
  const { file, ...shown } = macro;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...shown, version })}\n`);
    return EXIT.ok;
  }
  const tests = macro.tests?.length
    ? `  tests:  ${macro.tests.map((t) => t.name).join(", ")} (scriptwright macro test ${macro.name})`
    : "";
  process.stdout.write(
    [
      `${macro.name}${macro.starter ? " (starter, read-only)" : ""} · ${macro.app} · ${macro.language} · version ${version}`,
      macro.description ? `  ${macro.description}` : "",
      `  params: ${paramNames(macro)}`,
      ...(tests ? [tests] : []),
      `  source: ${sourceText(macro.source)} · saved ${macro.createdAt} · ${file}`,
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
export async function macroApprove(name: string, options: MacroApproveOptions): Promise<number> {
  const store = storeFor(options.dataDir);
  const before = store.get(name);
  const approved = await store.approve(name, { via: "cli", ...(options.hash ? { hash: options.hash } : {}) });
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
export async function reviewedOrAsk(store: MacroStore, macro: StoredMacro): Promise<StoredMacro> {
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
  /** A JSON file holding the test cases [{name, fixture?, params, expect}]. */
  tests?: string;
  /** Why this version, for its history. */
  message?: string;
  description?: string;
  language?: string;
  replace?: boolean;
}

/** The cases of a tests file; a relative fixture is taken from the file's folder. */
function readTestsFile(path: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(path, "--tests"));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`--tests ${path} is not JSON: ${(error as Error).message}`, EXIT.usage);
  }
  if (!Array.isArray(parsed))
    throw new CliError(
      `--tests ${path} must hold a JSON list of cases: [{"name": …, "params": {…}, "expect": {"value": …}}]`,
      EXIT.usage,
    );
  const folder = dirname(resolve(path));
  return parsed.map((test) => {
    const fixture = (test as { fixture?: unknown } | null)?.fixture;
    return typeof fixture === "string" && fixture && !isAbsolute(fixture)
      ? { ...(test as object), fixture: resolve(folder, fixture) }
      : test;
  });
}

export async function macroSave(name: string, options: MacroSaveOptions): Promise<number> {
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
  const tests = options.tests !== undefined ? readTestsFile(options.tests) : undefined;
  let saved: Awaited<ReturnType<MacroStore["save"]>>;
  try {
    saved = await storeFor(options.dataDir).save(
      {
        name,
        app: options.app,
        ...(options.language ? { language: options.language } : {}),
        description: options.description ?? "",
        code,
        ...(params !== undefined ? { params } : {}),
        ...(tests ? { tests } : {}),
        ...(options.message ? { message: options.message } : {}),
        source: { kind: "file", path: resolve(options.file) },
      },
      { replace: options.replace },
    );
  } catch (error) {
    // Say which file the bad case is in.
    if (error instanceof MacroError && error.code === "bad-tests")
      throw new MacroError(400, error.code, `--tests ${options.tests}: ${error.message}`);
    throw error;
  }
  if (options.json) {
    const { file: _file, ...shown } = saved;
    process.stdout.write(`${JSON.stringify(shown)}\n`);
  } else {
    const tests = saved.tests?.length
      ? `, with ${saved.tests.length} test${saved.tests.length === 1 ? "" : "s"}`
      : "";
    process.stdout.write(
      `saved macro ${saved.name} (${saved.app}, ${saved.language}; params: ${paramNames(saved)}) as version ${saved.version}${tests}\n`,
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

export async function macroRm(name: string, options: Common): Promise<number> {
  await storeFor(options.dataDir).remove(name);
  if (options.json) process.stdout.write(`${JSON.stringify({ removed: name })}\n`);
  else
    process.stdout.write(
      `removed macro ${name} (its versions stay: scriptwright macro revert ${name} VERSION brings one back)\n`,
    );
  return EXIT.ok;
}

export async function macroHistory(name: string, options: Common): Promise<number> {
  const view = await storeFor(options.dataDir).versions(name);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(view.versions)}\n`);
    return EXIT.ok;
  }
  const lines = view.versions.map((v) => {
    const approved = v.approved ? ` · approved (${v.approved.via})` : "";
    return `${v.current ? "*" : " "} ${`v${v.version}`.padEnd(5)} ${v.createdAt.slice(0, 19).replace("T", " ")}  ${v.hash.slice(0, 12)}  ${sourceText(v.source)}${approved}\n        ${v.message}`;
  });
  if (view.removed) lines.push(`  removed: scriptwright macro revert ${name} VERSION brings a version back`);
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.ok;
}

/** A version number from the command line, or a usage error naming the argument. */
export function parseVersion(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replace(/^v/i, ""));
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(
      `${what}: a version is a whole number from 1 (see macro history), got "${text}"`,
      EXIT.usage,
    );
  return n;
}

export async function macroDiff(
  name: string,
  a: string | undefined,
  b: string | undefined,
  options: Common,
): Promise<number> {
  const diff = await storeFor(options.dataDir).diff(name, parseVersion(a, "A"), parseVersion(b, "B"));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(diff)}\n`);
    return EXIT.ok;
  }
  const { paramChangeLines } = await import("../macros/diff.js");
  const out: string[] = [];
  out.push(diff.diff ? diff.diff.trimEnd() : `(the code of versions ${diff.a} and ${diff.b} is the same)`);
  const params = paramChangeLines(diff.params);
  out.push(
    "",
    params.length ? `parameters:\n${params.map((l) => `  ${l}`).join("\n")}` : "parameters: no change",
  );
  if (diff.description) out.push(`description: "${diff.description.from}" → "${diff.description.to}"`);
  const t = diff.tests;
  if (t.added.length || t.removed.length || t.changed.length)
    out.push(
      `tests: ${[
        ...t.added.map((n) => `+${n}`),
        ...t.removed.map((n) => `-${n}`),
        ...t.changed.map((n) => `~${n}`),
      ].join(" ")}`,
    );
  process.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}

export async function macroRevert(
  name: string,
  version: string,
  options: Common & { message?: string },
): Promise<number> {
  const n = parseVersion(version, "VERSION")!;
  const reverted = await storeFor(options.dataDir).revert(name, n, {
    via: "cli",
    ...(options.message ? { message: options.message } : {}),
  });
  if (options.json) {
    const { file: _file, ...shown } = reverted;
    process.stdout.write(`${JSON.stringify(shown)}\n`);
  } else process.stdout.write(`macro ${name}: version ${n}'s code is back, as version ${reverted.version}\n`);
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
