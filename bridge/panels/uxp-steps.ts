// What a person does with a UXP package, step by step: install the .ccx (Creative Cloud, or
// Adobe's Unified Plugin Installer Agent on the command line), open the panel and pair it once;
// or load the folder in the UXP Developer Tool, where it lasts only until the app restarts.
import { type PanelTarget, panelArgs } from "./panel-apps.js";
import { type HostOs, isTargetOs, OS_LABEL, type TargetOs } from "./targets.js";
import type { UxpPackage } from "./uxp-package.js";
import type { PluginPort } from "./uxp-port.js";

/** Where Creative Cloud keeps its Unified Plugin Installer Agent, per OS. */
export const UPIA: Record<TargetOs, { path: string; install: string; list: string }> = {
  mac: {
    path: "/Library/Application Support/Adobe/Adobe Desktop Common/RemoteComponents/UPI/UnifiedPluginInstallerAgent/UnifiedPluginInstallerAgent.app/Contents/MacOS/UnifiedPluginInstallerAgent",
    install: "--install",
    list: "--list all",
  },
  win: {
    path: "C:\\Program Files\\Common Files\\Adobe\\Adobe Desktop Common\\RemoteComponents\\UPI\\UnifiedPluginInstallerAgent\\UnifiedPluginInstallerAgent.exe",
    install: "/install",
    list: "/list all",
  },
};

export interface UxpStep {
  title: string;
  /** Commands to type, one per line. */
  commands?: string[];
}

export interface UxpInstructions {
  /** Install the .ccx: it stays installed. */
  install: UxpStep[];
  /** Or load the folder for development: gone after the app restarts. */
  develop: UxpStep[];
  notes: string[];
}

const quote = (path: string) => `"${path}"`;

function installCommands(os: TargetOs, ccx: string): UxpStep[] {
  const open = os === "mac" ? `open ${quote(ccx)}` : `start "" ${quote(ccx)}`;
  return [
    {
      title: `${OS_LABEL[os]}: double-click the .ccx (or run the first command); Creative Cloud asks to confirm a plugin that is not from its Marketplace: choose Install locally. Or install it with Adobe's Unified Plugin Installer Agent, which comes with Creative Cloud (second command${os === "mac" ? "; it may need sudo" : ""}).`,
      commands: [open, `${quote(UPIA[os].path)} ${UPIA[os].install} ${quote(ccx)}`],
    },
  ];
}

export function uxpInstructions(options: {
  target: PanelTarget<"uxp">;
  pkg: UxpPackage;
  port: PluginPort;
  /** The OS whose commands to give; one that runs no Adobe app gets both. */
  os: HostOs;
  others: readonly PanelTarget[];
}): UxpInstructions {
  const { target, pkg, port, os, others } = options;
  const { label, spec } = target;
  const oses: TargetOs[] = isTargetOs(os) ? [os] : ["mac", "win"];
  const elsewhere = isTargetOs(os)
    ? []
    : [
        {
          title: `${label} does not run on ${OS_LABEL[os]}: copy ${pkg.ccx} to the Mac or Windows machine that has it.`,
        },
      ];
  return {
    install: [
      ...elsewhere,
      ...oses.flatMap((o) => installCommands(o, isTargetOs(os) ? pkg.ccx : pkg.ccx.split(/[\\/]/).at(-1)!)),
      {
        title: `Restart ${label} if it was open, then open ${spec.openHint}. An installed plugin stays installed when ${label} restarts.`,
      },
      {
        title:
          "Pair it once: run `scriptwright panel pair`, type the code it prints into the panel and press Connect (or paste the URL `scriptwright serve` prints). It keeps working when the bridge restarts with a new token: it reconnects with its pairing. `scriptwright panel pairings` lists pairings, `scriptwright panel unpair ID` revokes one.",
      },
    ],
    develop: [
      {
        title: `Or, to try it without installing: ${spec.developerMode}; then in Adobe's UXP Developer Tool press Add Plugin, pick ${pkg.folder}/manifest.json, and choose Load (••• › Load).`,
      },
      {
        title: `A plugin loaded this way is a development plugin: it is gone when ${label} restarts, so load it again each time (or install the .ccx to keep it).`,
      },
    ],
    notes: [
      `Built for the bridge on port ${pkg.port} (${port.source}). The plugin reaches no other port (UXP allows only the addresses its manifest lists): if the bridge runs on another one (serve --port N, or a bridge \`scriptwright mcp\` started when ${pkg.port} was taken), rebuild with \`scriptwright panel install ${panelArgs(target)} --port N\` and install the new .ccx.`,
      ...(spec.appVersions
        ? [`For ${label} ${spec.appVersions} (${pkg.hostApp} ${pkg.minVersion} or later).`]
        : []),
      ...others.map(
        (other) =>
          `${other.label}${other.spec.appVersions ? ` ${other.spec.appVersions}` : ""}: scriptwright panel install ${panelArgs(other)}`,
      ),
      ...(spec.notes ?? []),
    ],
  };
}

export function formatUxpInstructions(built: string, instructions: UxpInstructions): string {
  const step = (s: UxpStep, n: number | null) => [
    `${n === null ? "  " : `  ${n}. `}${s.title}`,
    ...(s.commands ?? []).map((command) => `       ${command}`),
  ];
  return [
    built,
    "Install it:",
    ...instructions.install.flatMap((s, i) => step(s, i + 1)),
    ...instructions.develop.flatMap((s) => step(s, null)),
    ...instructions.notes.map((note) => `Note: ${note}`),
  ].join("\n");
}
