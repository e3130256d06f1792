// `scriptwright panel install` for a CEP app: the plan (pure data, printable for any OS). The
// app's own notes come from its adapter's panel spec.
import { listFiles } from "./files.js";
import { type Adapters, panelTargetOf } from "./panel-apps.js";
import { CSXS_VERSIONS, OS_LABEL, panelTargetDir, type TargetOs, type UserFolders } from "./targets.js";

export type PlanStep =
  | { kind: "copy"; title: string; from: string; to: string; files: string[] }
  | { kind: "command"; title: string; file: string; args: string[]; display: string }
  | { kind: "manual"; title: string };

export interface InstallPlan {
  app: string;
  os: TargetOs;
  source: string;
  target: string;
  steps: PlanStep[];
  notes: string[];
}

export function debugModeCommand(os: TargetOs, csxs: number): { file: string; args: string[] } {
  return os === "win"
    ? {
        file: "reg",
        args: [
          "add",
          `HKCU\\Software\\Adobe\\CSXS.${csxs}`,
          "/v",
          "PlayerDebugMode",
          "/t",
          "REG_SZ",
          "/d",
          "1",
          "/f",
        ],
      }
    : { file: "defaults", args: ["write", `com.adobe.CSXS.${csxs}`, "PlayerDebugMode", "1"] };
}

/** How a command reads when typed (for the plan's text); execution never goes through a shell. */
export function displayCommand(file: string, args: readonly string[]): string {
  return [file, ...args.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a))].join(" ");
}

function command(title: string, file: string, args: string[]): PlanStep {
  return { kind: "command", title, file, args, display: displayCommand(file, args) };
}

export function buildInstallPlan(options: {
  app: string;
  os: TargetOs;
  folders: UserFolders;
  source: string;
  adapters?: Adapters;
}): InstallPlan {
  const { app, os, folders, source } = options;
  const { label, spec } = panelTargetOf(app, "cep", options.adapters);
  const target = panelTargetDir(os, folders);
  const steps: PlanStep[] = [
    {
      kind: "copy",
      title: `copy the panel to ${target} (no .debug file)`,
      from: source,
      to: target,
      files: listFiles(source),
    },
  ];
  for (const csxs of CSXS_VERSIONS) {
    const { file, args } = debugModeCommand(os, csxs);
    steps.push(command(`allow unsigned panels for CEP ${csxs} (PlayerDebugMode=1)`, file, args));
  }
  if (os === "mac") {
    steps.push(
      command("refresh the preferences cache (cfprefsd restarts by itself)", "killall", ["cfprefsd"]),
    );
  }
  steps.push({
    kind: "manual",
    title: `restart ${label}; the panel is under Window › Extensions › Scriptwright`,
  });
  const notes = [
    ...(spec.notes ?? []),
    `Start the bridge first (scriptwright serve): the panel connects to it and opens the chat.`,
  ];
  return { app, os, source, target, steps, notes };
}

/** `label`: the app as the plan names it ("After Effects"). */
export function formatPlan(plan: InstallPlan, label: string): string {
  const lines = [`Install the Scriptwright panel for ${label} on ${OS_LABEL[plan.os]}:`];
  plan.steps.forEach((step, index) => {
    lines.push(`  ${index + 1}. ${step.title}`);
    if (step.kind === "command") lines.push(`       ${step.display}`);
    if (step.kind === "copy") lines.push(`       from ${step.from} (${step.files.length} files)`);
  });
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  return lines.join("\n");
}
