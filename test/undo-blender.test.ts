// Taking runs back on a real headless Blender (a copy of the .blend before each script that may
// change the document): `scriptwright undo` and POST /api/hosts/:id/undo. Each test has a
// Blender of its own, so no test depends on another's checkpoints.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Adapter } from "../adapters/types.js";
import type { HostInfo } from "../bridge/hosts/host.js";
import { startBridge } from "./helpers/bridge-fixture.js";
import { runCli } from "./helpers/cli.js";
import { BLENDER_HOST, type ManagedBlender, startManagedBlender } from "./helpers/managed-blender.js";
import { ProtocolHost } from "./helpers/protocol-host.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

const OBJECTS = "sorted(o.name for o in D.objects)";
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;
const add = (name: string) =>
  `# add ${name}\nbpy.ops.mesh.primitive_cube_add(location=(3, 0, 0))\nC.active_object.name = ${JSON.stringify(name)}`;

describe.skipIf(blender.skip)("undo on a headless Blender", () => {
  let host: ManagedBlender;
  let work: string;

  beforeEach(async () => {
    host = await startManagedBlender();
    work = mkdtempSync(join(tmpdir(), "sw-undo-blender-"));
  }, 120_000);

  afterEach(async () => {
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const undo = async (...args: string[]) => {
    const result = await host.cli(["undo", "--json", ...args]);
    return { code: result.code, body: JSON.parse(result.stdout), stderr: result.stderr };
  };

  it("a script adds an object; undo removes it and says which run and which document it restored", async () => {
    const before = await host.value(OBJECTS);
    const run = await host.exec(add("Added"));
    expect(run).toMatchObject({ outcome: "ok", checkpoint: { kind: "copy" } });
    expect(await host.value(OBJECTS)).toContain("Added");

    const text = await host.cli(["undo", "--app", "blender"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Took back the run of \d\d:\d\d:\d\d \(`# add Added`, ok\)/);
    expect(text.stdout).toContain(`on ${BLENDER_HOST}: the untitled document is as it was before it`);
    expect(text.stdout).toContain("Nothing earlier to take back.");
    expect(await host.value(OBJECTS)).toEqual(before);
  });

  it("two runs, two undos go back twice; then it says there is nothing to undo", async () => {
    const before = await host.value(OBJECTS);
    await host.exec(add("First"));
    const second = await host.exec(add("Second"));

    const one = await undo("--host", BLENDER_HOST);
    expect(one.code, one.stderr).toBe(0);
    expect(one.body).toMatchObject({
      hostId: BLENDER_HOST,
      app: "blender",
      restored: { checkpoint: second.checkpoint!.id, kind: "copy", document: null, run: { outcome: "ok" } },
      remaining: 1,
      forced: false,
    });
    expect(one.body.restored.run.script).toBe("# add Second");
    const middle = (await host.value(OBJECTS)) as string[];
    expect(middle).toContain("First");
    expect(middle).not.toContain("Second");

    const two = await undo("--host", BLENDER_HOST);
    expect(two.code, two.stderr).toBe(0);
    expect(two.body.remaining).toBe(0);
    expect(await host.value(OBJECTS)).toEqual(before);

    const none = await undo("--host", BLENDER_HOST);
    expect(none.code).toBe(1);
    expect(none.body.error).toMatchObject({ code: "nothing-to-undo" });
    expect(none.body.error.message).toContain(`nothing to undo on ${BLENDER_HOST}`);
    const said = await host.cli(["undo", "--host", BLENDER_HOST]);
    expect(said.code).toBe(1);
    expect(said.stderr).toContain(`nothing to undo on ${BLENDER_HOST}`);
  });

  it("a script that only reads keeps no checkpoint: undo takes back the run before it", async () => {
    await host.exec(add("Changed"));
    const read = await host.exec(`len(D.objects)`);
    expect(read.outcome).toBe("ok");
    expect(read.checkpoint).toBeUndefined();
    const undone = await undo("--app", "blender");
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.body.restored.run.script).toBe("# add Changed");
    expect(await host.value(OBJECTS)).not.toContain("Changed");
  });

  it("a document with a file stays tied to it, and undo leaves the file on disk alone", async () => {
    const file = join(work, "scene.blend");
    await host.exec(`bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(file)})`);
    const onDisk = () => ({
      hash: createHash("sha256").update(readFileSync(file)).digest("hex"),
      mtime: statSync(file).mtimeMs,
    });
    const saved = onDisk();
    expect(await host.exec(`D.objects.remove(D.objects["Cube"])`)).toMatchObject({ outcome: "ok" });

    const undone = await undo("--host", BLENDER_HOST);
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.body.restored.document).toBe(file);
    expect(await host.value(`(bpy.data.filepath, ${OBJECTS})`)).toEqual([file, ["Camera", "Cube", "Light"]]);
    expect(onDisk()).toEqual(saved);
    // Nothing left beside it: the file was only moved aside for the load, and back.
    expect(readdirSync(work)).toEqual(["scene.blend"]);
    const listed = (await (await host.fixture.api("/api/hosts")).json()) as HostInfo[];
    expect(listed.find((h) => h.id === BLENDER_HOST)?.document).toBe(file);
  });

  it("copies are private to the user (folders 0700, files 0600) and go once taken back", async () => {
    await host.exec(add("Private"));
    const root = join(host.fixture.dataDir, "checkpoints");
    const walk = (dir: string): Array<{ path: string; mode: number; dir: boolean }> =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        const stat = statSync(path);
        const entry = { path, mode: stat.mode & 0o777, dir: stat.isDirectory() };
        return stat.isDirectory() ? [entry, ...walk(path)] : [entry];
      });
    const entries = walk(root);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(entries.filter((e) => e.dir).map((e) => e.mode)).toEqual(
      entries.filter((e) => e.dir).map(() => 0o700),
    );
    const files = entries.filter((e) => !e.dir);
    expect(files).toHaveLength(1);
    expect(files[0]!.path).toMatch(/\.blend$/);
    expect(files[0]!.mode).toBe(0o600);
    expect((await undo("--host", BLENDER_HOST)).code).toBe(0);
    expect(walk(root).filter((e) => !e.dir)).toEqual([]);
  });

  it("a run that timed out is not rolled back on its own: undo says its effect is unknown; --force restores", async () => {
    const before = await host.value(OBJECTS);
    // Adds an object, then waits until the bridge cancels it.
    const slow = await host.exec(`${add("Slow")}\nimport time\nwhile True:\n    time.sleep(0.02)`, [
      "--timeout",
      "1000",
    ]);
    expect(slow.exitCode).toBe(4);
    expect(slow).toMatchObject({ outcome: "timeout", checkpoint: { kind: "copy" } });
    // The cancelled script ends; its object stays.
    expect(await host.value(OBJECTS)).toContain("Slow");

    const refused = await undo("--host", BLENDER_HOST);
    expect(refused.code).toBe(1);
    expect(refused.body.error.code).toBe("state-unknown");
    expect(refused.body.error.message).toContain("timed out");
    expect(refused.body.error.message).toContain(`scriptwright undo --host ${BLENDER_HOST} --force`);
    expect(await host.value(OBJECTS)).toContain("Slow");

    const forced = await undo("--host", BLENDER_HOST, "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.body).toMatchObject({ forced: true, restored: { run: { outcome: "timeout" } } });
    expect(await host.value(OBJECTS)).toEqual(before);
  });

  it("after a hung script restarts the host, the notice says how to restore, and undo --force puts the document back", async () => {
    await host.exec(add("Kept"));
    const first = host.fixture.bridge.pool.get(BLENDER_HOST)!;
    // time.sleep cannot be interrupted by the cancel: the supervisor restarts Blender.
    const hung = await host.exec("import time\ntime.sleep(600)", ["--timeout", "1000"]);
    expect(hung.outcome).toBe("timeout");
    await new Promise<void>((resolve) => {
      const check = () => {
        const now = host.fixture.bridge.pool.get(BLENDER_HOST);
        if (now && now !== first) {
          host.fixture.bridge.pool.off("added", check);
          resolve();
        }
      };
      host.fixture.bridge.pool.on("added", check);
      check();
    });

    const next = await host.exec(OBJECTS);
    expect(next.value).not.toContain("Kept"); // a fresh document
    expect(next.notice).toContain("was restarted because a script hung");
    expect(next.notice).toContain(`\`scriptwright undo --host ${BLENDER_HOST} --force\` puts it back`);

    expect((await undo("--host", BLENDER_HOST)).body.error.code).toBe("state-unknown");
    const forced = await undo("--host", BLENDER_HOST, "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(await host.value(OBJECTS)).toContain("Kept");
  });

  it("bad input gets a clear error, and the host keeps serving", async () => {
    const unknown = await undo("--host", "blender-9");
    expect(unknown.code).toBe(3);
    expect(unknown.body.error).toEqual({ code: "no-host", message: 'no connected host with id "blender-9"' });
    const noApp = await undo("--app", "libreoffice");
    expect(noApp.code).toBe(3);
    expect(noApp.body.error.message).toBe('no connected host for app "libreoffice"');

    const post = (path: string, json: unknown) => host.fixture.api(path, { method: "POST", json });
    const missing = await post("/api/hosts/blender-9/undo", {});
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe("no-host");
    const bad = await post(`/api/hosts/${BLENDER_HOST}/undo`, { force: "yes" });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toMatch(/force/);
    const extra = await post("/api/undo", { host: BLENDER_HOST, steps: 2 });
    expect(extra.status).toBe(400);
    const nothing = await post(`/api/hosts/${BLENDER_HOST}/undo`, {});
    expect(nothing.status).toBe(409);
    expect((await errorOf(nothing)).code).toBe("nothing-to-undo");

    expect(await host.exec(add("StillServing"))).toMatchObject({ outcome: "ok" });
    const notLast = await post(`/api/hosts/${BLENDER_HOST}/undo`, { checkpoint: "cp-999" });
    expect(notLast.status).toBe(409);
    expect((await errorOf(notLast)).code).toBe("not-last");
    expect(await host.value(OBJECTS)).toContain("StillServing");
  });

  it("a host whose app keeps no checkpoints: a clear error, and it keeps serving", async () => {
    // A stand-in app with no checkpoint spec (every real app here keeps checkpoints), on a bridge of its own.
    const plain: Adapter = { app: "plain", displayName: "Plain App (stand-in)", language: "echo" };
    const bare = await startBridge({ adapters: new Map([[plain.app, plain]]) });
    const other = await ProtocolHost.connect({
      url: bare.url,
      token: bare.token,
      app: "plain",
      language: "echo",
    });
    try {
      const refused = await runCli(["undo", "--host", other.hostId, "--json", "--data-dir", bare.dataDir]);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout).error).toEqual({
        code: "no-checkpoints",
        message: `Plain App (stand-in) keeps no checkpoints, so runs on ${other.hostId} cannot be taken back here`,
      });
      const res = await bare.api(`/api/hosts/${other.hostId}/undo`, { method: "POST", json: {} });
      expect(res.status).toBe(501);
      const run = await bare.run({ host: other.hostId, code: '"still here"' });
      expect(run).toMatchObject({ outcome: "ok", value: "still here" });
      expect(run).not.toHaveProperty("checkpoint");
    } finally {
      other.close();
      await bare.close();
    }
  });
});
