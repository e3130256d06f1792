// Queued batch jobs against a real Redis and a real headless Blender: `batch run --queue` hands
// each file to a `scriptwright worker` child and journals the results it gets back.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBlendFiles, saveMacro } from "./helpers/batch-fixtures.js";
import { CLI, runCli } from "./helpers/cli.js";
import { requireBinary } from "./helpers/require-binary.js";

const redis = requireBinary("redis-server", "apt-get install redis-server");
const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: () => string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

describe.skipIf(redis.skip || blender.skip)("batch jobs through a Redis queue and a worker", () => {
  let root: string;
  let dataDir: string;
  let url: string;
  let redisChild: ChildProcess | undefined;
  let workerChild: ChildProcess | undefined;
  let workerOutput = "";
  const cli = (args: string[]) => runCli([...args, "--data-dir", dataDir]);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "sw-queue-"));
    dataDir = join(root, "data");
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redisChild = spawn(
      redis.path!,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let redisOutput = "";
    redisChild.stdout?.on("data", (chunk) => {
      redisOutput += chunk;
    });
    await waitFor(
      () => "redis-server",
      () => redisOutput.includes("Ready to accept connections"),
      10_000,
    );

    // f0 … f2: the factory scene (3 objects) plus i+1 cubes each.
    makeBlendFiles(blender.path!, root, [
      "for i in range(3):",
      "    bpy.ops.mesh.primitive_cube_add(location=(i * 3, 0, 0))",
      "    bpy.ops.wm.save_as_mainfile(filepath=f'{out}/f{i}.blend')",
    ]);
    const saved = await saveMacro(dataDir, root, "count", 'len(bpy.data.objects) * params["mul"]\n', {
      type: "object",
      properties: { mul: { type: "integer", default: 1 } },
    });
    expect(saved.code, saved.stderr).toBe(0);

    workerChild = spawn(
      process.execPath,
      [CLI, "worker", "--queue", url, "--app", "blender", "--hosts", "1", "--data-dir", join(root, "worker")],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    workerChild.stdout?.on("data", (chunk) => {
      workerOutput += chunk;
    });
    workerChild.stderr?.on("data", (chunk) => {
      workerOutput += chunk;
    });
    await waitFor(
      () => `the worker (${workerOutput})`,
      () => {
        if (workerChild?.exitCode !== null) throw new Error(`worker exited: ${workerOutput}`);
        return workerOutput.includes("taking files from");
      },
      120_000,
    );
  }, 180_000);

  afterAll(async () => {
    await stop(workerChild);
    await stop(redisChild);
    if (root) rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("runs every file on the worker and journals the results locally", async () => {
    const run = await cli([
      "batch",
      "run",
      "--macro",
      "count",
      "--files",
      join(root, "f*.blend"),
      "--param",
      "mul=10",
      "--queue",
      url,
      "--json",
    ]);
    expect(run.code, `${run.stderr}\nworker: ${workerOutput}`).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ state: "finished", total: 3, done: 3, ok: 3, failed: 0 });
    // Progress lines, one per file, as for local jobs.
    const progress = run.stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line))
      .filter((event) => event.file);
    expect(progress).toHaveLength(3);

    const status = await cli(["batch", "status", summary.id, "--json"]);
    expect(status.code, status.stderr).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed).toMatchObject({ state: "finished", ok: 3, failed: 0 });
    // Each file's own object count (3 factory objects + i+1 cubes), times mul=10.
    expect(parsed.files.map((f: { outcome: string }) => f.outcome)).toEqual(["ok", "ok", "ok"]);
    expect(parsed.files.map((f: { value: number }) => f.value)).toEqual([40, 50, 60]);
  }, 180_000);

  it("resumes a queued job on its queue: a file still on the worker when the submitter died runs once", async () => {
    const runLog = join(root, "runs.log");
    const saved = await saveMacro(
      dataDir,
      root,
      "slow-log",
      [
        "import time",
        "time.sleep(1.0)",
        'with open(params["log"], "a") as log:',
        "    log.write(bpy.path.basename(bpy.data.filepath) + '\\n')",
        "len(bpy.data.objects)",
      ].join("\n"),
      { type: "object", properties: { log: { type: "string" } }, required: ["log"] },
    );
    expect(saved.code, saved.stderr).toBe(0);
    const submitter = spawn(
      process.execPath,
      [
        CLI,
        "batch",
        "run",
        "--macro",
        "slow-log",
        "--files",
        join(root, "f*.blend"),
        "--param",
        `log=${runLog}`,
        "--queue",
        url,
        "--json",
        "--data-dir",
        dataDir,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let submitted = "";
    submitter.stderr?.on("data", (chunk) => {
      submitted += chunk;
    });
    // Killed while the worker is busy with the first file, before it has done them all.
    await waitFor(
      () => `the worker to take the first file (${submitted})`,
      () => existsSync(runLog) || /"file"/.test(submitted),
      60_000,
    );
    submitter.kill("SIGKILL");
    await new Promise((resolve) => submitter.once("exit", resolve));
    const id = /job (\S+):/.exec(submitted)?.[1];
    expect(id, submitted).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    const before = JSON.parse((await cli(["batch", "status", id!, "--json"])).stdout);
    expect(before.state).toBe("interrupted");
    expect(before.done).toBeLessThan(3);

    const resumed = await cli(["batch", "resume", id!, "--json"]);
    expect(resumed.code, `${resumed.stderr}\nworker: ${workerOutput}`).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ state: "finished", total: 3, ok: 3 });
    // Each file ran exactly once, on the worker: nothing ran again locally or twice on the queue.
    const ran = readFileSync(runLog, "utf8").trim().split("\n").sort();
    expect(ran).toEqual(["f0.blend", "f1.blend", "f2.blend"]);
  }, 180_000);
});
