// `scriptwright batch run|resume|list|status|cancel`: run a macro over many documents in
// local headless hosts, with a write-ahead journal per job in <data-dir>/jobs/<id>/ so a job
// survives a crash (resume), can be watched (status) and stopped (cancel). No bridge needed:
// each run embeds its own (port 0, no bridge.json).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { classify } from "../../adapters/classify.js";
import { adapters, languageKits } from "../../adapters/registry.js";
import { type Adapter, adapterLanguages } from "../../adapters/types.js";
import { expandGlobs } from "../batch/glob.js";
import {
  JOB_ID,
  JOURNAL,
  type JobHeader,
  type JobStatus,
  type JobTests,
  JournalWriter,
  jobDir,
  jobStatus,
  jobTestsText,
  listJobs,
  newJobId,
  requestCancel,
  viewJob,
} from "../batch/journal.js";
import { connection } from "../batch/queue/common.js";
import type { Progress } from "../batch/runner.js";
import { ensurePrivateDir } from "../data-dir.js";
import { coerceParams, validateParams } from "../macros/params.js";
import { MacroStore, type StoredMacro } from "../macros/store.js";
import { HeadlessSpecError, MAX_HEADLESS_PER_APP, parseHeadlessSpecs } from "../managed/headless-spec.js";
import { diagnose, formatDiagnostic } from "../runs/diagnose.js";
import { DEFAULT_RUN_TIMEOUT_MS } from "../runs/outcome.js";
import { CliError, EXIT } from "./exit-codes.js";

interface Common {
  dataDir: string;
  json?: boolean;
}

export interface BatchRunOptions extends Common {
  macro: string;
  app?: string;
  files: string[];
  param?: string[];
  paramsFile?: string;
  concurrency?: string;
  timeout?: string;
  notIdempotent?: boolean;
  /** The macro saves each file: check each changed on disk (on anyway when check flags it as writing files). */
  saves?: boolean;
  /** Keep the app's backup copies when it saves (Blender's .blend1). */
  keepBackups?: boolean;
  /** A redis:// URL: hand the files to `scriptwright worker`s instead of running them here. */
  queue?: string;
  /** Start without running the macro's tests first (the report says so). */
  skipTests?: boolean;
}

function readParamsFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `--params-file ${path}: ${code ? `cannot read it (${code})` : `not JSON: ${(error as Error).message}`}`,
      EXIT.usage,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new CliError(`--params-file ${path} must hold a JSON object`, EXIT.usage);
  return parsed as Record<string, unknown>;
}

function positiveInt(value: string | undefined, flag: string, fallback: number, max?: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || (max !== undefined && n > max))
    throw new CliError(
      `${flag} takes a whole number from 1${max ? ` to ${max}` : ""}, got "${value}"`,
      EXIT.usage,
    );
  return n;
}

/** Checks everything a job needs before anything runs; returns the macro and the typed params. */
function prepare(options: BatchRunOptions): {
  macro: StoredMacro;
  app: string;
  params: Record<string, unknown>;
  files: string[];
  concurrency: number;
  timeoutMs: number;
  verifySaves: boolean;
} {
  const concurrency = positiveInt(options.concurrency, "--concurrency", 2, MAX_HEADLESS_PER_APP);
  const timeoutMs = positiveInt(options.timeout, "--timeout", DEFAULT_RUN_TIMEOUT_MS);
  const store = new MacroStore(options.dataDir, { adapters });
  const macro = store.get(options.macro);
  // Hundreds of files are no place to first meet an agent's code.
  store.requireReviewed(macro);
  const app = options.app ?? macro.app;
  const adapter = adapters.get(app);
  if (!adapter) throw new CliError(`--app: unknown app "${app}"`, EXIT.usage);
  if (!adapter.openDocument || !adapter.headless)
    throw new CliError(
      `batch jobs need headless ${app} hosts that open documents; ${app} has none`,
      EXIT.usage,
    );
  const languages = adapterLanguages(adapter);
  if (!languages.includes(macro.language))
    throw new CliError(
      `macro ${macro.name} is ${macro.language}, but ${app} runs ${languages.join(" and ")}`,
      EXIT.usage,
    );
  const values = {
    ...(options.paramsFile ? readParamsFile(options.paramsFile) : {}),
    ...coerceParams(macro.params, options.param ?? []),
  };
  const params = validateParams(macro.name, macro.params, values);
  const { files, empty } = expandGlobs(options.files);
  for (const pattern of empty) process.stderr.write(`note: ${pattern} matched no files\n`);
  if (!files.length) throw new CliError("--files matched no files", EXIT.usage);
  const verifySaves = options.saves === true || savesTheDocument(adapter, macro);
  return { macro, app, params, files, concurrency, timeoutMs, verifySaves };
}

