// bridge.json tells panels and CLI commands where the running bridge is and its token.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ScriptwrightError } from "../adapters/shared/errors.js";

export interface BridgeInfo {
  url: string;
  port: number;
  token: string;
  pid: number;
  version: string;
}

/** Where `serve` listens unless told otherwise. */
export const DEFAULT_PORT = 7821;

/** The URL people open (the token travels once; the page stores it and clears the address bar). */
export function panelUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/?token=${encodeURIComponent(token)}`;
}

export function bridgeFilePath(dataDir: string): string {
  return join(dataDir, "bridge.json");
}

/** Written to a private temp file then renamed, so a reader never sees half a file or a wider mode. */
export function writeBridgeFile(dataDir: string, info: BridgeInfo): string {
  const target = bridgeFilePath(dataDir);
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, target);
  return target;
}

export class NoBridgeError extends ScriptwrightError {
  override name = "NoBridgeError";
  constructor(message: string) {
    super("no-bridge", message, { status: 503 });
  }
}

export function readBridgeFile(dataDir: string): BridgeInfo {
  const path = bridgeFilePath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new NoBridgeError(`no bridge is running (no ${path}); start one with: scriptwright serve`);
  }
  const info = asBridgeInfo(safeJson(text));
  if (!info) throw new NoBridgeError(`${path} is not a valid bridge file; restart the bridge`);
  return info;
}

/**
 * Its five fields, checked by hand: loading zod takes longer than all the rest of `hosts` or
 * `exec` does before its request, and this is the one thing they validate.
 */
function asBridgeInfo(value: unknown): BridgeInfo | null {
  if (typeof value !== "object" || value === null) return null;
  const { url, port, token, pid, version } = value as Record<string, unknown>;
  if (typeof url !== "string" || typeof token !== "string" || typeof version !== "string") return null;
  if (typeof port !== "number" || !Number.isInteger(port)) return null;
  if (typeof pid !== "number" || !Number.isInteger(pid)) return null;
  return { url, port, token, pid, version };
}

/** Whether a process with this pid exists (one of another user's counts too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The bridge bridge.json names when its process is still alive; null when none is (or the file is stale). */
export function runningBridgeFile(dataDir: string): BridgeInfo | null {
  try {
    const info = readBridgeFile(dataDir);
    return processAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** Removes bridge.json only if it still describes this process (another bridge may have replaced it). */
export function removeBridgeFile(dataDir: string, pid = process.pid): void {
  try {
    const info = readBridgeFile(dataDir);
    if (info.pid !== pid) return;
  } catch {
    return;
  }
  rmSync(bridgeFilePath(dataDir), { force: true });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
