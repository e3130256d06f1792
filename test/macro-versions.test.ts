// Macro versions without any app: every save is a commit in <data-dir>/macros/.git (a real git
// repository: the git CLI reads it), history / diff / revert in the store, over HTTP and in the
// CLI, files from before the history load as version 1, concurrent saves (in one process and
// from two CLI processes) are all kept in order, and the review rule holds across versions.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adapters } from "../adapters/registry.js";
import { macroHash } from "../bridge/macros/params.js";
import { MacroStore } from "../bridge/macros/store.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { CLI, runCli } from "./helpers/cli.js";
import { rejected } from "./helpers/thrown.js";

const macro = (code: string, extra: Record<string, unknown> = {}) => ({
  name: "cubes",
  app: "blender",
  description: "adds cubes",
  code,
  ...extra,
});

const countParam = {
  type: "object",
  properties: { count: { type: "integer", default: 1 } },
};
const countAndSize = {
  type: "object",
  properties: { count: { type: "number" }, size: { type: "number" } },
};

describe("macro versions in the store", () => {
  let dataDir: string;
  let store: MacroStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-versions-"));
    store = new MacroStore(dataDir, { adapters });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("makes each save a version; diff shows the changed line and the parameters; revert brings the code back as version 3", async () => {
    const v1 = await store.save(
      macro("n = params['count']\nadd(n)\n", { params: countParam, message: "first" }),
    );
    const v2 = await store.save(macro("n = params['count'] * 2\nadd(n)\n", { params: countAndSize }), {
      replace: true,
    });
    expect([v1.version, v2.version]).toEqual([1, 2]);

    const view = await store.versions("cubes");
    expect(view.versions.map((v) => [v.version, v.hash, v.message, v.current])).toEqual([
      [1, v1.hash, "first", false],
      [2, v2.hash, "saved through the HTTP API", true],
    ]);
    expect(view.versions[0]).toMatchObject({ createdAt: v1.createdAt, source: { kind: "api" } });

    const diff = await store.diff("cubes");
    expect([diff.a, diff.b]).toEqual([1, 2]);
    expect(diff.diff).toContain("-n = params['count']\n+n = params['count'] * 2\n");
    expect(diff.diff).not.toContain("-add(n)");
    expect(diff.params).toEqual({
      added: [{ name: "size", type: "number" }],
      removed: [],
      changed: [{ name: "count", from: "integer", to: "number" }],
      otherwise: [],
    });

    const reverted = await store.revert("cubes", 1, { via: "cli" });
    expect(reverted).toMatchObject({ version: 3, code: v1.code, params: countParam, hash: v1.hash });
    expect(store.get("cubes").code).toBe(v1.code);
    const after = await store.versions("cubes");
    expect(after.versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(after.versions[2]).toMatchObject({
      source: { kind: "revert", version: 1, via: "cli" },
      message: "revert to version 1",
      current: true,
    });
    expect((await store.diff("cubes", 1, 3)).diff).toBe("");
    expect((await store.atVersion("cubes", 2)).code).toBe(v2.code);
  });

  it("says which versions there are when one does not exist, and that one version has nothing to compare", async () => {
    await store.save(macro("1"));
    const missing = await rejected(() => store.revert("cubes", 7, { via: "cli" }));
    expect(missing).toMatchObject({ status: 404, code: "no-version" });
    expect(missing.message).toBe("macro cubes has no version 7 (it has version 1)");
    expect(await rejected(() => store.diff("cubes"))).toMatchObject({
      status: 400,
      message: "macro cubes has only one version: nothing to compare yet",
    });
    expect((await rejected(() => store.versions("nope"))).status).toBe(404);
    expect(store.get("cubes").code).toBe("1");
  });

  it("keeps the history of a removed macro, and revert brings it back", async () => {
    await store.save(macro("1"));
    await store.save(macro("2"), { replace: true });
    await store.remove("cubes");
    expect((await rejected(async () => store.get("cubes"))).status).toBe(404);
    const view = await store.versions("cubes");
    expect(view).toMatchObject({ removed: true });
    expect(view.versions.map((v) => v.version)).toEqual([1, 2]);
    const back = await store.revert("cubes", 1, { via: "api" });
    expect(back.version).toBe(3);
    expect(store.get("cubes").code).toBe("1");
  });

  it("loads a macro file from before the history as version 1, and commits a hand edit before the next save", async () => {
    // A file as earlier Scriptwright versions wrote it, never committed.
    const old = {
      name: "cubes",
      app: "blender",
      language: "python",
      description: "old",
      params: { type: "object" as const, properties: {}, required: [] },
      code: "old()",
      source: { kind: "api" },
      createdAt: "2026-01-02T03:04:05.000Z",
      hash: macroHash("old()", { type: "object", properties: {}, required: [] }),
    };
    mkdirSync(join(dataDir, "macros"), { recursive: true, mode: 0o700 });
    writeFileSync(join(dataDir, "macros", "cubes.json"), JSON.stringify(old, null, 2));
    const first = await store.versions("cubes");
    expect(first.versions).toHaveLength(1);
    expect(first.versions[0]).toMatchObject({
      version: 1,
      createdAt: "2026-01-02T03:04:05.000Z",
      current: true,
      message: "found on disk (saved before its history was kept)",
    });
    // Edited by hand (a valid file), then saved over: the edit is a version of its own.
    const edited = { ...old, code: "edited()", hash: macroHash("edited()", old.params) };
    writeFileSync(join(dataDir, "macros", "cubes.json"), JSON.stringify(edited, null, 2));
    const saved = await store.save(macro("new()"), { replace: true });
    expect(saved.version).toBe(3);
    const codes = await Promise.all([1, 2, 3].map(async (n) => (await store.atVersion("cubes", n)).code));
    expect(codes).toEqual(["old()", "edited()", "new()"]);
  });

  it("keeps every one of concurrent saves of one macro, in order", async () => {
    await store.save(macro("v0"));
    // Two stores, as the bridge and a CLI command in one process would be.
    const other = new MacroStore(dataDir, { adapters });
    const saves = Array.from({ length: 6 }, (_, i) =>
      (i % 2 ? other : store).save(macro(`v${i + 1}`), { replace: true }),
    );
    const saved = await Promise.all(saves);
    expect(saved.map((s) => s.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
    const view = await store.versions("cubes");
    const codes = await Promise.all(
      view.versions.map(async (v) => (await store.atVersion("cubes", v.version)).code),
    );
    expect(new Set(codes)).toEqual(new Set(["v0", "v1", "v2", "v3", "v4", "v5", "v6"]));
    // The file holds what the last version holds.
    const last = saved.find((s) => s.version === 7)!;
    expect(store.get("cubes").code).toBe(last.code);
  });

  it("keeps the review rule across versions: a session's new version is unreviewed again, a person's revert is reviewed", async () => {
    const session = { kind: "session" as const, sessionId: "20261207-101010-abcdef" };
    const v1 = await store.save(macro("safe()", { source: session }));
    expect(v1.reviewed).toBe(false);
    await store.approve("cubes", { via: "cli", hash: v1.hash });
    const v2 = await store.save(macro("other()", { source: session }), { replace: true });
    expect(v2).toMatchObject({ version: 2, reviewed: false });
    expect(store.get("cubes").reviewed).toBe(false);
    const view = await store.versions("cubes");
    expect(view.versions[0]).toMatchObject({ version: 1, approved: { via: "cli" } });
    expect(view.versions[1]?.approved).toBeUndefined();
    // A person brings back the agent's first code: theirs now, reviewed, a new version.
    const back = await store.revert("cubes", 1, { via: "panel" });
    expect(back).toMatchObject({ version: 3, reviewed: true, code: "safe()" });
    expect(store.get("cubes").reviewed).toBe(true);
  });

  it("writes a repository git reads: one commit per change, trailers naming macro, action and version", async () => {
    await store.save(macro("1"));
    await store.save(macro("2"), { replace: true });
    await store.revert("cubes", 1, { via: "cli" });
    const repo = join(dataDir, "macros");
    const log = execFileSync(
      "git",
      ["-C", repo, "log", "--format=%s|%(trailers:key=Version,valueonly,separator=)"],
      {
        encoding: "utf8",
      },
    );
    expect(log.trim().split("\n")).toEqual([
      "revert to version 1|3",
      "saved through the HTTP API|2",
      "saved through the HTTP API|1",
    ]);
    expect(execFileSync("git", ["-C", repo, "show", "HEAD~1:cubes.json"], { encoding: "utf8" })).toContain(
      '"code": "2"',
    );
    // The index matches the work tree: git sees nothing to commit.
    expect(execFileSync("git", ["-C", repo, "status", "--porcelain"], { encoding: "utf8" })).toBe("");
  });
});

describe("macro versions over HTTP", () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridge({ adapters });
  });
  afterAll(async () => {
    await fx?.close();
  });
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the API, asserted field by field.
  const json = async (res: Response): Promise<any> => ({ status: res.status, body: await res.json() });

  it("lists the history, diffs two versions, reverts, and refuses bad versions", async () => {
    let res = await json(await fx.api("/api/macros", { method: "POST", json: macro("a = 1\nb = 2\n") }));
    expect(res.body.version).toBe(1);
    res = await json(
      await fx.api("/api/macros?replace=true", {
        method: "POST",
        json: macro("a = 1\nb = 3\n", { message: "b is 3" }),
      }),
    );
    expect(res).toMatchObject({ status: 201, body: { version: 2 } });

    res = await json(await fx.api("/api/macros/cubes/history"));
    expect(res.status).toBe(200);
    expect(
      res.body.versions.map((v: { version: number; message: string }) => [v.version, v.message]),
    ).toEqual([
      [1, "saved through the HTTP API"],
      [2, "b is 3"],
    ]);

    res = await json(await fx.api("/api/macros/cubes/diff?a=1&b=2"));
    expect(res.status).toBe(200);
    expect(res.body.diff).toContain("-b = 2\n+b = 3");
    res = await json(await fx.api("/api/macros/cubes/diff"));
    expect(res.body).toMatchObject({ a: 1, b: 2 });

    res = await json(await fx.api("/api/macros/cubes/revert", { method: "POST", json: { version: 1 } }));
    expect(res).toMatchObject({ status: 200, body: { version: 3, code: "a = 1\nb = 2\n", reviewed: true } });
    expect(res.body.source).toEqual({ kind: "revert", version: 1, via: "api" });

    res = await json(await fx.api("/api/macros/cubes/revert", { method: "POST", json: { version: 9 } }));
    expect(res).toMatchObject({ status: 404, body: { error: { code: "no-version" } } });
    res = await json(await fx.api("/api/macros/cubes/revert", { method: "POST", json: { version: "x" } }));
    expect(res.status).toBe(400);
    res = await json(await fx.api("/api/macros/cubes/diff?a=zero"));
    expect(res).toMatchObject({ status: 400 });
    expect(res.body.error.message).toMatch(/^a: a version is a whole number/);
    res = await json(await fx.api("/api/macros/nope/history"));
    expect(res.status).toBe(404);
    // Nothing was lost by the refusals.
    res = await json(await fx.api("/api/macros/cubes/history"));
    expect(res.body.versions).toHaveLength(3);
  });

  it("keeps concurrent saves of one macro from several clients, in order", async () => {
    await fx.api("/api/macros", { method: "POST", json: { ...macro("0"), name: "busy" } });
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        fx
          .api("/api/macros?replace=true", {
            method: "POST",
            json: { ...macro(String(i + 1)), name: "busy" },
          })
          .then(json),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(answers.map((a) => a.body.version).sort()).toEqual([2, 3, 4, 5, 6]);
    const history = await json(await fx.api("/api/macros/busy/history"));
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4, 5, 6]);
    const current = answers.find((a) => a.body.version === 6)!.body.code;
    expect((await json(await fx.api("/api/macros/busy"))).body.code).toBe(current);
  });
});

