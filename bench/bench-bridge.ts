// A quiet in-process bridge for benchmarks, optionally with managed headless Blenders;
// `close()` stops it and removes its data dir.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adapters, languageKits } from "../adapters/registry.js";
import { silentLogger } from "../bridge/logger.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { Bridge } from "../bridge/server/bridge-server.js";

export async function startBenchBridge(
  blenders: number,
): Promise<{ bridge: Bridge; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "sw-bench-"));
  const bridge = new Bridge({
    dataDir,
    port: 0,
    logger: silentLogger(),
    kits: languageKits,
    adapters,
    headless: blenders ? parseHeadlessSpecs([`blender:${blenders}`], adapters).specs : [],
    writeDiscovery: false,
    // Runs are measured, not a docs sync sharing the hosts with them.
    autoDocs: false,
  });
  await bridge.start();
  if (blenders) await bridge.managed!.waitUntilConnected(60_000);
  return {
    bridge,
    close: async () => {
      await bridge.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
