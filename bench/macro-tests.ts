// (i) `scriptwright macro test` of a 3-case Blender macro, as a user runs it (the built CLI in a
// fresh node process). Cold: no bridge runs, so the command starts a bridge and a headless
// Blender of its own, runs the cases and stops them; against a bare `blender -b --factory-startup`
// measured in the same run (the floor of any cold run). Warm: a bridge runs and its test host is
// already up; against `node -e 0` in the same run (the floor of any CLI command). Where the time
// goes: the report's own duration (cases on the host) against the command's wall time.
// Targets: warm ≤ 1 s, cold ≤ 5 s on the 2-core development machine.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBlender } from "../adapters/blender/find.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { silentLogger } from "../bridge/logger.js";
import { MacroStore } from "../bridge/macros/store.js";
import { Bridge } from "../bridge/server/bridge-server.js";
import { CLI } from "../test/helpers/cli.js";
import { summarize } from "./stats.js";

const COLD_ROUNDS = 3;
const WARM_ROUNDS = 7;

const CODE = [
  'for i in range(params["count"]):',
  "    bpy.ops.mesh.primitive_cube_add(location=(i * 3, 0, 0))",
  "len(bpy.data.objects)",
].join("\n");
const TESTS = [
  { name: "none", params: { count: 0 }, expect: { value: 3 } },
  { name: "two", params: { count: 2 }, expect: { value: 5, schema: { type: "integer" } } },
  { name: "five", params: { count: 5 }, expect: { check: "len(bpy.data.meshes) >= 6" } },
];

function wall(command: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${stderr}`));
      else resolve({ ms: performance.now() - start, stdout });
    });
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function benchMacroTests(): Promise<string> {
  const blender = findBlender();
  if (!blender) return "\n(i) macro test: skipped, blender is not found (npm run setup installs it)";
  const root = mkdtempSync(join(tmpdir(), "sw-bench-macro-tests-"));
  const dataDir = join(root, "data");
  const lines = ["\n(i) scriptwright macro test, a 3-case Blender macro (built CLI, fresh process each run)"];
  try {
    await new MacroStore(dataDir, { adapters }).save({
      name: "bench-cubes",
      app: "blender",
      description: "adds cubes (macro test benchmark)",
      code: CODE,
      params: { type: "object", properties: { count: { type: "integer" } }, required: ["count"] },
      tests: TESTS,
    });
    const test = () =>
      wall(process.execPath, [CLI, "macro", "test", "bench-cubes", "--json", "--data-dir", dataDir]);
    const onHost = (stdout: string) => (JSON.parse(stdout) as { durationMs: number }).durationMs;

    // Cold, each against a bare Blender start in the same round.
    const cold: number[] = [];
    const coldHost: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < COLD_ROUNDS; round++) {
      bare.push((await wall(blender, ["-b", "--factory-startup", "--python-expr", "import bpy"])).ms);
      const run = await test();
      cold.push(run.ms);
      coldHost.push(onHost(run.stdout));
    }

    // Warm: a running bridge whose test host is up.
    const bridge = new Bridge({
      dataDir,
      port: 0,
      logger: silentLogger(),
      kits: languageKits,
      adapters,
      autoDocs: false,
    });
    await bridge.start();
    const warm: number[] = [];
    const warmHost: number[] = [];
    const node: number[] = [];
    try {
      await test(); // starts the test host
      for (let round = 0; round < WARM_ROUNDS; round++) {
        node.push((await wall(process.execPath, ["-e", "0"])).ms);
        const run = await test();
        warm.push(run.ms);
        warmHost.push(onHost(run.stdout));
      }
    } finally {
      await bridge.stop();
    }

    const p50 = (xs: number[]) => summarize(xs).p50;
    const coldMs = p50(cold);
    const warmMs = p50(warm);
    lines.push(
      `  cold (no bridge: starts a bridge and a headless Blender): p50 ${seconds(coldMs)}, ${(coldMs / p50(bare)).toFixed(2)}× a bare Blender start (${seconds(p50(bare))}); the 3 cases on the host ${seconds(p50(coldHost))}  (target ≤ 5 s: ${coldMs <= 5000 ? "met" : "NOT met"})`,
      `  warm (running bridge, its test host up): p50 ${seconds(warmMs)}, ${(warmMs / p50(node)).toFixed(1)}× node -e 0 (${seconds(p50(node))}); the 3 cases on the host ${seconds(p50(warmHost))}, the rest is the CLI's start and its HTTP call  (target ≤ 1 s: ${warmMs <= 1000 ? "met" : "NOT met"})`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return lines.join("\n");
}

// `tsx bench/macro-tests.ts` runs this one alone.
if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchMacroTests());
