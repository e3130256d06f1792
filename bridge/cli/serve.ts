import { adapters, languageKits } from "../../adapters/registry.js";
import { ensurePrivateDir } from "../data-dir.js";
import { bridgeFilePath, DEFAULT_PORT, panelUrl, processAlive, readBridgeFile } from "../discovery.js";
import { parseHeadlessSpecs } from "../managed/headless-spec.js";
import { fixedPortPanelsNote } from "../panels/uxp-port.js";
import { Bridge, PortInUseError } from "../server/bridge-server.js";
import { CliError, EXIT } from "./exit-codes.js";

export interface ServeOptions {
  dataDir: string;
  port?: string;
  headless: string[];
  allowOrigin: string[];
  mcpAutoApprove?: boolean;
  provider?: string;
  baseUrl?: string;
  model?: string;
  smallModel?: boolean;
  heartbeatMs?: string;
  exitWithStdin?: boolean;
}

export async function serve(options: ServeOptions): Promise<void> {
  ensurePrivateDir(options.dataDir);
  const port = parsePort(options.port);
  await refuseIfAlreadyRunning(options.dataDir);

  const specs = parseHeadlessSpecs(options.headless, adapters);
  for (const note of specs.notes) console.log(note);

  const bridge = new Bridge({
    dataDir: options.dataDir,
    port,
    allowedOrigins: options.allowOrigin,
    headless: specs.specs,
    heartbeatMs: parseHeartbeat(options.heartbeatMs),
    mcpAutoApprove: options.mcpAutoApprove === true,
    modelFlags: {
      provider: options.provider,
      baseUrl: options.baseUrl,
      model: options.model,
      ...(options.smallModel ? { smallModel: true } : {}),
    },
    adapters,
    kits: languageKits,
  });
  try {
    await bridge.start();
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    const { portConflictMessage } = await import("./port-conflict.js");
    throw new PortInUseError(await portConflictMessage(port));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the bridge…`);
    await bridge.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  if (options.exitWithStdin) {
    process.stdin.on("end", () => void shutdown("stdin closed"));
    process.stdin.resume();
  }
  process.on("uncaughtException", (error) => {
    bridge.logger.fatal({ err: error.message, stack: error.stack }, "uncaught exception");
    console.error(`scriptwright: internal error: ${error.message}`);
    void bridge.stop().finally(() => process.exit(1));
  });

  console.log(`Scriptwright bridge listening on ${bridge.url}`);
  console.log(`Chat panel: ${panelUrl(bridge.url, bridge.token)}`);
  console.log(
    `MCP (Streamable HTTP): ${bridge.url}/mcp with the bearer token; ${options.mcpAutoApprove ? "scripts run without approval" : "scripts wait for approval in the chat panel"}`,
  );
  console.log(`Discovery file: ${bridgeFilePath(options.dataDir)} (panels and CLI commands read it)`);
  // Panels that cannot read bridge.json pair once (`panel pair`) and reach one port only.
  if (bridge.port !== DEFAULT_PORT) {
    const note = fixedPortPanelsNote(bridge.port);
    if (note) console.log(`Note: ${note}`);
  }
  bridge.pool.on("added", (host) => {
    console.log(
      `host connected: ${host.id} (${host.app} ${host.hello.appVersion}${host.managed ? ", managed" : ""})`,
    );
  });
  bridge.pool.on("removed", (host) => console.log(`host disconnected: ${host.id}`));
  if (specs.specs.length) {
    const total = specs.specs.reduce((n, spec) => n + spec.count, 0);
    console.log(
      `starting ${total} headless host${total > 1 ? "s" : ""}: ${specs.specs.map((s) => `${s.adapter.app}:${s.count}`).join(", ")}`,
    );
    bridge.managed?.waitUntilConnected(120_000).then(
      () => console.log("all headless hosts are ready"),
      (error: Error) => console.error(`warning: ${error.message}; see the logs in ${options.dataDir}/logs`),
    );
  }
}

function parseHeartbeat(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 50)
    throw new CliError(`--heartbeat-ms takes at least 50, got "${value}"`, EXIT.usage);
  return ms;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--port takes a number from 0 to 65535, got "${value}"`, EXIT.usage);
  }
  return port;
}

/** One bridge per data dir: a second one would overwrite the first's bridge.json and strand its panels. */
async function refuseIfAlreadyRunning(dataDir: string): Promise<void> {
  let info: ReturnType<typeof readBridgeFile>;
  try {
    info = readBridgeFile(dataDir);
  } catch {
    return;
  }
  if (info.pid === process.pid || !processAlive(info.pid)) return;
  try {
    const response = await fetch(new URL("/api/health", info.url), { signal: AbortSignal.timeout(2000) });
    if (response.ok) {
      throw new CliError(
        `a bridge is already running at ${info.url} (pid ${info.pid}) for ${dataDir}; stop it first or use another --data-dir`,
        EXIT.usage,
      );
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
  }
}
