// Batch jobs against real headless Blenders: the compiled CLI, .blend files made by Blender
// itself, a macro saved in a temp data dir, and a kill -9 in the middle of a job.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBlendFiles, saveMacro } from "./helpers/batch-fixtures.js";
import { CLI, runCli } from "./helpers/cli.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

describe.skipIf(blender.skip)("batch jobs on headless Blender", () => {
  let root: string;
  let dataDir: string;
  const files: string[] = [];
  const cli = (args: string[]) => runCli([...args, "--data-dir", dataDir]);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "sw-batch-"));
    dataDir = join(root, "data");
    // f0 … f7: the factory scene (3 objects) plus i+1 cubes each.
    makeBlendFiles(blender.path!, root, [
      "for i in range(8):",
      "    bpy.ops.mesh.primitive_cube_add(location=(i * 3, 0, 0))",
      "    bpy.ops.wm.save_as_mainfile(filepath=f'{out}/f{i}.blend')",
    ]);
    for (let i = 0; i < 8; i++) files.push(join(root, `f${i}.blend`));
    writeFileSync(join(root, "count.py"), 'len(bpy.data.objects) * params["mul"] + params["add"]\n');
    writeFileSync(
      join(root, "count.json"),
      JSON.stringify({
        type: "object",
        properties: { mul: { type: "integer", default: 1 }, add: { type: "number", default: 0 } },
      }),
    );
    const saved = await cli([
      "macro",
      "save",
      "count",
      "--app",
      "blender",
      "--file",
      join(root, "count.py"),
      "--params",
      join(root, "count.json"),
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    writeFileSync(
      join(root, "slow.py"),
      [
        "import os, time",
        "with open(params['log'], 'a') as log:",
        "    log.write(os.path.basename(bpy.data.filepath) + '\\n')",
        "time.sleep(1.0)",
        "len(bpy.data.objects)",
      ].join("\n"),
    );
    writeFileSync(
      join(root, "slow.json"),
      JSON.stringify({ type: "object", properties: { log: { type: "string" } }, required: ["log"] }),
    );
    const slow = await cli([
      "macro",
      "save",
      "slow-log",
      "--app",
      "blender",
      "--file",
      join(root, "slow.py"),
      "--params",
      join(root, "slow.json"),
    ]);
    expect(slow.code, slow.stderr).toBe(0);
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("runs a macro over 6 files with 2 hosts; params typed by the schema; status --json", async () => {
    const run = await cli([
      "batch",
      "run",
      "--macro",
      "count",
      "--files",
      join(root, "f[0-5].blend"),
      "--param",
      "mul=10",
      "--param",
      "add=0.5",
      "--concurrency",
      "2",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ state: "finished", total: 6, done: 6, ok: 6, failed: 0 });
    // Each file's own object count: 3 factory objects + i+1 cubes; mul=10 is a number, not "10".
    expect(summary.files.map((f: { value: number }) => f.value)).toEqual([
      40.5, 50.5, 60.5, 70.5, 80.5, 90.5,
    ]);
    // Progress is JSON lines when stderr is not a TTY.
    const progress = run.stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line));
    expect(progress.at(-1)).toMatchObject({ type: "progress", done: 6, total: 6, failed: 0 });

    const status = await cli(["batch", "status", summary.id, "--json"]);
    expect(status.code).toBe(0);
    const body = JSON.parse(status.stdout);
    expect(body).toMatchObject({ id: summary.id, state: "finished", total: 6, done: 6, failed: 0 });
    for (const f of body.files) {
      expect(f).toMatchObject({ outcome: "ok" });
      expect(typeof f.durationMs).toBe("number");
    }
    const jobDir = join(dataDir, "jobs", summary.id);
    expect(JSON.parse(readFileSync(join(jobDir, "report.json"), "utf8")).ok).toBe(6);
    expect(readFileSync(join(jobDir, "report.html"), "utf8")).toContain("f5.blend");
    expect(existsSync(join(dataDir, "bridge.json"))).toBe(false);

    const list = await cli(["batch", "list", "--json"]);
    expect(JSON.parse(list.stdout).map((j: { id: string }) => j.id)).toContain(summary.id);
  });

  it("refuses invalid params before anything runs", async () => {
    const run = await cli(["batch", "run", "--macro", "count", "--files", files[0]!, "--param", "mul=lots"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/parameter "mul"/);
    const unknown = await cli(["batch", "run", "--macro", "nope", "--files", files[0]!]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no macro named "nope"/);
    const list = JSON.parse((await cli(["batch", "list", "--json"])).stdout);
    expect(list.every((j: { macro: string; total: number }) => j.macro === "count" && j.total === 6)).toBe(
      true,
    );
  });

  it("gives a missing file and a broken file their own outcome; the rest run", async () => {
    const broken = join(root, "broken.blend");
    writeFileSync(broken, "<not a blend file>");
    const missing = join(root, "missing.blend");
    const run = await cli([
      "batch",
      "run",
      "--macro",
      "count",
      "--files",
      files[0]!,
      missing,
      broken,
      files[1]!,
      "--json",
    ]);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ total: 4, done: 4, ok: 2, failed: 2 });
    const byFile = new Map(summary.files.map((f: { file: string }) => [f.file, f]));
    expect(byFile.get(missing)).toMatchObject({ outcome: "error", error: { message: /not found/ } });
    expect(byFile.get(broken)).toMatchObject({ outcome: "error", error: { message: /opening the file/ } });
    expect(byFile.get(files[1]!)).toMatchObject({ outcome: "ok", value: 5 });
    const html = readFileSync(join(dataDir, "jobs", summary.id, "report.html"), "utf8");
    expect(html).toContain("missing.blend");
    expect(html).not.toContain("<not a blend");
  });

  /** `batch run` of the slow-log macro over the f*.blend files, in the background. */
  const startSlowJob = (log: string, concurrency: number, detached: boolean) =>
    spawn(
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
        `log=${log}`,
        "--concurrency",
        String(concurrency),
        "--data-dir",
        dataDir,
      ],
      { detached, stdio: "ignore" },
    );

  it("resumes after kill -9: every file done, at most the in-flight ones twice", async () => {
    const log = join(root, "slow.log");
    const jobsDir = join(dataDir, "jobs");
    const jobsBefore = new Set(existsSync(jobsDir) ? readdirSync(jobsDir) : []);
    const child = startSlowJob(log, 2, true);
    // Read the journal directly: polling through the CLI is slower than the job itself.
    let id: string | undefined;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error("the job never got 3 files done");
      id ??= (existsSync(jobsDir) ? readdirSync(jobsDir) : []).find((name) => !jobsBefore.has(name));
      const journal = id ? join(jobsDir, id, "journal.jsonl") : null;
      const done =
        journal && existsSync(journal) ? readFileSync(journal, "utf8").split('"type":"done"').length - 1 : 0;
      if (done >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    process.kill(-child.pid!, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 500));

    const interrupted = JSON.parse((await cli(["batch", "status", id!, "--json"])).stdout);
    expect(interrupted.state).toBe("interrupted");
    expect(interrupted.done).toBeLessThan(8);

    const resumed = await cli(["batch", "resume", id!, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary).toMatchObject({ state: "finished", total: 8, done: 8, ok: 8, failed: 0 });

    const counts = new Map<string, number>();
    for (const name of readFileSync(log, "utf8").split("\n").filter(Boolean))
      counts.set(name, (counts.get(name) ?? 0) + 1);
    expect(counts.size).toBe(8);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
    const twice = [...counts.values()].filter((n) => n === 2).length;
    expect(twice).toBeLessThanOrEqual(2);
    // Files run twice are exactly those marked as reruns.
    const reruns = summary.files.filter((f: { rerun?: boolean }) => f.rerun).length;
    expect(reruns).toBeGreaterThanOrEqual(twice);
    expect(reruns).toBeLessThanOrEqual(2);
  }, 180_000);

  it("cancel: a running job stops taking files and ends cancelled", async () => {
    const log = join(root, "cancel.log");
    const before = new Set(
      JSON.parse((await cli(["batch", "list", "--json"])).stdout).map((j: { id: string }) => j.id),
    );
    const child = startSlowJob(log, 1, false);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let id: string | undefined;
    const deadline = Date.now() + 90_000;
    while (!id) {
      if (Date.now() > deadline) throw new Error("the job never got a file done");
      const jobs = JSON.parse((await cli(["batch", "list", "--json"])).stdout) as {
        id: string;
        done: number;
      }[];
      id = jobs.find((j) => !before.has(j.id) && j.done >= 1)?.id;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cancel = await cli(["batch", "cancel", id]);
    expect(cancel.code).toBe(0);
    expect(await exited).toBe(1);
    const status = JSON.parse((await cli(["batch", "status", id, "--json"])).stdout);
    expect(status.state).toBe("cancelled");
    expect(status.done).toBeLessThan(8);
  }, 120_000);
  it("checks that a macro which saves did save each file, and leaves no .blend1 backups unless asked", async () => {
    const folder = mkdtempSync(join(root, "saves-"));
    makeBlendFiles(blender.path!, folder, [
      "for i in range(2):",
      "    bpy.ops.wm.save_as_mainfile(filepath=f'{out}/s{i}.blend')",
    ]);
    const both = [join(folder, "s0.blend"), join(folder, "s1.blend")];
    expect(
      (
        await saveMacro(
          dataDir,
          folder,
          "rename-save",
          'D.objects[0].name = "Saved"\nbpy.ops.wm.save_mainfile()\n1',
        )
      ).code,
    ).toBe(0);
    // Meant to save (check sees save_mainfile), but never does.
    expect(
      (await saveMacro(dataDir, folder, "forgets-to-save", "if False:\n    bpy.ops.wm.save_mainfile()\n1"))
        .code,
    ).toBe(0);

    const saved = await cli(["batch", "run", "--macro", "rename-save", "--files", ...both, "--json"]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stderr).toMatch(/check: .*saves the \.blend file/);
    expect(saved.stderr).toMatch(/each file is checked to have been saved/);
    expect(saved.stderr).toMatch(/"type":"starting","hosts":2,"app":"blender"/);
    expect(readdirSync(folder).filter((name) => name.endsWith(".blend1"))).toEqual([]);

    const kept = await cli([
      "batch",
      "run",
      "--macro",
      "rename-save",
      "--files",
      both[0]!,
      "--keep-backups",
      "--json",
    ]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(existsSync(`${both[0]}1`)).toBe(true);

    const forgot = await cli(["batch", "run", "--macro", "forgets-to-save", "--files", ...both, "--json"]);
    expect(forgot.code).toBe(1);
    const status = JSON.parse(forgot.stdout);
    expect(status.ok).toBe(0);
    for (const file of status.files)
      expect(file).toMatchObject({
        outcome: "error",
        error: { type: "NotSaved", message: expect.stringMatching(/^not saved: /) },
      });
  }, 180_000);
});