/**
 * Prints what `check` says of the macro before anything runs, and whether it saves the open
 * document (Workbook.Save, save_mainfile, store()): then each file is checked for a change on
 * disk afterwards, so a save that silently did nothing is not reported "ok".
 */
function savesTheDocument(adapter: Adapter, macro: StoredMacro): boolean {
  const kit = languageKits.get(macro.language);
  if (!kit) return false;
  for (const d of diagnose(kit, adapter, macro.code)) process.stderr.write(`check: ${formatDiagnostic(d)}\n`);
  return classify(kit, adapter, macro.code).risks.some((flag) => flag.savesDocument);
}

function checkHeadless(app: string, concurrency: number): void {
  try {
    parseHeadlessSpecs([`${app}:${concurrency}`], adapters);
  } catch (error) {
    if (error instanceof HeadlessSpecError) throw new CliError(error.message, EXIT.noBridge);
    throw error;
  }
}

function progressPrinter(json: boolean): {
  starting: (hosts: number, app: string) => void;
  update: (p: Progress) => void;
  end: () => void;
} {
  const tty = process.stderr.isTTY && !json;
  let lastWidth = 0;
  return {
    // Hosts take seconds to start (LibreOffice most): say so, or the terminal looks stuck.
    starting(hosts, app) {
      const text = `starting ${hosts} headless ${app} host${hosts === 1 ? "" : "s"}…`;
      if (!tty) process.stderr.write(`${JSON.stringify({ type: "starting", hosts, app })}\n`);
      else {
        process.stderr.write(`\r${text.padEnd(lastWidth)}`);
        lastWidth = text.length;
      }
    },
    update(p) {
      if (tty) {
        const eta = p.etaSeconds === null ? "–" : `${Math.ceil(p.etaSeconds)}s`;
        const line = `${p.done}/${p.total} done, ${p.failed} failed · ${p.rate.toFixed(2)} files/s · ETA ${eta}`;
        process.stderr.write(`\r${line.padEnd(lastWidth)}`);
        lastWidth = line.length;
      } else {
        const event: Record<string, unknown> = {
          type: "progress",
          done: p.done,
          failed: p.failed,
          total: p.total,
          filesPerSecond: Math.round(p.rate * 1000) / 1000,
          etaSeconds: p.etaSeconds === null ? null : Math.round(p.etaSeconds * 10) / 10,
        };
        if (p.last) {
          event.file = p.last.file;
          event.outcome = p.last.outcome;
          event.durationMs = p.last.durationMs;
          if (p.last.error) event.error = p.last.error.message;
        }
        process.stderr.write(`${JSON.stringify(event)}\n`);
      }
    },
    end() {
      if (tty && lastWidth) process.stderr.write("\n");
    },
  };
}

