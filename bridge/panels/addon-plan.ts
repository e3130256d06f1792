// `scriptwright panel install APP` for an add-on app: the plan (pack the zip, have the app
// install it, ask the app what it now has) and its execution. The app is asked afterwards
// because its install command may exit 0 without installing (Blender 4.2's extension command).
import { dirname } from "node:path";
import { APP_COMMAND_TIMEOUT_MS, askStatus, type FoundApp, statusChecks } from "./addon-app.js";
import { displayCommand } from "./install-plan.js";
import type { StepResult } from "./install-run.js";
import type { PanelTarget } from "./panel-apps.js";
import { type CommandRunner, lastLine } from "./runner.js";

export type AddonPlanStep =
  | { kind: "pack"; title: string; zip: string }
  | { kind: "command"; title: string; file: string; args: string[]; display: string }
  | { kind: "verify"; title: string };

export interface AddonInstallPlan {
  app: string;
  executable: string;
  appVersion: string;
  addonVersion: string;
  zip: string;
  steps: AddonPlanStep[];
  notes: string[];
}

/** `zip`: where the add-on is written before the app installs it (a temporary folder). */
export function buildAddonPlan(target: PanelTarget<"addon">, app: FoundApp, zip: string): AddonInstallPlan {
  const { spec, label } = target;
  const addonVersion = spec.addonVersion();
  const install = spec.install(zip, app.version);
  const args = [...install.args];
  return {
    app: target.app,
    executable: app.executable,
    appVersion: app.version,
    addonVersion,
    zip,
    steps: [
      { kind: "pack", title: `write the add-on zip (version ${addonVersion})`, zip },
      {
        kind: "command",
        title: install.title,
        file: app.executable,
        args,
        display: displayCommand(app.executable, args),
      },
      { kind: "verify", title: `ask ${label} whether the add-on is installed and enabled` },
    ],
    notes: [...spec.notes],
  };
}

export function formatAddonPlan(plan: AddonInstallPlan, label: string): string {
  const lines = [`Install the Scriptwright add-on into ${label} ${plan.appVersion} (${plan.executable}):`];
  plan.steps.forEach((step, index) => {
    lines.push(`  ${index + 1}. ${step.title}`);
    if (step.kind === "pack") lines.push(`       to ${step.zip}`);
    if (step.kind === "command") lines.push(`       ${step.display}`);
  });
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  return lines.join("\n");
}

/** Runs every step and reports each; the last one is what the app says it now has. */
export async function executeAddonPlan(
  plan: AddonInstallPlan,
  target: PanelTarget<"addon">,
  runner: CommandRunner,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of plan.steps) {
    const result = (status: StepResult["status"], detail: string) =>
      results.push({ title: step.title, kind: step.kind, status, detail });
    if (step.kind === "pack") {
      try {
        const pack = target.spec.pack(dirname(step.zip));
        result("ok", `${pack.zip} (${pack.files.length} files)`);
      } catch (error) {
        result("fail", (error as Error).message);
      }
    } else if (step.kind === "command") {
      if (results.some((r) => r.status === "fail")) {
        result("skip", "needs the zip (see above)");
        continue;
      }
      const done = await runner(step.file, step.args, { timeoutMs: APP_COMMAND_TIMEOUT_MS });
      result(
        done.code === 0 ? "ok" : "fail",
        done.code === 0 ? step.display : `exit ${done.code}: ${lastLine(done)}`,
      );
    } else {
      const checks = statusChecks(target, await askStatus(target, plan.executable, runner));
      const failed = checks.find((check) => check.status !== "ok");
      result(
        failed ? "fail" : "ok",
        failed
          ? `${failed.detail}${failed.fix ? ` (fix: ${failed.fix})` : ""}`
          : checks.map((check) => check.detail).join(" "),
      );
    }
  }
  return results;
}
