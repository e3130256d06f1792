// Executes an install plan on macOS/Windows: copies the folder, runs each command through the
// (injectable) runner, and reports every step. Keeps going after a failed step so the report
// is complete.
import { copyPanel } from "./files.js";
import type { InstallPlan } from "./install-plan.js";
import { type CommandRunner, firstLine } from "./runner.js";

export interface StepResult {
  title: string;
  /** The step's kind: a CEP plan's, a COM runner plan's (com-install.ts) or an add-on plan's (addon-plan.ts). */
  kind: string;
  /** skip: not attempted because an earlier step it needs failed. */
  status: "ok" | "fail" | "todo" | "skip";
  detail: string;
}

export interface InstallDeps {
  runner: CommandRunner;
  copy?: (from: string, to: string) => string[];
}

export async function executePlan(plan: InstallPlan, deps: InstallDeps): Promise<StepResult[]> {
  const copy = deps.copy ?? copyPanel;
  const results: StepResult[] = [];
  for (const step of plan.steps) {
    if (step.kind === "copy") {
      try {
        const files = copy(step.from, step.to);
        results.push({
          title: step.title,
          kind: step.kind,
          status: "ok",
          detail: `${files.length} files copied`,
        });
      } catch (error) {
        results.push({
          title: step.title,
          kind: step.kind,
          status: "fail",
          detail: (error as Error).message,
        });
      }
    } else if (step.kind === "command") {
      const result = await deps.runner(step.file, step.args);
      // killall exits 1 when no cfprefsd runs: then there is no stale cache to refresh.
      const benign = step.file === "killall" && result.code === 1;
      const ok = result.code === 0 || benign;
      const output = firstLine(result);
      results.push({
        title: step.title,
        kind: step.kind,
        status: ok ? "ok" : "fail",
        detail: ok
          ? benign
            ? "no cfprefsd was running"
            : step.display
          : `${step.display} failed (exit ${result.code})${output ? `: ${output}` : ""}`,
      });
    } else {
      results.push({ title: step.title, kind: step.kind, status: "todo", detail: "do this yourself" });
    }
  }
  return results;
}

export function formatResults(results: StepResult[]): string {
  const mark = { ok: "ok  ", fail: "FAIL", todo: "TODO", skip: "skip" } as const;
  return results.map((r) => `[${mark[r.status]}] ${r.title}\n       ${r.detail}`).join("\n");
}
