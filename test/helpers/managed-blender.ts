// An in-process bridge (every registered app) with one managed headless Blender (slot blender-1, supervised: a hung one
// is restarted), its bridge.json written so the CLI finds it, docs left alone.
import { adapters, languageKits } from "../../adapters/registry.js";
import { parseHeadlessSpecs } from "../../bridge/managed/headless-spec.js";
import type { RunResponse } from "../../bridge/runs/outcome.js";
import type { BridgeOptions } from "../../bridge/server/bridge-server.js";
import { type BridgeFixture, startBridge } from "./bridge-fixture.js";
import { runCli } from "./cli.js";

export const BLENDER_HOST = "blender-1";

export interface ManagedBlender {
  fixture: BridgeFixture;
  /** `scriptwright exec --host blender-1 --json`: the run's answer. */
  exec(code: string, extra?: string[]): Promise<RunResponse & { exitCode: number | null }>;
  /** Runs a script and answers its value; any other outcome throws with the run's error. */
  value(code: string): Promise<unknown>;
  /** `scriptwright <args> --data-dir …`. */
  cli(args: string[]): ReturnType<typeof runCli>;
  close(): Promise<void>;
}

export async function startManagedBlender(options: Partial<BridgeOptions> = {}): Promise<ManagedBlender> {
  // Every app's adapter (hosts of other apps may connect), one managed Blender.
  const fixture = await startBridge({
    kits: languageKits,
    adapters,
    headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
    ...options,
  });
  try {
    await fixture.bridge.managed!.waitUntilConnected(90_000);
  } catch (error) {
    await fixture.close();
    throw error;
  }
  const cli = (args: string[]) => runCli([...args, "--data-dir", fixture.dataDir]);
  const managed: ManagedBlender = {
    fixture,
    cli,
    async exec(code, extra = []) {
      const result = await cli(["exec", "--host", BLENDER_HOST, "--json", "--code", code, ...extra]);
      if (!result.stdout) throw new Error(`exec printed nothing (exit ${result.code}): ${result.stderr}`);
      return { ...(JSON.parse(result.stdout) as RunResponse), exitCode: result.code };
    },
    async value(code) {
      const run = await managed.exec(code);
      if (run.outcome !== "ok") throw new Error(`${run.outcome}: ${JSON.stringify(run.error)}`);
      return run.value;
    },
    close: () => fixture.close(),
  };
  return managed;
}
