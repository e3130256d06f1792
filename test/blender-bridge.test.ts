// End to end against real Blender: `scriptwright serve --headless blender:2`, then the CLI
// and the HTTP API as a user would drive them.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type ServeProcess, startServe } from "./helpers/cli.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

interface HostRow {
  id: string;
  app: string;
  managed: boolean;
  busy: boolean;
  name: string;
  appVersion: string;
  connectedAt: string;
}

describe.skipIf(blender.skip)("bridge with managed headless Blender", () => {
  let dataDir: string;
  let serve: ServeProcess;

  // biome-ignore lint/suspicious/noExplicitAny: JSON from the API, asserted field by field.
  const api = async (path: string, init: RequestInit = {}): Promise<any> => {
    const res = await fetch(`${serve.info.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${serve.info.token}`,
        "content-type": "application/json",
        ...init.headers,
      },
    });
    return res.json();
  };
  const hosts = async () => (await api("/api/hosts")) as HostRow[];
  const exec = (args: string[], input?: string) =>
    runCli(["exec", "--app", "blender", "--data-dir", dataDir, ...args], { input });
  const execJson = async (args: string[], input?: string) => {
    const result = await exec([...args, "--json"], input);
    return { code: result.code, body: JSON.parse(result.stdout), stderr: result.stderr };
  };

  async function waitForHosts(count: number, timeoutMs = 60_000): Promise<HostRow[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = await hosts();
      if (list.filter((h) => h.managed && !h.busy).length >= count) return list;
      if (Date.now() > deadline)
        throw new Error(`only ${list.length} hosts after ${timeoutMs} ms: ${serve.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Waits until `host`'s slot is connected again by a new process: the same id, a new connection. */
  async function waitForRestart(host: HostRow, timeoutMs = 60_000): Promise<HostRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const again = (await hosts()).find((h) => h.id === host.id && h.connectedAt !== host.connectedAt);
      if (again && !again.busy) return again;
      if (Date.now() > deadline)
        throw new Error(`${host.id} not restarted after ${timeoutMs} ms: ${serve.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-blender-"));
    // A fast heartbeat, so a script that keeps Blender busy for seconds spans many pings.
    serve = await startServe(dataDir, ["--headless", "blender:2", "--heartbeat-ms", "200"]);
    await waitForHosts(2);
  });

  afterAll(async () => {
    await serve?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists two managed Blender hosts with their version", async () => {
    const list = await hosts();
    expect(list.filter((h) => h.app === "blender" && h.managed)).toHaveLength(2);
    expect(list[0]!.appVersion).toMatch(/^\d+\.\d+/);
    const text = await runCli(["hosts", "--data-dir", dataDir]);
    expect(text.stdout).toMatch(/blender-\d+\s+blender \d/);
  });

  it("returns the value of the final expression (exit 0)", async () => {
    const result = await exec(["--code", "n = len(bpy.data.objects)\nn * 10 + 2"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("32"); // factory startup: camera, cube, light
  });

  it("reads the script from a file and from stdin", async () => {
    const file = join(dataDir, "script.py");
    writeFileSync(file, "import math\nround(math.pi, 3)\n");
    expect((await exec(["--file", file])).stdout.trim()).toBe("3.142");
    expect((await exec(["-"], "'from stdin'")).stdout.trim()).toBe("from stdin");
  });

  it("prints {outcome, hostId, value, logs, error, durationMs} with --json, Blender objects as references", async () => {
    const { code, body } = await execJson(["--code", "print('hello')\nbpy.data.objects['Cube']"]);
    expect(code).toBe(0);
    expect(body).toMatchObject({ outcome: "ok", value: { $ref: "Object", name: "Cube" } });
    expect(body.hostId).toMatch(/^blender-\d+$/);
    expect(body.logs).toContain("hello");
    expect(typeof body.durationMs).toBe("number");
  });

  it("reports a runtime error with its line in the user's code (exit 1)", async () => {
    const { code, body } = await execJson(["--code", "x = 1\ny = 0\nprint('before')\nx / y"]);
    expect(code).toBe(1);
    expect(body.outcome).toBe("error");
    expect(body.error).toMatchObject({ type: "ZeroDivisionError", line: 4 });
    expect(body.error.stack).toContain("line 4");
    expect(body.error.stack).not.toMatch(/scriptwright_runtime/);
    expect(body.logs).toContain("before");
    const human = await exec(["--code", "x = 1\nundefined_name"]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/NameError.*line 2/);
  });

  it("reports a syntax error with its line and runs nothing", async () => {
    const { code, body } = await execJson(["--code", "bpy.ops.mesh.primitive_cube_add()\nif True\n  pass"]);
    expect(code).toBe(1);
    expect(body.error).toMatchObject({ type: "SyntaxError", line: 2 });
    const count = await execJson(["--code", "len(bpy.data.objects)"]);
    expect(count.body.value).toBe(3);
  });

  it("survives a script printing 20 MB: logs are capped with a marker", async () => {
    const { code, body } = await execJson(["--code", "for i in range(200000):\n    print('x' * 99)\n'done'"]);
    expect(code).toBe(0);
    expect(body.value).toBe("done");
    expect(body.logs.length).toBeLessThan(200_000);
    expect(body.logs).toMatch(/truncated|dropped|more/i);
  });

  it("keeps a scene change made by a run (the host keeps its state between runs)", async () => {
    await exec(["--code", "bpy.ops.mesh.primitive_uv_sphere_add()\nC.active_object.name = 'SW_Sphere'"]);
    const all = await Promise.all(
      (await hosts()).map((h) =>
        runCli(["exec", "--host", h.id, "--data-dir", dataDir, "--code", "'SW_Sphere' in bpy.data.objects"]),
      ),
    );
    expect(all.map((r) => r.stdout.trim()).sort()).toEqual(["false", "true"]);
  });

  it("summarises the scene through the state probe", async () => {
    const [first] = await hosts();
    const state = await api(`/api/hosts/${first!.id}/state`);
    expect(state.outcome).toBe("ok");
    expect(JSON.stringify(state.value)).toContain("Camera");
    expect(JSON.stringify(state.value).length).toBeLessThan(20_000);
  });

  it("treats a Blender busy in a long script as busy, not lost: it answers pings meanwhile", async () => {
    const { code, body } = await execJson([
      "--code",
      "import time\nt = time.time()\nwhile time.time() - t < 2.5:\n    pass\n'finished'",
    ]);
    expect(code).toBe(0);
    expect(body).toMatchObject({ outcome: "ok", value: "finished" });
  });

  it("syncs Blender's API docs from the running app on its own, then searches, reads and lists them", async () => {
    const docs = (args: string[]) => runCli(["docs", ...args, "--app", "blender", "--data-dir", dataDir]);
    // Nobody runs `docs sync`: the bridge reads the docs from a headless Blender of a version
    // without docs as it connects, and a docs call waits for that (503 while it still runs).
    const deadline = Date.now() + 240_000;
    for (;;) {
      const { status, json } = await serve.api("/api/docs/search?app=blender&q=add%20a%20cube&limit=5");
      if (status === 200) {
        expect(json.hits.map((hit: { symbol: string }) => hit.symbol)).toContain(
          "bpy.ops.mesh.primitive_cube_add",
        );
        break;
      }
      expect(status, JSON.stringify(json)).toBe(503);
      if (Date.now() > deadline) throw new Error(`Blender docs not synced on their own: ${serve.output()}`);
    }
    const found = await docs(["search", "add a cube", "--json", "--limit", "5"]);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).map((hit: { symbol: string }) => hit.symbol)).toContain(
      "bpy.ops.mesh.primitive_cube_add",
    );

    // `docs sync` still reads them again on demand.
    const synced = await docs(["sync", "--json"]);
    expect(synced.code).toBe(0);
    const summary = JSON.parse(synced.stdout);
    expect(summary).toMatchObject({ app: "blender", version: expect.stringMatching(/^\d+\.\d+/) });
    expect(summary.entries).toBeGreaterThan(1000);

    const search = await docs(["search", "add a cube", "--json", "--limit", "5"]);
    const hits = JSON.parse(search.stdout) as Array<{ symbol: string; path: string }>;
    const cube = hits.find((hit) => hit.symbol === "bpy.ops.mesh.primitive_cube_add");
    expect(cube).toBeDefined();
    const read = await docs(["read", cube!.path]);
    expect(read.stdout).toMatch(/primitive_cube_add\(/);
    expect(read.stdout).toMatch(/size/);
    const ls = await docs(["ls", "operators"]);
    expect(ls.stdout).toContain("operators/bpy.ops.mesh.md");
    const traversal = await docs(["read", "../../bridge.json"]);
    expect(traversal.code).toBe(2);
    expect(traversal.stdout).not.toContain("token");
  }, 360_000);

  it("times out a hung script (exit 4), cancels it, and the host serves the next run", async () => {
    const [first] = await hosts();
    const result = await runCli([
      "exec",
      "--host",
      first!.id,
      "--data-dir",
      dataDir,
      "--timeout",
      "1500",
      "--code",
      "while True:\n    pass",
    ]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/timeout.*unknown/s);
    const next = await runCli([
      "exec",
      "--host",
      first!.id,
      "--data-dir",
      dataDir,
      "--code",
      "'alive'",
      "--timeout",
      "20000",
    ]);
    expect(next.stdout.trim()).toBe("alive");
  });

  it("restarts a managed host stuck in a script that ignores cancel, without re-running the script", async () => {
    const marker = join(dataDir, "ran.txt");
    const code = [
      "import time",
      `open(${JSON.stringify(marker)}, 'a').write('ran\\n')`,
      "while True:",
      "    try:",
      "        time.sleep(0.05)",
      "    except BaseException:",
      "        pass",
    ].join("\n");
    const [stuck] = await hosts();
    const result = await execJson(["--host", stuck!.id, "--timeout", "1000", "--code", code]);
    expect(result.body.outcome).toBe("timeout");
    // A managed slot keeps its id across restarts (`exec --host` still reaches it).
    await waitForRestart(stuck!);
    await waitForHosts(2);
    expect(readFileSync(marker, "utf8")).toBe("ran\n");
    expect((await exec(["--code", "1 + 1"])).stdout.trim()).toBe("2");
  });

  it("reports host-lost when Blender dies mid-run, and restarts it", async () => {
    const [victim] = await hosts();
    const running = execJson([
      "--host",
      victim!.id,
      "--timeout",
      "20000",
      "--code",
      "import os, time\ntime.sleep(0.3)\nos._exit(3)",
    ]);
    const { code, body } = await running;
    expect(body.outcome).toBe("host-lost");
    expect(code).toBe(3);
    await waitForRestart(victim!);
    await waitForHosts(2);
  });

  it("stops its Blenders and removes bridge.json on SIGTERM", async () => {
    const status = await runCli(["hosts", "--json", "--data-dir", dataDir]);
    expect(status.code).toBe(0);
    const pids = readManagedPids(serve.child.pid!);
    expect(pids.length).toBe(2);
    expect(await serve.stop("SIGTERM")).toBe(0);
    expect(existsSync(join(dataDir, "bridge.json"))).toBe(false);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});

/** Children of the bridge process (the managed Blenders), from /proc. */
function readManagedPids(parent: number): number[] {
  const children = readFileSync(`/proc/${parent}/task/${parent}/children`, "utf8").trim();
  return children ? children.split(/\s+/).map(Number) : [];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}
