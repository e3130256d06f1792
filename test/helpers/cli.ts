// Runs the compiled CLI as a user would.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packagePath } from "../../adapters/shared/package-path.js";
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

export interface ServeProcess {
  child: ChildProcess;
  output: () => string;
  info: { url: string; port: number; token: string; pid: number };
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
  return {
    child,
    output: () => output,
    info,
    stop(signal = "SIGTERM") {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}
