// Macros against real headless Blender: HTTP runs, hostile parameters staying data, the
// agent's save_macro / run_macro tools, and the compiled CLI against `scriptwright serve`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import type { ApprovalDecision, ProposedScript } from "../bridge/agent/approval.js";
import type { SessionEvent } from "../bridge/agent/events.js";
import { runTool, type ToolContext } from "../bridge/agent/tools.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { runCli, type ServeProcess, startServe } from "./helpers/cli.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender");

const HOSTILE = `"""'''); __import__('os').system('touch /tmp/sw-pwned') #\n\\n ${"{"}params} \\" \u0000 é`;

describe.skipIf(blender.skip)("macros in headless Blender (bridge fixture)", () => {
  let fx: BridgeFixture;
  let hostId: string;

  beforeAll(async () => {
    fx = await startBridge({
      headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
      kits: languageKits,
      adapters,
    });
    await fx.bridge.managed!.waitUntilConnected(60_000);
    hostId = fx.bridge.pool.list()[0]!.id;
  });
  afterAll(async () => {
    await fx?.close();
  });

  // biome-ignore lint/suspicious/noExplicitAny: JSON from the API.
  const runMacro = async (name: string, body: unknown): Promise<any> => {
    const res = await fx.api(`/api/macros/${name}/run`, { method: "POST", json: body });
    return { status: res.status, ...((await res.json()) as object) };
  };

  it("runs the add-cubes starter with params (defaults filled in)", async () => {
    const before = await fx.run({ app: "blender", code: "len(bpy.data.objects)" });
    const result = await runMacro("add-cubes", { params: { count: 3 } });
    expect(result).toMatchObject({ status: 200, outcome: "ok", hostId });
    expect(result.value).toHaveLength(3);
    const after = await fx.run({ app: "blender", code: "len(bpy.data.objects)" });
    expect(after.value).toBe((before.value as number) + 3);
    const bad = await runMacro("add-cubes", { params: { count: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.error.message).toMatch(/parameter "count" must be >= 1/);
    expect((await fx.run({ app: "blender", code: "len(bpy.data.objects)" })).value).toBe(after.value);
  });

  it("keeps a hostile string parameter as data", async () => {
    const res = await fx.api("/api/macros", {
      method: "POST",
      json: {
        name: "echo-name",
        app: "blender",
        description: "returns params",
        code: 'import os\n(params["name"], sorted(params.keys()), os.path.exists("/tmp/sw-pwned"))',
        params: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
      },
    });
    expect(res.status).toBe(201);
    const result = await runMacro("echo-name", { params: { name: HOSTILE } });
    expect(result.error).toBeUndefined();
    expect(result.value).toEqual([HOSTILE, ["name"], false]);
  });

  describe("agent tools", () => {
    const events: SessionEvent[] = [];
    const asked: ProposedScript[] = [];
    let decision: ApprovalDecision = { approved: false, reason: "denied by test" };
    const ctx = (): ToolContext => ({
      app: "blender",
      hostId,
      adapter: adapters.get("blender"),
      kit: languageKits.get("python")!,
      docs: fx.bridge.docs,
      dispatcher: fx.bridge.dispatcher,
      pool: fx.bridge.pool,
      macros: fx.bridge.macros,
      session: {
        id: "sess-1",
        // The session ran the "scale" code under the policy, and a person approved the "tag" code.
        scriptFor: (code) =>
          code.includes("scale")
            ? { scriptId: "script-7", byPerson: false }
            : code.includes("tag")
              ? { scriptId: "script-9", byPerson: true }
              : undefined,
      },
      approvalMode: "ask",
      approver: async (script) => {
        asked.push(script);
        return decision;
      },
      emit: (event) => events.push(event),
      moveToHost: () => {},
      signal: new AbortController().signal,
    });

    it("save_macro records the session and script, and may update its own macro", async () => {
      const input = {
        name: "scale-cubes",
        description: "scale every cube",
        code: 'n = 0\nfor o in bpy.data.objects:\n    if o.name.startswith("Cube"):\n        o.scale = (params["factor"],) * 3\n        n += 1\nn',
        params: {
          type: "object",
          properties: { factor: { type: "number", exclusiveMinimum: 0 } },
          required: ["factor"],
        },
      };
      const saved = await runTool("save_macro", input, ctx());
      expect(saved).toMatchObject({ isError: false });
      expect(saved.content).toMatch(/^saved macro scale-cubes \(blender, python; params: factor\)/);
      expect(fx.bridge.macros.get("scale-cubes").source).toEqual({
        kind: "session",
        sessionId: "sess-1",
        scriptId: "script-7",
      });
      const again = await runTool("save_macro", { ...input, description: "v2" }, ctx());
      expect(again.content).toMatch(/^updated macro/);
      const invalid = await runTool("save_macro", { ...input, name: "Bad!" }, ctx());
      expect(invalid).toMatchObject({ isError: true, content: expect.stringMatching(/^name: /) });
      const starter = await runTool("save_macro", { ...input, name: "add-cubes" }, ctx());
      expect(starter).toMatchObject({ isError: true, content: expect.stringMatching(/starter/) });
    });

    it("run_macro asks before a macro an agent saved, until a person approves its code", async () => {
      expect(fx.bridge.macros.get("scale-cubes").reviewed).toBe(false);
      const denied = await runTool("run_macro", { name: "scale-cubes", params: { factor: 2 } }, ctx());
      expect(asked.map((s) => s.description)).toEqual([
        "macro scale-cubes (saved by an agent, unreviewed): v2",
      ]);
      expect(denied).toMatchObject({ isError: true, content: "not run: denied by test" });
      expect(fx.bridge.macros.get("scale-cubes").reviewed).toBe(false);
      decision = { approved: true };
      const approved = await runTool("run_macro", { name: "scale-cubes", params: { factor: 2 } }, ctx());
      expect(approved.content).toMatch(/^outcome: ok/);
      expect(approved.run).toMatchObject({ approved: true, byPerson: true });
      // Approving the run approved that exact version of the macro.
      expect(fx.bridge.macros.get("scale-cubes")).toMatchObject({
        reviewed: true,
        review: { via: "approved-run" },
      });
      asked.length = 0;
      decision = { approved: false, reason: "denied by test" };
    });

    it("saves the exact text a person approved as reviewed at once", async () => {
      const saved = await runTool(
        "save_macro",
        { name: "tag-cubes", description: "tag", code: "'tag'", params: { type: "object" } },
        ctx(),
      );
      expect(saved.content).not.toMatch(/unreviewed/);
      expect(fx.bridge.macros.get("tag-cubes")).toMatchObject({
        reviewed: true,
        review: { via: "approved-run" },
      });
      const untested = await runTool(
        "save_macro",
        { name: "other", description: "x", code: "'other'", params: { type: "object" } },
        ctx(),
      );
      expect(untested.content).toMatch(/unreviewed until the user approves it/);
    });

    it("run_macro runs a reviewed macro without asking and formats like run_script", async () => {
      const result = await runTool("run_macro", { name: "scale-cubes", params: { factor: 2 } }, ctx());
      expect(result.isError).toBe(false);
      expect(result.content).toMatch(/^outcome: ok \(\d+ ms, host blender-\d+\)\nvalue: [1-9]/);
      expect(asked).toHaveLength(0);
      expect(result.run).toMatchObject({ approved: true, result: { outcome: "ok" } });
      const bad = await runTool("run_macro", { name: "scale-cubes", params: { factor: "big" } }, ctx());
      expect(bad).toMatchObject({
        isError: true,
        content: expect.stringMatching(/parameter "factor" must be number/),
      });
      const missing = await runTool("run_macro", { name: "nope" }, ctx());
      expect(missing).toMatchObject({ isError: true, content: 'no macro named "nope"' });
    });

    it("still asks before a risky macro in ask mode", async () => {
      await fx.bridge.macros.save({
        name: "risky",
        app: "blender",
        description: "deletes a file",
        code: 'import os\nos.remove("/tmp/sw-does-not-exist")',
      });
      const denied = await runTool("run_macro", { name: "risky" }, ctx());
      expect(asked.map((s) => s.description)).toEqual(["macro risky: deletes a file"]);
      expect(denied).toMatchObject({ isError: true, content: "not run: denied by test" });
      decision = { approved: true };
      const ran = await runTool("run_macro", { name: "risky" }, ctx());
      expect(ran.content).toMatch(/^outcome: error/);
      expect(ran.content).toMatch(/FileNotFoundError/);
    });
  });
});

describe.skipIf(blender.skip)("scriptwright macro CLI", () => {
  let dataDir: string;
  let serve: ServeProcess;
  const cli = (args: string[]) => runCli(["macro", ...args, "--data-dir", dataDir]);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-macro-cli-"));
    serve = await startServe(dataDir, ["--headless", "blender:1"]);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${serve.info.url}/api/hosts`, {
        headers: { authorization: `Bearer ${serve.info.token}` },
      });
      const hosts = (await res.json()) as Array<{ busy: boolean }>;
      if (hosts.some((h) => !h.busy)) break;
      if (Date.now() > deadline) throw new Error(`no Blender host: ${serve.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  afterAll(async () => {
    await serve?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("saves from a file, lists, shows, runs with typed --param, and removes", async () => {
    const script = join(dataDir, "cubes.py");
    writeFileSync(
      script,
      'before = len(bpy.data.objects)\nfor i in range(params["count"]):\n    bpy.ops.mesh.primitive_cube_add(size=params["size"], location=(i * 3, 0, 0))\n[len(bpy.data.objects) - before, params["size"], params["quiet"]]\n',
    );
    const schema = join(dataDir, "schema.json");
    writeFileSync(
      schema,
      JSON.stringify({
        type: "object",
        properties: {
          count: { type: "integer", minimum: 1, maximum: 100 },
          size: { type: "number", default: 1 },
          quiet: { type: "boolean", default: false },
        },
        required: ["count"],
      }),
    );
    const saved = await cli([
      "save",
      "my-cubes",
      "--app",
      "blender",
      "--file",
      script,
      "--params",
      schema,
      "--description",
      "cubes in a row",
    ]);
    expect(saved.stderr).toBe("");
    expect(saved).toMatchObject({ code: 0 });
    expect(saved.stdout).toMatch(
      /saved macro my-cubes \(blender, python; params: count:integer size\?:number quiet\?:boolean\)/,
    );
    expect((await cli(["save", "my-cubes", "--app", "blender", "--file", script])).code).toBe(2);

    const list = await cli(["list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/my-cubes\s+blender/);
    expect(list.stdout).toMatch(/add-cubes\s+blender\s+starter/);
    const listJson = JSON.parse((await cli(["list", "--json"])).stdout);
    expect(listJson.problems).toEqual([]);

    const show = await cli(["show", "my-cubes"]);
    expect(show.stdout).toContain("bpy.ops.mesh.primitive_cube_add");
    expect(JSON.parse((await cli(["show", "my-cubes", "--json"])).stdout)).toMatchObject({
      name: "my-cubes",
      source: { kind: "file", path: script },
    });

    const run = await cli([
      "run",
      "my-cubes",
      "--param",
      "count=3",
      "--param",
      "size=2",
      "--param",
      "quiet=true",
      "--json",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: "ok", value: [3, 2, true] });

    const bad = await cli(["run", "my-cubes", "--param", "count=lots"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/parameter "count" must be integer/);
    expect((await cli(["run", "my-cubes"])).stderr).toMatch(/parameter "count" is required/);
    expect((await cli(["run", "no-such-macro"])).code).toBe(2);
    expect((await cli(["run", "my-cubes", "--param", "count"])).code).toBe(2);

    const rm = await cli(["rm", "my-cubes"]);
    expect(rm).toMatchObject({
      code: 0,
      stdout:
        "removed macro my-cubes (its versions stay: scriptwright macro revert my-cubes VERSION brings one back)\n",
    });
    expect((await cli(["show", "my-cubes"])).code).toBe(2);
    const starterRm = await cli(["rm", "add-cubes"]);
    expect(starterRm.code).toBe(2);
    expect(starterRm.stderr).toMatch(/starter/);
  });

  it("reports no bridge with exit 3", async () => {
    const other = mkdtempSync(join(tmpdir(), "sw-macro-none-"));
    try {
      const result = await runCli(["macro", "run", "add-cubes", "--param", "count=1", "--data-dir", other]);
      expect(result.code).toBe(3);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
