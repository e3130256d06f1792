// Which bridge port a UXP package is built for: the one asked for (--port), else the running
// bridge's (it may have had to take another), else the default. Said with the package, so a
// person knows when to rebuild.
import { DEFAULT_PORT, runningBridgeFile } from "../discovery.js";
import { type Adapters, hasBuiltInPort, panelArgs, panelTargets } from "./panel-apps.js";

export interface PluginPort {
  port: number;
  /** Where it came from, in words for the report: "--port", "the running bridge", "the default". */
  source: "--port" | "the running bridge" | "the default";
}

export class PluginPortError extends Error {}

export function resolvePluginPort(option: string | undefined, dataDir: string | undefined): PluginPort {
  if (option !== undefined) {
    const port = Number(option);
    // 0 means "any free port" to serve; a plugin can only be built for one it knows.
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new PluginPortError(
        `--port takes the bridge's port, 1 to 65535 (the plugin reaches only that one), got "${option}"`,
      );
    }
    return { port, source: "--port" };
  }
  const running = dataDir === undefined ? null : runningBridgeFile(dataDir);
  if (running) return { port: running.port, source: "the running bridge" };
  return { port: DEFAULT_PORT, source: "the default" };
}

/**
 * For a bridge on another port than the default (or about to be): the panels built for one port
 * and how to rebuild them; "" when no app has such a panel. `port`: the new port, when known.
 */
export function fixedPortPanelsNote(port?: number, adapters?: Adapters): string {
  const targets = panelTargets(adapters).filter(hasBuiltInPort);
  if (targets.length === 0) return "";
  const rebuild = targets
    .map((target) => `scriptwright panel install ${panelArgs(target)} --port ${port ?? "N"}`)
    .join(", ");
  const whose = targets.map((target) => `${target.label}'s`).join(" and ");
  return `${whose} plugin reaches only the port it was built for (${DEFAULT_PORT} unless rebuilt): ${port === undefined ? "on another port" : `for a bridge on ${port}`}, rebuild it (${rebuild}) and install the new .ccx.`;
}
