// `scriptwright mcp` needs a bridge: the one bridge.json names, if it answers, else one it
// starts itself as a child `scriptwright serve` (with headless hosts) and owns. The child
// gets a pipe as stdin and stops when it closes, so it ends with this process even when
// this process is killed.
import { type ChildProcess, spawn } from "node:child_process";
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import type { Adapter } from "../../adapters/types.js";
import { httpRequest } from "../client/http.js";
import { type BridgeInfo, readBridgeFile } from "../discovery.js";
import { EXIT } from "../exit-codes.js";
import type { HostInfo } from "../hosts/host.js";
import { parseHeadlessSpecs } from "../managed/headless-spec.js";

/** The bridge bridge.json names, when it answers its health check; else null (none, or a stale file). */
export async function findBridge(dataDir: string): Promise<BridgeInfo | null> {
  let info: BridgeInfo;
  try {
    info = readBridgeFile(dataDir);
  } catch {
    return null;
  }
  try {
    const response = await httpRequest(new URL("/api/health", info.url), {
      signal: AbortSignal.timeout(2000),
    });
    return response.status === 200 ? info : null;
  } catch {
    return null;
  }
}

export interface StartOptions {
  dataDir: string;
  port: number;
  /** `serve --headless` values, e.g. ["auto"]. */
  headless: string[];
  adapters: ReadonlyMap<string, Adapter>;
  /** How long to wait for bridge.json, then for the headless hosts. */
  startTimeoutMs?: number;
  hostsTimeoutMs?: number;
}

export interface StartedBridge {
  info: BridgeInfo;
  pid: number;
  /** Managed hosts expected (from the headless specs) and connected when start() returned. */
  expectedHosts: number;
  connectedHosts: number;
  stop(): Promise<void>;
}

export class BridgeStartError extends ScriptwrightError {
  override name = "BridgeStartError";
  constructor(message: string) {
    super("bridge-start-failed", message);
  }
}

export async function startBridge(options: StartOptions): Promise<StartedBridge> {
  // Throws HeadlessSpecError for a bad --headless before anything starts.
  const { specs } = parseHeadlessSpecs(options.headless, options.adapters);
  const expectedHosts = specs.reduce((sum, spec) => sum + spec.count, 0);
  let child = spawnServe(options, options.port);
  let info: BridgeInfo;
  try {
    info = await waitForBridgeFile(child, options);
  } catch (error) {
    // The usual port is taken (a bridge for another data dir?): any free one will do.
    if (!(error instanceof PortTakenError) || options.port === 0) throw error;
    child = spawnServe(options, 0);
    info = await waitForBridgeFile(child, options);
  }
  const owned = child;
  const stop = () => stopChild(owned);
  let connectedHosts = 0;
  try {
    connectedHosts = await waitForHosts(info, expectedHosts, options.hostsTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { info, pid: owned.pid ?? info.pid, expectedHosts, connectedHosts, stop };
}

class PortTakenError extends BridgeStartError {}

function spawnServe(options: StartOptions, port: number): ChildProcess {
  const cli = process.argv[1];
  if (!cli) throw new BridgeStartError("cannot tell where the scriptwright CLI is");
  const args = ["serve", "--data-dir", options.dataDir, "--port", String(port), "--exit-with-stdin"];
  for (const spec of options.headless) args.push("--headless", spec);
  // stdout carries the chat panel URL with the token: not for this process's stdout (the MCP channel).
  return spawn(process.execPath, [...process.execArgv, cli, ...args], { stdio: ["pipe", "ignore", "pipe"] });
}

async function waitForBridgeFile(child: ChildProcess, options: StartOptions): Promise<BridgeInfo> {
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) {
      const why = stderr.trim() || `exit code ${child.exitCode}`;
      if (child.exitCode === EXIT.noBridge && /already in use/.test(stderr)) throw new PortTakenError(why);
      throw new BridgeStartError(`scriptwright serve failed: ${why}`);
    }
    try {
      const info = readBridgeFile(options.dataDir);
      if (info.pid === child.pid) return info;
    } catch {
      // not written yet
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new BridgeStartError(
        `scriptwright serve did not start within ${options.startTimeoutMs ?? 30_000} ms`,
      );
    }
    await sleep(50);
  }
}

/** Waits until the managed hosts are connected, so the first tool call finds them; returns how many are. */
async function waitForHosts(info: BridgeInfo, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let connected = 0;
    try {
      const response = await fetch(new URL("/api/hosts", info.url), {
        headers: { authorization: `Bearer ${info.token}` },
      });
      if (response.ok) connected = ((await response.json()) as HostInfo[]).filter((h) => h.managed).length;
    } catch {
      // the bridge is still coming up
    }
    if (connected >= expected || Date.now() > deadline) return connected;
    await sleep(200);
  }
}

/** Closing stdin stops the bridge cleanly (hosts stopped, bridge.json removed); SIGTERM if it lingers. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGTERM"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
