// `scriptwright panel doctor APP` for a UXP plugin: what can be checked from here — the plugin
// as shipped, the package `panel install` built and its port against the running bridge's, the
// pairings, a connected host — and what cannot (inside the app: whether Creative Cloud installed
// it, the app's version, developer mode), said as information with how to check it there.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readBridgeFile } from "../discovery.js";
import { type PairingView, readPairings } from "../pairing/pairing-store.js";
import {
  bridgeCheck,
  type DoctorCheck,
  type HealthProbe,
  type HostsProbe,
  hostCheck,
  installFix,
} from "./doctor.js";
import { type PanelTarget, panelArgs } from "./panel-apps.js";
import {
  manifestPort,
  packageFileName,
  readPortFile,
  readUxpManifest,
  type UxpManifest,
} from "./uxp-package.js";
import { UPIA } from "./uxp-steps.js";

export interface UxpDoctorContext {
  target: PanelTarget<"uxp">;
  dataDir: string;
  health?: HealthProbe;
  hosts?: HostsProbe;
}

/** Where `panel install` puts the package: `<data-dir>/panels/`. */
export function uxpPackageDir(dataDir: string): string {
  return join(dataDir, "panels");
}

function sourceCheck(ctx: UxpDoctorContext): { check: DoctorCheck; manifest?: UxpManifest } {
  const { spec } = ctx.target;
  const title = "plugin files";
  try {
    const manifest = readUxpManifest(spec.source);
    const missing = [manifest.main, spec.portFile].filter((file) => !existsSync(join(spec.source, file)));
    if (missing.length) throw new Error(`${spec.source} lacks ${missing.join(", ")}`);
    return {
      manifest,
      check: {
        id: "plugin-source",
        title,
        status: "ok",
        detail: `${manifest.id} ${manifest.version}, UXP manifest v5 for ${manifest.host.app} ${manifest.host.minVersion} or later (${spec.source}).`,
      },
    };
  } catch (error) {
    return {
      check: {
        id: "plugin-source",
        title,
        status: "fail",
        detail: (error as Error).message,
        fix: "reinstall Scriptwright: the plugin's files are part of the package",
      },
    };
  }
}

/** The package `panel install` built: present, of this version, and the port it was built for. */
function packageCheck(
  ctx: UxpDoctorContext,
  manifest: UxpManifest | undefined,
): { check: DoctorCheck; port?: number } {
  const title = "plugin package";
  const fix = installFix(panelArgs(ctx.target));
  if (!manifest)
    return {
      check: { id: "plugin-package", title, status: "skip", detail: "needs the plugin files (see above)" },
    };
  const ccx = join(uxpPackageDir(ctx.dataDir), packageFileName(ctx.target.spec, manifest.version));
  const folder = ccx.slice(0, -".ccx".length);
  if (!existsSync(ccx) || !existsSync(folder)) {
    return {
      check: {
        id: "plugin-package",
        title,
        status: "fail",
        detail: `No package of version ${manifest.version} built here (${ccx}).`,
        fix,
      },
    };
  }
  try {
    const built = readUxpManifest(folder);
    const port = manifestPort(built);
    const portFile = readPortFile(readFileSync(join(folder, ctx.target.spec.portFile), "utf8"));
    if (port === null || portFile !== port) {
      throw new Error(`its manifest and ${ctx.target.spec.portFile} do not name one port`);
    }
    return {
      port,
      check: {
        id: "plugin-package",
        title,
        status: "ok",
        detail: `${ccx}, built for the bridge on port ${port}.`,
      },
    };
  } catch (error) {
    return {
      check: {
        id: "plugin-package",
        title,
        status: "fail",
        detail: `${folder}: ${(error as Error).message}`,
        fix,
      },
    };
  }
}

function portCheck(ctx: UxpDoctorContext, bridgeOk: boolean, builtPort: number | undefined): DoctorCheck {
  const title = "plugin and bridge on one port";
  if (!bridgeOk || builtPort === undefined) {
    return {
      id: "bridge-port",
      title,
      status: "skip",
      detail: "needs the package and a reachable bridge (see above)",
    };
  }
  const { port } = readBridgeFile(ctx.dataDir);
  if (port === builtPort) {
    return {
      id: "bridge-port",
      title,
      status: "ok",
      detail: `The bridge listens on ${port}, the port the plugin reaches.`,
    };
  }
  return {
    id: "bridge-port",
    title,
    status: "fail",
    detail: `The plugin reaches only port ${builtPort}, but the bridge listens on ${port}.`,
    fix: `rebuild it for ${port} (scriptwright panel install ${panelArgs(ctx.target)} --port ${port}) and install the new .ccx, or restart the bridge with --port ${builtPort}`,
  };
}

function describe(pairing: PairingView): string {
  return `${pairing.id} (${pairing.name}, paired ${pairing.createdAt.slice(0, 10)}, last used ${pairing.lastUsedAt?.slice(0, 16).replace("T", " ") ?? "never"})`;
}

function pairingsCheck(ctx: UxpDoctorContext): DoctorCheck {
  const title = "pairings";
  let mine: PairingView[];
  try {
    mine = readPairings(ctx.dataDir)
      .filter((p) => p.app === ctx.target.app)
      .map(({ secret: _secret, ...rest }) => ({ ...rest, connected: false }));
  } catch (error) {
    return { id: "pairings", title, status: "fail", detail: (error as Error).message };
  }
  if (mine.length === 0) {
    return {
      id: "pairings",
      title,
      status: "info",
      detail: `No ${ctx.target.label} panel is paired yet: once the plugin is open, run \`scriptwright panel pair\` and type the code into it (or paste the URL \`scriptwright serve\` prints).`,
    };
  }
  return {
    id: "pairings",
    title,
    status: "info",
    detail: `Paired: ${mine.map(describe).join("; ")}. \`scriptwright panel unpair ID\` revokes one.`,
  };
}

export async function runUxpDoctor(ctx: UxpDoctorContext): Promise<DoctorCheck[]> {
  const { app, label, spec } = ctx.target;
  const source = sourceCheck(ctx);
  const pkg = packageCheck(ctx, source.manifest);
  const bridge = await bridgeCheck(ctx);
  const bridgeOk = bridge.status === "ok";
  return [
    source.check,
    pkg.check,
    bridge,
    portCheck(ctx, bridgeOk, pkg.port),
    pairingsCheck(ctx),
    await hostCheck(ctx, {
      app,
      label,
      title: `${label} connected`,
      bridgeOk,
      fix: `open ${spec.openHint} in ${label}; if it says it is not paired, run \`scriptwright panel pair\` and type the code into it`,
    }),
    {
      id: "in-app",
      title: `inside ${label}`,
      status: "info",
      detail: [
        `Not checkable from here: whether Creative Cloud installed the plugin (on that machine: ${UPIA.mac.list} or ${UPIA.win.list} with Adobe's Unified Plugin Installer Agent lists it),`,
        `the ${label} version (${spec.appVersions ?? "any"}),`,
        `and, for a folder loaded with the UXP Developer Tool, developer mode (${spec.developerMode}); such a plugin is gone after ${label} restarts.`,
      ].join(" "),
    },
    ...(spec.doctorNotes ?? []).map((note) => ({ ...note, status: "info" as const })),
  ];
}