function printSummary(
  status: JobStatus,
  reports: { json: string; html: string } | null,
  json?: boolean,
): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(status)}\n`);
    return;
  }
  const lines = [
    `job ${status.id}: ${status.state} · ${status.ok} ok, ${status.failed} failed, ${status.total} files`,
  ];
  const tests = jobTestsText(status.tests);
  if (tests) lines.push(`  ${tests}`);
  for (const f of status.files) {
    if (f.outcome === "ok" || f.outcome === "pending") continue;
    lines.push(`  ${f.outcome.padEnd(14)} ${f.file}${f.error ? `: ${f.error.message}` : ""}`);
  }
  const pending = status.files.filter((f) => f.outcome === "pending" || f.outcome === "running").length;
  if (pending) lines.push(`  ${pending} not run (resume with: scriptwright batch resume ${status.id})`);
  if (reports) lines.push(`report: ${reports.html}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function execute(
  dataDir: string,
  dir: string,
  macro: StoredMacro,
  resume: boolean,
  json?: boolean,
  queue?: string,
): Promise<number> {
  const printer = progressPrinter(Boolean(json));
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    // The first Ctrl-C stops taking files and lets the ones in flight finish; the second exits.
    if (interrupts > 1) process.exit(130);
    process.stderr.write("\nstopping after the files in flight (Ctrl-C again to quit now)…\n");
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    // The queue (bullmq) and the local runner (a whole bridge) load only for the job that needs them.
    const { status, reports } = queue
      ? await (await import("../batch/queue/submit.js")).submitJob({
          url: queue,
          dir,
          macro,
          signal: abort.signal,
          onProgress: printer.update,
        })
      : await (await import("../batch/runner.js")).executeJob({
          dataDir,
          dir,
          macro,
          resume,
          signal: abort.signal,
          onStarting: printer.starting,
          onProgress: printer.update,
        });
    printer.end();
    printSummary(status, reports, json);
    if (abort.signal.aborted && status.state !== "finished") return 130;
    return status.total > 0 && status.ok === status.total ? EXIT.ok : EXIT.scriptError;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/**
 * The macro's tests run before any file: a case that fails stops the job before it starts
 * (exit 2, naming the case), unless --skip-tests, which the job's report then records.
 */
async function testsFirst(macro: StoredMacro, options: BatchRunOptions): Promise<JobTests> {
  if (!macro.tests?.length) return { ran: false, why: "none" };
  if (options.skipTests) {
    process.stderr.write(`tests of macro ${macro.name} skipped (--skip-tests)\n`);
    return { ran: false, why: "skipped" };
  }
  process.stderr.write(`running the ${macro.tests.length} tests of macro ${macro.name} first…\n`);
  const { runMacroTests, formatReport } = await import("./macro-test.js");
  const store = new MacroStore(options.dataDir, { adapters });
  const [report] = await runMacroTests(store, [macro.name], { dataDir: options.dataDir });
  if (!report) throw new Error("no test report");
  if (report.failed) {
    process.stderr.write(formatReport(report));
    const failing = report.cases.filter((c) => !c.ok);
    throw new CliError(
      `not started: macro ${macro.name} (version ${report.version}) failed its test${failing.length > 1 ? "s" : ""} ${failing.map((c) => `"${c.name}" (${c.reason})`).join(", ")}; fix it, or run anyway with --skip-tests`,
      EXIT.usage,
    );
  }
  process.stderr.write(`tests: ${report.passed} passed (macro ${macro.name} version ${report.version})\n`);
  return { ran: true, version: report.version, passed: report.passed };
}

export async function batchRun(options: BatchRunOptions): Promise<number> {
  const prepared = prepare(options);
  if (options.queue) checkQueueUrl(options.queue);
  else checkHeadless(prepared.app, prepared.concurrency);
  const tests = await testsFirst(prepared.macro, options);
  const id = newJobId();
  const dir = jobDir(options.dataDir, id);
  ensurePrivateDir(join(options.dataDir, "jobs"));
  mkdirSync(dir, { mode: 0o700 });
  const header: JobHeader = {
    type: "job",
    id,
    macro: prepared.macro.name,
    macroHash: prepared.macro.hash,
    app: prepared.app,
    params: prepared.params,
    files: prepared.files,
    concurrency: prepared.concurrency,
    timeoutMs: prepared.timeoutMs,
    idempotent: !options.notIdempotent,
    ...(prepared.verifySaves ? { verifySaves: true } : {}),
    ...(options.keepBackups ? { keepBackups: true } : {}),
    tests,
    createdAt: new Date().toISOString(),
  };
  const journal = new JournalWriter(join(dir, JOURNAL));
  journal.appendSync(header);
  await journal.close();
  const checked = prepared.verifySaves ? "; each file is checked to have been saved" : "";
  process.stderr.write(
    options.queue
      ? `job ${id}: ${prepared.files.length} files, queued on ${options.queue}${checked}\n`
      : `job ${id}: ${prepared.files.length} files, ${prepared.concurrency} ${prepared.app} hosts${checked}\n`,
  );
  return execute(options.dataDir, dir, prepared.macro, false, options.json, options.queue);
}

function checkQueueUrl(url: string): void {
  try {
    connection(url);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage);
  }
}

