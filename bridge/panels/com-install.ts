// `scriptwright panel install excel|solidworks`: the plan (pure data, printable anywhere) and
// its execution on Windows. Copies the runner, finds Python 3 and pywin32, and for Excel turns
// on trust access to the VBA project only when the user consented (--trust-vba-access).
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { findPython, PYWIN32_IMPORT, pythonSays } from "./com-python.js";
import {
  accessVbomCommand,
  COM_APP_LABEL,
  type ComApp,
  comRunnerDir,
  comRunnerEntry,
  excelKey,
  OFFICE_VERSIONS,
  PYTHON_CANDIDATES,
  PYTHON_FIX,
  type PythonCommand,
  pythonDisplay,
  pywin32InstallCommand,
  RUNNER_ENTRY,
  runnerFiles,
  startCommand,
  TRUST_SETTING,
} from "./com-targets.js";
import { displayCommand } from "./install-plan.js";
import type { StepResult } from "./install-run.js";
import type { CommandRunner } from "./runner.js";
import type { UserFolders } from "./targets.js";

export type ComPlanStep =
  | { kind: "copy"; title: string; from: string; to: string; files: string[] }
  | { kind: "python"; title: string; tries: string[]; fix: string }
  | { kind: "pywin32"; title: string; display: string; fix: string }
  | { kind: "vba-trust"; title: string; consent: boolean; display: string; explanation: string }
  | { kind: "start"; title: string; entry: string };

export interface ComInstallPlan {
  app: ComApp;
  os: "win";
  source: string;
  target: string;
  steps: ComPlanStep[];
  notes: string[];
}

const DEFAULT_PYTHON = PYTHON_CANDIDATES[0]!;

export function trustExplanation(): string {
  return (
    "The runner imports each script into the active workbook as a temporary VBA module, which Excel " +
    `allows only with ${TRUST_SETTING} turned on. It lets any program running as you change VBA code in ` +
    "open workbooks, so it is yours to turn on: in Excel, or here with --trust-vba-access (with Excel closed; " +
    "Excel reads it at start and was reported to write its own value back when it exits)."
  );
}

export function buildComInstallPlan(options: {
  app: ComApp;
  folders: UserFolders;
  source: string;
  trustVbaAccess?: boolean;
}): ComInstallPlan {
  const { app, folders, source } = options;
  const target = comRunnerDir(folders);
  const steps: ComPlanStep[] = [
    {
      kind: "copy",
      title: `copy the runner (windows-com and python-common) to ${target}`,
      from: source,
      to: target,
      files: runnerFiles(source),
    },
    {
      kind: "python",
      title: "find Python 3.8 or later",
      tries: PYTHON_CANDIDATES.map(pythonDisplay),
      fix: PYTHON_FIX,
    },
    {
      kind: "pywin32",
      title: "check that pywin32 is installed (the runner's COM library)",
      display: `${pythonDisplay(DEFAULT_PYTHON)} -c "${PYWIN32_IMPORT}"`,
      fix: pywin32InstallCommand(DEFAULT_PYTHON),
    },
  ];
  if (app === "excel") {
    const { file, args } = accessVbomCommand(OFFICE_VERSIONS[0]);
    steps.push({
      kind: "vba-trust",
      title: options.trustVbaAccess
        ? "turn on trust access to the VBA project object model (AccessVBOM=1) for each Office version found"
        : "trust access to the VBA project object model: explained, not changed (add --trust-vba-access to set it)",
      consent: options.trustVbaAccess === true,
      display: displayCommand(file, args),
      explanation: trustExplanation(),
    });
  }
  const entry = comRunnerEntry(folders);
  steps.push({ kind: "start", title: startTitle(DEFAULT_PYTHON, entry, app), entry });
  const notes =
    app === "excel"
      ? [
          "Excel must be running with a workbook open when the runner starts (or add --start to launch it). Each run imports a temporary module into the active workbook and removes it afterwards.",
        ]
      : [
          "SolidWorks must be running when the runner starts (or add --start to launch it). Scripts are Python, run by the runner with `swApp` bound; VBA macros (.swp) are not used.",
        ];
  return { app, os: "win", source, target, steps, notes };
}

function startTitle(python: PythonCommand, entry: string, app: ComApp): string {
  return `start the runner with the bridge running (scriptwright serve): ${startCommand(python, entry, app)}`;
}

export function formatComPlan(plan: ComInstallPlan): string {
  const lines = [`Install the Scriptwright COM runner for ${COM_APP_LABEL[plan.app]} on Windows:`];
  plan.steps.forEach((step, index) => {
    lines.push(`  ${index + 1}. ${step.title}`);
    if (step.kind === "copy") lines.push(`       from ${step.from} (${step.files.length} files)`);
    if (step.kind === "python") lines.push(`       tries: ${step.tries.join(", then ")}`);
    if (step.kind === "pywin32") lines.push(`       ${step.display}`, `       if missing: ${step.fix}`);
    if (step.kind === "vba-trust") lines.push(`       ${step.display}`, `       ${step.explanation}`);
  });
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  return lines.join("\n");
}

