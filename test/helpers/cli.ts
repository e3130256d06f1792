// Runs the compiled CLI as a user would.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packagePath } from "../../adapters/shared/package-path.js";
import { waitUntil } from "./proc.js";
import { runProcess } from "./run-process.js";

export const CLI = packagePath("dist", "bridge", "cli.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  const { code, stdout, stderr } = await runProcess(process.execPath, [CLI, ...args], options);
  return { code, stdout, stderr };
}

/** A bridge's answer: its status and JSON body (null for 204). */
export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the API, checked by each test.
  json: any;
}

export interface ServeProcess {
  child: ChildProcess;
  output: () => string;
  info: { url: string; port: number; token: string; pid: number };
  /** The bridge's HTTP API with its token: GET, or POST of `body` as JSON. */
  api(path: string, body?: unknown): Promise<ApiAnswer>;
  /** Waits until the bridge lists an idle managed host of each app (what a managed test needs first). */
  managedHostsReady(apps: string[], timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `scriptwright serve` and waits until bridge.json appears. */
export async function startServe(
  dataDir: string,
  extraArgs: string[] = [],
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--data-dir", dataDir, ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const file = join(dataDir, "bridge.json");
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${output}`);
    if (Date.now() > deadline)
      throw new Error(`serve did not write bridge.json in ${timeoutMs} ms: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const info = JSON.parse(readFileSync(file, "utf8"));
  const api = async (path: string, body?: unknown): Promise<ApiAnswer> => {
    const res = await fetch(`${info.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${info.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: res.status === 204 ? null : await res.json() };
  };
  return {
    child,
    output: () => output,
    info,
    api,
    async managedHostsReady(apps, timeoutMs = 120_000) {
      type Row = { app: string; managed?: boolean; busy?: boolean };
      await waitUntil(
        async () => {
          const ready = ((await api("/api/hosts")).json as Row[]).filter((h) => h.managed && !h.busy);
          return apps.every((app) => ready.some((h) => h.app === app));
        },
        timeoutMs,
        `idle managed hosts of ${apps.join(", ")}`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nserve: ${output}`);
      });
    },
    stop(signal = "SIGTERM") {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}