function existingJob(dataDir: string, id: string): string {
  if (!JOB_ID.test(id))
    throw new CliError(`"${id}" is not a job id (see scriptwright batch list)`, EXIT.usage);
  const dir = jobDir(dataDir, id);
  if (!existsSync(join(dir, JOURNAL))) throw new CliError(`no job ${id} in ${dataDir}/jobs`, EXIT.usage);
  return dir;
}

export async function batchResume(id: string, options: Common & { queue?: string }): Promise<number> {
  const dir = existingJob(options.dataDir, id);
  const view = viewJob(dir);
  if (view.state === "running")
    throw new CliError(`job ${id} is still running (pid ${view.lastRun?.pid})`, EXIT.usage);
  if (view.state === "finished" || view.state === "cancelled") {
    printSummary(jobStatus(view), null, options.json);
    const status = jobStatus(view);
    return status.ok === status.total ? EXIT.ok : EXIT.scriptError;
  }
  const macro = new MacroStore(options.dataDir, { adapters }).get(view.header.macro);
  if (macro.hash !== view.header.macroHash)
    throw new CliError(
      `macro ${macro.name} changed since job ${id} started; its files would not all run the same code`,
      EXIT.usage,
    );
  const queue = options.queue ?? view.lastRun?.queue;
  if (queue) checkQueueUrl(queue);
  else checkHeadless(view.header.app, view.header.concurrency);
  return execute(options.dataDir, dir, macro, true, options.json, queue);
}

export function batchList(options: Common): number {
  const jobs = listJobs(options.dataDir).map((view) => {
    const { files: _files, ...rest } = jobStatus(view);
    return rest;
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(jobs)}\n`);
    return EXIT.ok;
  }
  if (!jobs.length)
    process.stdout.write(
      "No batch jobs yet. Start one with: scriptwright batch run --macro NAME --files '*.blend'\n",
    );
  for (const j of jobs)
    process.stdout.write(
      `${j.id}  ${j.state.padEnd(11)} ${j.macro.padEnd(20)} ${j.app.padEnd(10)} ${j.ok}/${j.total} ok, ${j.failed} failed\n`,
    );
  return EXIT.ok;
}

export function batchStatus(id: string, options: Common): number {
  const status = jobStatus(viewJob(existingJob(options.dataDir, id)));
  if (options.json) process.stdout.write(`${JSON.stringify(status)}\n`);
  else printSummary(status, null, false);
  return EXIT.ok;
}

export function batchCancel(id: string, options: Common): number {
  const dir = existingJob(options.dataDir, id);
  const view = viewJob(dir);
  if (view.state === "finished" || view.state === "cancelled") {
    process.stdout.write(`job ${id} is already ${view.state}\n`);
    return EXIT.ok;
  }
  requestCancel(dir, view.state === "interrupted");
  if (options.json) process.stdout.write(`${JSON.stringify({ cancelled: id })}\n`);
  else
    process.stdout.write(
      view.state === "running"
        ? `job ${id}: cancel recorded; it stops after the files in flight\n`
        : `job ${id}: cancelled\n`,
    );
  return EXIT.ok;
}
