// `scriptwright mcp`: an MCP server on stdin/stdout that forwards to the running bridge (or
// to one it starts). stdout is the MCP channel: every message for people goes to stderr.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Adapter, LanguageKit } from "../../adapters/types.js";
import { BridgeClient } from "../client/bridge-client.js";
import { type BridgeInfo, DEFAULT_PORT, panelUrl } from "../discovery.js";
import { findBridge, type StartedBridge, startBridge } from "./bridge-starter.js";
import type { McpApproval } from "./gate.js";
import { httpBackend } from "./http-backend.js";
import { createMcpServer } from "./tools.js";

export interface StdioOptions {
  dataDir: string;
  approval: McpApproval;
  defaultApp?: string;
  /** For a bridge this starts: `serve --port` (0 = any free one) and `--headless` values. */
  port: number;
  headless: string[];
  adapters: ReadonlyMap<string, Adapter>;
  kits: ReadonlyMap<string, LanguageKit>;
}

const say = (line: string) => process.stderr.write(`scriptwright mcp: ${line}\n`);

export async function serveStdio(options: StdioOptions): Promise<void> {
  let owned: StartedBridge | null = null;
  // The handshake does not wait for the bridge (a client gives up on a slow initialize);
  // tool calls do.
  const ready: Promise<BridgeInfo> = (async () => {
    const found = await findBridge(options.dataDir);
    if (found) {
      say(`using the bridge at ${found.url} (data dir ${options.dataDir})`);
      return found;
    }
    say(`no bridge is running for ${options.dataDir}: starting one (scriptwright serve)…`);
    owned = await startBridge(options);
    const { info } = owned;
    const hosts = owned.expectedHosts
      ? `${owned.connectedHosts} of ${owned.expectedHosts} headless hosts connected`
      : "no headless app found on PATH, so no host yet";
    say(
      `started a bridge at ${info.url} (pid ${owned.pid}; ${hosts}); it stops when this MCP server exits. Chat panel, to approve scripts: ${panelUrl(info.url, info.token)}`,
    );
    if (info.port !== DEFAULT_PORT) {
      // Panels built for one port (the default, unless rebuilt) do not reach this bridge.
      const { fixedPortPanelsNote } = await import("../panels/uxp-port.js");
      const note = fixedPortPanelsNote(info.port, options.adapters);
      const why =
        options.port === DEFAULT_PORT
          ? `port ${DEFAULT_PORT} was taken, so this bridge is on ${info.port}. `
          : "";
      if (note) say(`${why}${note}`);
    }
    return info;
  })();
  ready.catch((error: Error) => say(`no bridge: ${error.message}`));

  const backend = httpBackend({
    // bridge.json is read again per call: a bridge restarted since (new port and token) is found.
    client: async () => {
      await ready;
      return BridgeClient.fromDataDir(options.dataDir);
    },
    approval: options.approval,
    kits: options.kits,
    adapters: options.adapters,
  });
  const server = createMcpServer(backend, { defaultApp: options.defaultApp });

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close().catch(() => undefined);
    await ready.catch(() => undefined);
    const bridge = owned as StartedBridge | null;
    if (bridge) {
      say("stopping the bridge it started…");
      await bridge.stop();
    }
    process.exit(0);
  };
  // The client ends the session by closing our stdin (then SIGTERM if we linger).
  process.stdin.on("end", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());

  await server.connect(new StdioServerTransport());
}
