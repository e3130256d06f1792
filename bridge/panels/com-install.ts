// `scriptwright panel install APP` for a COM runner app: the plan (pure data, printable
// anywhere) and its execution on Windows. Copies the runner, finds Python 3 and pywin32, and for
// an app whose spec has vbaTrust turns on trust access to the VBA project only when the user
// consented (--trust-vba-access).
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import type { VbaTrustSpec } from "../../adapters/panel-spec.js";
import { findPython, PYWIN32_IMPORT, pythonSays } from "./com-python.js";
import {
  accessVbomCommand,
  comRunnerDir,
  comRunnerEntry,
  PYTHON_CANDIDATES,
  PYTHON_FIX,
  type PythonCommand,
  pythonDisplay,
  pywin32InstallCommand,
  RUNNER_ENTRY,
  runnerFiles,
  startCommand,
} from "./com-targets.js";
import { displayCommand } from "./install-plan.js";
import type { StepResult } from "./install-run.js";
import { type Adapters, type PanelTarget, panelTargetOf } from "./panel-apps.js";
import { type CommandRunner, firstLine } from "./runner.js";
import type { UserFolders } from "./targets.js";

export type ComPlanStep =
  | { kind: "copy"; title: string; from: string; to: string; files: string[] }
  | { kind: "python"; title: string; tries: string[]; fix: string }
  | { kind: "pywin32"; title: string; display: string; fix: string }
  | { kind: "vba-trust"; title: string; consent: boolean; display: string; explanation: string }
  | { kind: "start"; title: string; entry: string };

export interface ComInstallPlan {
  app: string;
  os: "win";
  source: string;
  target: string;
  steps: ComPlanStep[];
  notes: string[];
}

const DEFAULT_PYTHON = PYTHON_CANDIDATES[0]!;

export function buildComInstallPlan(options: {
  app: string;
  folders: UserFolders;
  source: string;
  trustVbaAccess?: boolean;
  adapters?: Adapters;
}): ComInstallPlan {
  const { app, folders, source } = options;
  const { spec } = panelTargetOf(app, "com-runner", options.adapters);
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
  if (spec.vbaTrust) {
    const { file, args } = accessVbomCommand(spec.vbaTrust.userKey(spec.vbaTrust.officeVersions[0]!));
    steps.push({
      kind: "vba-trust",
      title: options.trustVbaAccess
        ? "turn on trust access to the VBA project object model (AccessVBOM=1) for each Office version found"
        : "trust access to the VBA project object model: explained, not changed (add --trust-vba-access to set it)",
      consent: options.trustVbaAccess === true,
      display: displayCommand(file, args),
      explanation: spec.vbaTrust.explanation,
    });
  }
  const entry = comRunnerEntry(folders);
  steps.push({ kind: "start", title: startTitle(DEFAULT_PYTHON, entry, app), entry });
  return { app, os: "win", source, target, steps, notes: [...spec.notes] };
}

function startTitle(python: PythonCommand, entry: string, app: string): string {
  return `start the runner with the bridge running (scriptwright serve): ${startCommand(python, entry, app)}`;
}

/** `label`: the app as the plan names it ("Excel"). */
export function formatComPlan(plan: ComInstallPlan, label: string): string {
  const lines = [`Install the Scriptwright COM runner for ${label} on Windows:`];
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
export async function executeComPlan(
  plan: ComInstallPlan,
  target: PanelTarget<"com-runner">,
  deps: ComInstallDeps,
): Promise<StepResult[]> {
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
      const trust = target.spec.vbaTrust;
      if (!step.consent || !trust) {
        result("todo", `${step.explanation} Or run: ${step.display}`);
        continue;
      }
      const outcome = await setAccessVbom(deps.runner, target.label, trust);
      result(outcome.ok ? "ok" : "fail", outcome.detail);
    } else {
      // The command names the Python that was found.
      const title = startTitle(python ?? DEFAULT_PYTHON, step.entry, plan.app);
      results.push({ title, kind: step.kind, status: "todo", detail: "do this yourself" });
    }
  }
  return results;
}

/** AccessVBOM=1 under each Office version that has the app's settings (the newest when none has yet). */
async function setAccessVbom(
  runner: CommandRunner,
  label: string,
  trust: VbaTrustSpec,
): Promise<{ ok: boolean; detail: string }> {
  const image = trust.processImage;
  const tasks = await runner("tasklist", ["/FI", `IMAGENAME eq ${image}`, "/NH"]);
  if (tasks.code === 0 && tasks.stdout.toLowerCase().includes(image.toLowerCase())) {
    return {
      ok: false,
      detail: `${label} is running: close it first (it reads this setting at start and may write its own value back when it exits), then run this again`,
    };
  }
  const versions: string[] = [];
  for (const version of trust.officeVersions) {
    if ((await runner("reg", ["query", trust.settingsKey(version)])).code === 0) versions.push(version);
  }
  if (versions.length === 0) versions.push(trust.officeVersions[0]!);
  const done: string[] = [];
  for (const version of versions) {
    const { file, args } = accessVbomCommand(trust.userKey(version));
    const added = await runner(file, args);
    const display = displayCommand(file, args);
    if (added.code !== 0) {
      const why = firstLine(added);
      return { ok: false, detail: `${display} failed (exit ${added.code})${why ? `: ${why}` : ""}` };
    }
    done.push(display);
  }
  return { ok: true, detail: `${done.join("; ")} — restart ${label} for it to take effect` };
}
