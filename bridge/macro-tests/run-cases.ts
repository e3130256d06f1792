// Runs a macro's test cases on one host that nobody else uses meanwhile (test-hosts.ts): for
// each case a fresh document (the adapter's newDocument) or its fixture (openDocument, the path
// bound as data), then the macro with the case's params bound as data, then what it expects:
// the value (deep equality), a JSON Schema of the value, a check run after it that must give
// true. Every case ends pass or fail with the reason; one case failing never stops the others.
import { isDeepStrictEqual } from "node:util";
import { type Adapter, newDocumentFor, openDocumentFor } from "../../adapters/types.js";
import { validateParams } from "../macros/params.js";
import type { Macro, MacroTestCase } from "../macros/schema.js";
import { valueSchemaProblem } from "../macros/tests.js";
import { unreadableFile } from "../readable-file.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import { DEFAULT_RUN_TIMEOUT_MS, type RunResponse } from "../runs/outcome.js";

export interface CaseResult {
  name: string;
  ok: boolean;
  /** Why it failed (every expectation it missed). */
  reason?: string;
  /** The macro's value, when it ran ok and the value is small. */
  value?: unknown;
  durationMs: number;
}

export interface TestReport {
  macro: string;
  version: number;
  hash: string;
  app: string;
  at: string;
  passed: number;
  failed: number;
  cases: CaseResult[];
  durationMs: number;
}

export interface TestTarget {
  dispatcher: Dispatcher;
  hostId: string;
  adapter: Adapter | undefined;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const MAX_VALUE_CHARS = 2000;

export async function runCases(
  macro: Pick<Macro, "name" | "app" | "language" | "code" | "params" | "hash" | "tests">,
  version: number,
  target: TestTarget,
): Promise<TestReport> {
  const began = performance.now();
  const at = new Date().toISOString();
  const cases: CaseResult[] = [];
  for (const test of macro.tests ?? []) {
    const started = performance.now();
    const outcome = await runCase(macro, test, target);
    cases.push({ name: test.name, ...outcome, durationMs: Math.round(performance.now() - started) });
  }
  const passed = cases.filter((c) => c.ok).length;
  return {
    macro: macro.name,
    version,
    hash: macro.hash,
    app: macro.app,
    at,
    passed,
    failed: cases.length - passed,
    cases,
    durationMs: Math.round(performance.now() - began),
  };
}

async function runCase(
  macro: Pick<Macro, "name" | "app" | "language" | "code" | "params">,
  test: MacroTestCase,
  target: TestTarget,
): Promise<Omit<CaseResult, "name" | "durationMs">> {
  const fail = (reason: string) => ({ ok: false, reason });
  const run = (code: string, language: string, params: unknown) =>
    target.dispatcher.run({
      host: target.hostId,
      code,
      language,
      wrap: { params },
      timeoutMs: target.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
      ...(target.signal ? { signal: target.signal } : {}),
    });

  let params: Record<string, unknown>;
  try {
    params = validateParams(macro.name, macro.params, test.params ?? {});
  } catch (error) {
    return fail(`params: ${(error as Error).message}`);
  }

  const app = target.adapter?.displayName ?? macro.app;
  if (test.fixture !== undefined) {
    const unreadable = unreadableFile(test.fixture);
    if (unreadable) return fail(`fixture: ${unreadable}`);
    const open = openDocumentFor(target.adapter);
    if (!open) return fail(`fixture: ${app} cannot open documents for tests`);
    const opened = await run(open.code, open.language, { file: test.fixture, keepBackups: false });
    if (opened.outcome !== "ok") return fail(`opening the fixture ${test.fixture}: ${runProblem(opened)}`);
  } else {
    const fresh = newDocumentFor(target.adapter);
    if (!fresh) return fail(`${app} has no way to open a new document for tests: give the case a fixture`);
    const made = await run(fresh.code, fresh.language, {});
    if (made.outcome !== "ok") return fail(`opening a new document: ${runProblem(made)}`);
  }

  const ran = await run(macro.code, macro.language, params);
  if (ran.outcome !== "ok") return fail(`the macro ${runProblem(ran)}`);
  const value = ran.value === undefined ? null : ran.value;
  const problems: string[] = [];
  if ("value" in test.expect && !isDeepStrictEqual(value, test.expect.value ?? null))
    problems.push(`expected value ${short(test.expect.value ?? null)}, got ${short(value)}`);
  if (test.expect.schema !== undefined) {
    const problem = valueSchemaProblem(test.expect.schema, value);
    if (problem) problems.push(`value does not match expect.schema: ${problem}`);
  }
  if (test.expect.check !== undefined) {
    const checked = await run(test.expect.check, macro.language, params);
    if (checked.outcome !== "ok") problems.push(`the check ${runProblem(checked)}`);
    else if (checked.value !== true)
      problems.push(`the check gave ${short(checked.value ?? null)}, not true`);
  }
  const small = short(value).length <= MAX_VALUE_CHARS ? value : undefined;
  return problems.length
    ? { ok: false, reason: problems.join("; "), ...(small !== undefined ? { value: small } : {}) }
    : { ok: true, ...(small !== undefined ? { value: small } : {}) };
}

/** "raised ZeroDivisionError: division by zero (line 3)", "timed out", … */
function runProblem(run: RunResponse): string {
  const error = run.error;
  const detail = error
    ? `${error.type ? `${error.type}: ` : ""}${error.message}${error.line ? ` (line ${error.line})` : ""}`
    : "";
  switch (run.outcome) {
    case "error":
      return `raised ${detail || "an error"}`;
    case "timeout":
      return `timed out${detail ? `: ${detail}` : ""}`;
    case "rejected":
      return `was refused before it ran: ${detail}`;
    case "host-lost":
      return `lost its host${detail ? `: ${detail}` : ""}`;
    case "not-dispatched":
      return `could not be sent: ${detail}`;
    default:
      return `ended ${run.outcome}${detail ? `: ${detail}` : ""}`;
  }
}

function short(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? "null";
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
