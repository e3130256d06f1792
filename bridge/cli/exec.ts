import { BridgeClient } from "../client/bridge-client.js";
import { parseTimeout, printRun } from "./format.js";
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
  return printRun(raw, options.json);
}