describe("macro versions in the CLI", () => {
  let root: string;
  let dataDir: string;
  const cli = (args: string[]) => runCli([...args, "--data-dir", dataDir]);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "sw-versions-cli-"));
    dataDir = join(root, "data");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("save twice → two versions; diff shows the changed line; revert restores the code as version 3", async () => {
    const file = join(root, "cubes.py");
    writeFileSync(file, "count = 3\nmake(count)\n");
    const first = await cli([
      "macro",
      "save",
      "cubes",
      "--app",
      "blender",
      "--file",
      file,
      "--message",
      "three",
    ]);
    expect(first.stdout).toMatch(/as version 1$/m);
    writeFileSync(file, "count = 5\nmake(count)\n");
    const second = await cli(["macro", "save", "cubes", "--app", "blender", "--file", file, "--replace"]);
    expect(second.stdout).toMatch(/as version 2$/m);

    const history = await cli(["macro", "history", "cubes", "--json"]);
    expect(history.code).toBe(0);
    const versions = JSON.parse(history.stdout) as Array<Record<string, unknown>>;
    expect(versions.map((v) => [v.version, v.message])).toEqual([
      [1, "three"],
      [2, `saved from ${file}`],
    ]);
    expect(Object.keys(versions[0]!)).toEqual(
      expect.arrayContaining(["version", "hash", "createdAt", "source", "message"]),
    );
    expect((await cli(["macro", "history", "cubes"])).stdout).toMatch(/^\* v2 .*\n +saved from/m);

    const diff = await cli(["macro", "diff", "cubes"]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain("--- cubes version 1");
    expect(diff.stdout).toContain("-count = 3\n+count = 5\n");
    expect(diff.stdout).toContain("parameters: no change");

    const revert = await cli(["macro", "revert", "cubes", "1"]);
    expect(revert).toMatchObject({
      code: 0,
      stdout: "macro cubes: version 1's code is back, as version 3\n",
    });
    expect(JSON.parse((await cli(["macro", "show", "cubes", "--json"])).stdout)).toMatchObject({
      code: "count = 3\nmake(count)\n",
      version: 3,
    });

    const missing = await cli(["macro", "revert", "cubes", "9"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/macro cubes has no version 9 \(it has versions 1 to 3\)/);
    const bad = await cli(["macro", "diff", "cubes", "one"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/A: a version is a whole number/);
  });

  it("keeps both of two CLI saves of one macro made at the same moment", async () => {
    const file = (n: number) => {
      const path = join(root, `v${n}.py`);
      writeFileSync(path, `version_${n}()\n`);
      return path;
    };
    expect((await cli(["macro", "save", "m", "--app", "blender", "--file", file(0)])).code).toBe(0);
    const save = (n: number) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            CLI,
            "macro",
            "save",
            "m",
            "--app",
            "blender",
            "--file",
            file(n),
            "--replace",
            "--data-dir",
            dataDir,
          ],
          { stdio: "ignore" },
        );
        child.on("exit", resolve);
      });
    expect(await Promise.all([save(1), save(2)])).toEqual([0, 0]);
    const versions = JSON.parse((await cli(["macro", "history", "m", "--json"])).stdout) as Array<{
      version: number;
      source: { path: string };
    }>;
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(new Set(versions.slice(1).map((v) => v.source.path))).toEqual(new Set([file(1), file(2)]));
    const current = readFileSync(join(dataDir, "macros", "m.json"), "utf8");
    expect(JSON.parse(current).source.path).toBe(versions[2]!.source.path);
  });
});
