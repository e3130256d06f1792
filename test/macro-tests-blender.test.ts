// Macro tests against real headless Blender: cases saved with `macro save --tests`, run by
// `macro test` on a new document (or a fixture) in a host of their own, a failing case stopping
// `batch run` before its files until the macro is fixed (or --skip-tests, which the report
// records), bad tests files and fixtures refused naming the case, checks that throw or say
// false, and the bridge's route running tests without touching the document of its own hosts.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { TestResults } from "../bridge/macro-tests/results.js";
import { MacroStore } from "../bridge/macros/store.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { makeBlendFiles } from "./helpers/batch-fixtures.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { runCli } from "./helpers/cli.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

/** Adds `count` cubes and returns how many objects there are; the first version adds one too few. */
const ADDER_BUGGY = [
  'for i in range(params["count"] - 1):',
  "    bpy.ops.mesh.primitive_cube_add(location=(i * 3, 0, 0))",
  "len(bpy.data.objects)",
].join("\n");
const ADDER_FIXED = ADDER_BUGGY.replace('params["count"] - 1', 'params["count"]');
const COUNT_PARAM = {
  type: "object",
  properties: { count: { type: "integer", minimum: 0 } },
  required: ["count"],
};
// The factory scene holds a cube, a camera and a light.
const ADDER_TESTS = [
  { name: "no cubes", params: { count: 0 }, expect: { value: 3 } },
  { name: "two cubes", params: { count: 2 }, expect: { value: 5 } },
];