/**
 * Replaces `to` with the runner's files. An existing folder is replaced only when it is empty
 * or holds the runner (its entry script): never a folder someone else put there.
 */
export function copyRunner(from: string, to: string, files: readonly string[]): string[] {
  if (!isAbsolute(to)) throw new Error(`refusing to copy to ${to}: not an absolute path`);
  if (existsSync(to) && readdirSync(to).length > 0) {
    if (!existsSync(join(to, ...RUNNER_ENTRY.split("/")))) {
      throw new Error(`${to} exists and is not the Scriptwright COM runner; move it away first`);
    }
    rmSync(to, { recursive: true, force: true });
  }
  for (const file of files) {
    const destination = join(to, ...file.split("/"));
    mkdirSync(dirname(destination), { recursive: true });
    cpSync(join(from, ...file.split("/")), destination);
  }
  return [...files];
}

export interface ComInstallDeps {
  runner: CommandRunner;
  copy?: (from: string, to: string, files: readonly string[]) => string[];
}

/** Runs every step and reports each; steps that need Python are skipped when none was found. */
export async function executeComPlan(plan: ComInstallPlan, deps: ComInstallDeps): Promise<StepResult[]> {
  const copy = deps.copy ?? copyRunner;
  const results: StepResult[] = [];
  let python: PythonCommand | null = null;
  for (const step of plan.steps) {
    const result = (status: StepResult["status"], detail: string) =>
      results.push({ title: step.title, kind: step.kind, status, detail });
    if (step.kind === "copy") {
      try {
        result("ok", `${copy(step.from, step.to, step.files).length} files copied`);
      } catch (error) {
        result("fail", (error as Error).message);
      }
    } else if (step.kind === "python") {
      const search = await findPython(deps.runner);
      if (search.found) {
        python = search.found.command;
        result(
          "ok",
          `Python ${search.found.version} (${search.found.executable}) via ${pythonDisplay(python)}`,
        );
      } else {
        result("fail", `no Python 3.8+ (${search.tried.join("; ")}); fix: ${step.fix}`);
      }
    } else if (step.kind === "pywin32") {
      if (!python) {
        result("skip", "needs Python (see above)");
        continue;
      }
      const check = await pythonSays(deps.runner, python, PYWIN32_IMPORT);
      result(
        check.ok ? "ok" : "fail",
        check.ok
          ? `pywin32 is installed for ${pythonDisplay(python)}`
          : `pywin32 is missing (${check.detail}); fix: ${pywin32InstallCommand(python)}`,
      );
    } else if (step.kind === "vba-trust") {
      if (!step.consent) {
        result("todo", `${step.explanation} Or run: ${step.display}`);
        continue;
      }
      const outcome = await setAccessVbom(deps.runner);
      result(outcome.ok ? "ok" : "fail", outcome.detail);
    } else {
      // The command names the Python that was found.
      const title = startTitle(python ?? DEFAULT_PYTHON, step.entry, plan.app);
      results.push({ title, kind: step.kind, status: "todo", detail: "do this yourself" });
    }
  }
  return results;
}

/** AccessVBOM=1 under each Office version that has Excel settings (16.0 when none has yet). */
async function setAccessVbom(runner: CommandRunner): Promise<{ ok: boolean; detail: string }> {
  const tasks = await runner("tasklist", ["/FI", "IMAGENAME eq EXCEL.EXE", "/NH"]);
  if (tasks.code === 0 && /EXCEL\.EXE/i.test(tasks.stdout)) {
    return {
      ok: false,
      detail:
        "Excel is running: close it first (it reads this setting at start and may write its own value back when it exits), then run this again",
    };
  }
  const versions: string[] = [];
  for (const version of OFFICE_VERSIONS) {
    if ((await runner("reg", ["query", excelKey(version)])).code === 0) versions.push(version);
  }
  if (versions.length === 0) versions.push(OFFICE_VERSIONS[0]);
  const done: string[] = [];
  for (const version of versions) {
    const { file, args } = accessVbomCommand(version);
    const added = await runner(file, args);
    const display = displayCommand(file, args);
    if (added.code !== 0) {
      const why = (added.error ?? (added.stderr.trim() || added.stdout.trim())).split(/\r?\n/)[0] ?? "";
      return { ok: false, detail: `${display} failed (exit ${added.code})${why ? `: ${why}` : ""}` };
    }
    done.push(display);
  }
  return { ok: true, detail: `${done.join("; ")} — restart Excel for it to take effect` };
}
