import { BridgeClient } from "../client/bridge-client.js";
import type { HostInfo } from "../hosts/host.js";
import { formatHosts } from "./format.js";

export async function hosts(options: { dataDir: string; json?: boolean }): Promise<number> {
  const list = await BridgeClient.fromDataDir(options.dataDir).get<HostInfo[]>("/api/hosts");
  process.stdout.write(`${options.json ? JSON.stringify(list) : formatHosts(list)}\n`);
  return 0;
}