describe.skipIf(blender.skip)("macro tests on headless Blender", () => {
  let root: string;
  let dataDir: string;
  let fixture: string;
  const cli = (args: string[]) => runCli([...args, "--data-dir", dataDir]);
  const write = (name: string, content: unknown) => {
    const path = join(root, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  };
  const save = (name: string, code: string, tests: unknown, more: string[] = []) =>
    cli([
      "macro",
      "save",
      name,
      "--app",
      "blender",
      "--file",
      write(`${name}.py`, code),
      "--params",
      write(`${name}.params.json`, COUNT_PARAM),
      "--tests",
      write(`${name}.tests.json`, tests),
      ...more,
    ]);

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "sw-macro-tests-"));
    dataDir = join(root, "data");
    // five.blend: the factory scene plus two cubes (5 objects).
    makeBlendFiles(blender.path!, root, [
      "bpy.ops.mesh.primitive_cube_add(location=(3, 0, 0))",
      "bpy.ops.mesh.primitive_cube_add(location=(6, 0, 0))",
      "bpy.ops.wm.save_as_mainfile(filepath=f'{out}/five.blend')",
    ]);
    fixture = join(root, "five.blend");
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("one passing and one failing case: macro test exits 1 naming it, batch run refuses; fixed, both pass and the batch runs", async () => {
    expect((await save("adder", ADDER_BUGGY, ADDER_TESTS)).code).toBe(0);
    const failing = await cli(["macro", "test", "adder"]);
    expect(failing.code, failing.stderr).toBe(1);
    expect(failing.stdout).toMatch(/^macro adder version 1 \(blender\): 1 passed, 1 failed/m);
    expect(failing.stdout).toMatch(/^ {2}pass {2}no cubes$/m);
    expect(failing.stdout).toMatch(/^ {2}FAIL {2}two cubes: expected value 5, got 4$/m);

    const refused = await cli(["batch", "run", "--macro", "adder", "--files", fixture, "--param", "count=1"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /not started: macro adder \(version 1\) failed its test "two cubes" \(expected value 5, got 4\)/,
    );
    expect(JSON.parse((await cli(["batch", "list", "--json"])).stdout)).toEqual([]);

    // Fixed as version 2: both pass, and the batch starts, saying so.
    expect((await save("adder", ADDER_FIXED, ADDER_TESTS, ["--replace"])).code).toBe(0);
    const passing = await cli(["macro", "test", "adder", "--json"]);
    expect(passing.code, passing.stderr).toBe(0);
    const report = JSON.parse(passing.stdout);
    expect(report).toMatchObject({ macro: "adder", version: 2, passed: 2, failed: 0 });
    expect(
      report.cases.map((c: { name: string; ok: boolean; value: unknown }) => [c.name, c.ok, c.value]),
    ).toEqual([
      ["no cubes", true, 3],
      ["two cubes", true, 5],
    ]);
    const batch = await cli([
      "batch",
      "run",
      "--macro",
      "adder",
      "--files",
      fixture,
      "--param",
      "count=1",
      "--json",
    ]);
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.stderr).toMatch(/tests: 2 passed \(macro adder version 2\)/);
    const status = JSON.parse(batch.stdout);
    expect(status).toMatchObject({ ok: 1, tests: { ran: true, version: 2, passed: 2 } });
    expect(status.files[0].value).toBe(6);

    // Results are kept per version.
    const results = new TestResults(dataDir);
    // (macro test and batch run, for version 1 and then version 2)
    expect(results.all("adder").map((r) => [r.version, r.passed, r.failed])).toEqual([
      [1, 1, 1],
      [1, 1, 1],
      [2, 2, 0],
      [2, 2, 0],
    ]);

    // Version 1 back, run anyway: the report says its tests were skipped.
    expect((await cli(["macro", "revert", "adder", "1"])).code).toBe(0);
    const skipped = await cli([
      "batch",
      "run",
      "--macro",
      "adder",
      "--files",
      fixture,
      "--param",
      "count=1",
      "--skip-tests",
      "--json",
    ]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(JSON.parse(skipped.stdout).tests).toEqual({ ran: false, why: "skipped" });
    expect(skipped.stderr).toMatch(/tests of macro adder skipped \(--skip-tests\)/);
    const id = JSON.parse(skipped.stdout).id as string;
    expect(readFileSync(join(dataDir, "jobs", id, "report.html"), "utf8")).toMatch(
      /tests: skipped \(--skip-tests\)/,
    );
  }, 300_000);

  it("refuses a broken tests file naming the case and a fixture that does not exist, and keeps nothing of it", async () => {
    const notJson = await cli([
      "macro",
      "save",
      "broken",
      "--app",
      "blender",
      "--file",
      write("b.py", "1"),
      "--tests",
      write("b.tests.json", "[{"),
    ]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/--tests .*b\.tests\.json is not JSON/);

    const cases = [
      [
        [
          { name: "fine", params: { count: 1 }, expect: { value: 4 } },
          { name: "empty", params: { count: 1 }, expect: {} },
        ],
        /tests: case 2 "empty": expect: give value, schema or check/,
      ],
      [
        [{ name: "typo", params: { count: 1 }, expect: { vaule: 4 } }],
        /tests: case 1 "typo": expect: Unrecognized key/,
      ],
      [
        [{ name: "bad count", params: { count: "two" }, expect: { value: 4 } }],
        /case 1 "bad count": params: parameter "count" must be integer/,
      ],
      [
        [
          { name: "a", params: { count: 1 }, expect: { value: 4 } },
          { name: "a", params: { count: 2 }, expect: { value: 5 } },
        ],
        /case 2 "a": another case is named "a"/,
      ],
      [
        [{ name: "re", params: { count: 1 }, expect: { schema: { type: "string", pattern: "(a)\\1" } } }],
        /case 1 "re": expect\.schema: regular expression .* backreference/,
      ],
      [
        [{ name: "lost", fixture: "nope.blend", params: { count: 1 }, expect: { value: 4 } }],
        /case 1 "lost": fixture: file not found: .*\/nope\.blend/,
      ],
    ] as const;
    for (const [tests, message] of cases) {
      const saved = await save("broken", "len(bpy.data.objects)", tests);
      expect(saved.code, JSON.stringify(tests)).toBe(2);
      expect(saved.stderr).toMatch(/--tests .*broken\.tests\.json: /);
      expect(saved.stderr).toMatch(message);
    }
    expect((await cli(["macro", "show", "broken"])).code).toBe(2);
  }, 180_000);

  it("fails a case whose check throws or says false, whose value breaks its schema, or whose fixture went missing; passes a fixture case", async () => {
    const gone = join(root, "gone.blend");
    copyFileSync(fixture, gone);
    const tests = [
      {
        name: "on the fixture",
        fixture: "five.blend",
        params: { count: 1 },
        expect: {
          value: 6,
          schema: { type: "integer", minimum: 6 },
          check: 'len([o for o in bpy.data.objects if o.type == "MESH"]) == 4',
        },
      },
      { name: "check raises", params: { count: 1 }, expect: { check: "1 / 0" } },
      { name: "check says no", params: { count: 1 }, expect: { check: "len(bpy.data.objects) == 99" } },
      { name: "wrong type", params: { count: 1 }, expect: { schema: { type: "string" } } },
      { name: "fixture gone", fixture: gone, params: { count: 1 }, expect: { value: 6 } },
    ];
    expect((await save("checked", ADDER_FIXED, tests)).code).toBe(0);
    rmSync(gone);
    const run = await cli(["macro", "test", "checked", "--json"]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { cases: Array<{ name: string; ok: boolean; reason?: string }> };
    const reasons = Object.fromEntries(report.cases.map((c) => [c.name, c.ok ? "pass" : c.reason]));
    expect(reasons["on the fixture"]).toBe("pass");
    expect(reasons["check raises"]).toMatch(
      /^the check raised ZeroDivisionError: division by zero \(line 1\)$/,
    );
    expect(reasons["check says no"]).toBe("the check gave false, not true");
    expect(reasons["wrong type"]).toBe("value does not match expect.schema: value must be string");
    expect(reasons["fixture gone"]).toBe(`fixture: file not found: ${gone}`);
  }, 180_000);

  describe("through a running bridge", () => {
    let fx: BridgeFixture;
    beforeAll(async () => {
      fx = await startBridge({
        dataDir,
        kits: languageKits,
        adapters,
        headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
      });
      await fx.bridge.managed!.waitUntilConnected(120_000);
      expect((await save("bridged", ADDER_BUGGY, ADDER_TESTS)).code).toBe(0);
    }, 180_000);
    afterAll(async () => {
      await fx?.close();
    });

    it("runs the tests on a host of its own (the bridge's host keeps its scene) and keeps the result with the version", async () => {
      const marked = await fx.run({
        app: "blender",
        code: "bpy.ops.mesh.primitive_monkey_add()\nlen(bpy.data.objects)",
      });
      expect(marked.outcome).toBe("ok");
      const res = await fx.api("/api/macros/bridged/test", { method: "POST", json: {} });
      expect(res.status).toBe(200);
      const report = (await res.json()) as { version: number; passed: number; failed: number };
      expect(report).toMatchObject({ version: 1, passed: 1, failed: 1 });
      // The bridge's own headless Blender was not touched: its monkey is still there.
      const after = await fx.run({ app: "blender", code: "len(bpy.data.objects)" });
      expect(after.value).toBe(marked.value);
      // A second run finds the test host warm.
      expect(fx.bridge.macroTests.hosts.isWarm("blender")).toBe(true);

      const tests = (await (await fx.api("/api/macros/bridged/tests")).json()) as {
        version: number;
        tests: unknown[];
        result: { version: number; failed: number } | null;
      };
      expect(tests).toMatchObject({ version: 1, result: { version: 1, failed: 1 } });
      expect(tests.tests).toHaveLength(2);
      // The CLI goes through this bridge when it runs.
      const cliRun = await runCli(["macro", "test", "bridged", "--data-dir", dataDir]);
      expect(cliRun.code).toBe(1);
      expect(cliRun.stderr).not.toMatch(/starting a headless/);
    }, 180_000);
  });

  describe("every macro with tests (--all)", () => {
    let allDir: string;
    const all = (args: string[]) => runCli(["macro", "test", ...args, "--data-dir", allDir]);
    beforeAll(async () => {
      allDir = join(root, "all-data");
      const store = new MacroStore(allDir, { adapters });
      const base = { app: "blender", description: "adds cubes", params: COUNT_PARAM };
      await store.save({ ...base, name: "fixed", code: ADDER_FIXED, tests: ADDER_TESTS });
      await store.save({ ...base, name: "buggy", code: ADDER_BUGGY, tests: ADDER_TESTS });
      await store.save({ ...base, name: "untested", code: ADDER_FIXED });
      // An agent's macro nobody approved: --all names it and does not run it.
      await store.save({
        ...base,
        name: "agents",
        code: ADDER_FIXED,
        tests: ADDER_TESTS,
        source: { kind: "session", sessionId: "20261207-101010-abcdef" },
      });
    });

    it("runs each reviewed macro's cases in one command, names the one it skipped, exits 1 for a failing case", async () => {
      const run = await all(["--all", "--json"]);
      expect(run.code, run.stderr).toBe(1);
      const reports = JSON.parse(run.stdout) as Array<{ macro: string; passed: number; failed: number }>;
      expect(reports.map((r) => [r.macro, r.passed, r.failed]).sort()).toEqual([
        ["buggy", 1, 1],
        ["fixed", 2, 0],
      ]);
      expect(run.stderr).toMatch(/skipped agents: saved by an agent and not approved yet/);
    }, 300_000);

    it("refuses a macro without tests, a name with --all, and neither (exit 2), running nothing", async () => {
      const none = await all(["untested"]);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/macro untested has no tests: save it with --tests FILE\.json/);
      expect((await all(["fixed", "--all"])).stderr).toMatch(/give a macro name or --all, not both/);
      const neither = await all([]);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toMatch(/give a macro name, or --all/);
      expect(new TestResults(allDir).all("untested")).toEqual([]);
    });
  });
});
