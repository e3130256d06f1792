// A host that crashes on one file: that file gets its own outcome (after the retries), the
// managed host is restarted, and the job goes on with the other files. Real Blender.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBlendFiles, saveMacro } from "./helpers/batch-fixtures.js";
import { CLI, runCli } from "./helpers/cli.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");
const tmux = requireBinary("tmux", "apt-get install tmux, or npm run setup");

describe.skipIf(blender.skip)("batch job with a file that crashes its host", () => {
  let root: string;
  let dataDir: string;
  const cli = (args: string[]) => runCli([...args, "--data-dir", dataDir]);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "sw-batch-crash-"));
    dataDir = join(root, "data");
    makeBlendFiles(blender.path!, root, [
      "for name in ('a', 'crash', 'b'):",
      "    bpy.ops.wm.save_as_mainfile(filepath=f'{out}/{name}.blend')",
    ]);
    // The whole Blender process dies on the file called crash.blend.
    const saved = await saveMacro(
      dataDir,
      root,
      "fragile",
      "import os\nif os.path.basename(bpy.data.filepath) == 'crash.blend':\n    os._exit(9)\nlen(bpy.data.objects)\n",
    );
    expect(saved.code, saved.stderr).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.skipIf(tmux.skip)(
    "shows one progress line on a terminal: done, failed, rate, ETA",
    async () => {
      const name = `sw-batch-${process.pid}`;
      const tmuxRun = (...args: string[]) => execFileSync(tmux.path!, args, { encoding: "utf8" });
      const files = join(root, "[ab].blend");
      tmuxRun("new-session", "-d", "-s", name, "-x", "160", "-y", "20");
      try {
        tmuxRun(
          "send-keys",
          "-t",
          name,
          `${process.execPath} ${CLI} batch run --macro fragile --app blender --files '${files}' --data-dir ${dataDir}; echo EXIT=$?`,
          "Enter",
        );
        let screen = "";
        for (let i = 0; i < 600 && !/EXIT=\d/.test(screen); i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          screen = tmuxRun("capture-pane", "-p", "-t", name);
        }
        expect(screen).toMatch(/2\/2 done, 0 failed · [\d.]+ files\/s · ETA/);
        expect(screen).toContain("EXIT=0");
      } finally {
        tmuxRun("kill-session", "-t", name);
      }
    },
    120_000,
  );

  it("records host-lost for that file after retrying, and finishes the others", async () => {
    const run = await cli([
      "batch",
      "run",
      "--macro",
      "fragile",
      "--app",
      "blender",
      "--files",
      join(root, "*.blend"),
      "--concurrency",
      "1",
      "--json",
    ]);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    const status = await cli(["batch", "status", summary.id, "--json"]);
    const job = JSON.parse(status.stdout) as {
      state: string;
      files: Array<{ file: string; outcome: string; attempts?: number }>;
    };
    expect(job.state).toBe("finished");
    const byName = Object.fromEntries(job.files.map((f) => [f.file.split("/").pop(), f]));
    expect(byName["crash.blend"]).toMatchObject({ outcome: "host-lost", attempts: 3 });
    expect(byName["a.blend"]?.outcome).toBe("ok");
    expect(byName["b.blend"]?.outcome).toBe("ok");
  }, 120_000);
});
