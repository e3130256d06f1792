import { BridgeClient } from "../client/bridge-client.js";
import { RunResponse } from "../runs/outcome.js";
import { CliError, EXIT, exitCodeFor } from "./exit-codes.js";
import { formatRun } from "./format.js";
import { readScript } from "./script-source.js";

export interface ExecOptions {
  dataDir: string;
  app?: string;
  host?: string;
  file?: string;
  code?: string;
  language?: string;
  timeout?: string;
  json?: boolean;
}

export async function exec(stdinDash: string | undefined, options: ExecOptions): Promise<number> {
  const code = await readScript(stdinDash, options);
  const timeoutMs = parseTimeout(options.timeout);
  const client = BridgeClient.fromDataDir(options.dataDir);
  const raw = await client.post<unknown>("/api/run", {
    code,
    ...(options.app ? { app: options.app } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.language ? { language: options.language } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
  });
  const response = RunResponse.parse(raw);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(response)}\n`);
  } else {
    const { stdout, stderr } = formatRun(response);
    if (stderr) process.stderr.write(`${stderr}\n`);
    if (stdout) process.stdout.write(`${stdout}\n`);
  }
  return exitCodeFor(response.outcome);
}

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new CliError(`--timeout takes milliseconds (a positive whole number), got "${value}"`, EXIT.usage);
  return ms;
}
