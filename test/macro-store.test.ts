// Macro store, parameter checks and the /api/macros routes, without any app.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adapters } from "../adapters/registry.js";
import { coerceParams, macroHash, validateParams } from "../bridge/macros/params.js";
import { Macro, type ParamsSchema } from "../bridge/macros/schema.js";
import { MacroStore } from "../bridge/macros/store.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { rejected, thrown } from "./helpers/thrown.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API, asserted field by field.
const json = async (res: Response): Promise<any> => res.json();

const schema: ParamsSchema = {
  type: "object",
  properties: {
    factor: { type: "number" },
    count: { type: "integer", minimum: 1, maximum: 10 },
    flag: { type: "boolean", default: false },
    tags: { type: "array", items: { type: "string" } },
    opts: { type: "object" },
    label: { type: "string" },
  },
  required: ["factor"],
};

describe("MacroStore", () => {
  let dataDir: string;
  let store: MacroStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-macros-"));
    store = new MacroStore(dataDir, { adapters });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("saves atomically as a 0600 file, loads, lists and removes", async () => {
    const saved = await store.save({
      name: "scale-all",
      app: "blender",
      description: "scale",
      code: "1",
      params: schema,
    });
    expect(saved).toMatchObject({
      name: "scale-all",
      language: "python",
      source: { kind: "api" },
      starter: false,
    });
    expect(saved.hash).toBe(macroHash("1", schema));
    const file = join(dataDir, "macros", "scale-all.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // No temp file left; .git is the macros' history.
    expect(readdirSync(join(dataDir, "macros")).filter((f) => f !== ".git")).toEqual(["scale-all.json"]);
    expect(Macro.parse(JSON.parse(readFileSync(file, "utf8"))).code).toBe("1");
    expect(store.get("scale-all").params).toEqual(schema);
    const { macros, problems } = store.list();
    expect(problems).toEqual([]);
    expect(macros.map((m) => m.name)).toContain("scale-all");
    expect(macros.find((m) => m.name === "scale-all")).not.toHaveProperty("code");
    await store.remove("scale-all");
    expect(existsSync(file)).toBe(false);
    expect(thrown(() => store.get("scale-all")).status).toBe(404);
    expect((await rejected(() => store.remove("scale-all"))).status).toBe(404);
  });

  it("refuses to overwrite unless replace", async () => {
    await store.save({ name: "m", app: "blender", description: "", code: "1" });
    const conflict = await rejected(() =>
      store.save({ name: "m", app: "blender", description: "", code: "2" }),
    );
    expect(conflict.status).toBe(409);
    expect(
      (await store.save({ name: "m", app: "blender", description: "", code: "2" }, { replace: true })).code,
    ).toBe("2");
    expect(store.get("m").code).toBe("2");
  });

  it("validates names, fields and the params schema, naming the field", async () => {
    for (const name of ["Bad", "-x", "../etc", "a/b", "", "x".repeat(65)]) {
      const e = await rejected(() => store.save({ name, app: "blender", description: "", code: "1" }));
      expect(e.status).toBe(400);
      expect(e.message).toMatch(/^name: /);
    }
    expect(thrown(() => store.get("../bridge")).status).toBe(400);
    expect(
      (await rejected(() => store.save({ name: "a", app: "blender", description: "", code: "" }))).message,
    ).toMatch(/^code: /);
    expect(
      (await rejected(() => store.save({ name: "a", app: "nope", description: "", code: "1" }))).message,
    ).toMatch(/^app: unknown app "nope"/);
    expect(
      (
        await rejected(() =>
          store.save({ name: "a", app: "blender", description: "", code: "1", params: { type: "array" } }),
        )
      ).message,
    ).toMatch(/^params\.type: /);
    expect(
      (
        await rejected(() =>
          store.save({
            name: "a",
            app: "blender",
            description: "",
            code: "1",
            params: { type: "object", properties: { x: { type: "wat" } } },
          }),
        )
      ).message,
    ).toMatch(/^params: not a valid JSON Schema/);
    expect(
      (await rejected(() => store.save({ name: "a", app: "blender", description: "", code: "1", extra: 1 })))
        .status,
    ).toBe(400);
  });

  it("refuses a parameter pattern the linear-time engine cannot run, naming the parameter and why", async () => {
    const save = (params: ParamsSchema) =>
      rejected(() => store.save({ name: "a", app: "blender", description: "", code: "1", params }));
    const backreference = await save({
      type: "object",
      properties: { label: { type: "string" }, word: { type: "string", pattern: "^(a)\\1$" } },
    });
    expect(backreference.status).toBe(400);
    expect(backreference.message).toMatch(
      /^params: parameter "word": regular expression `\^\(a\)\\1\$` uses a backreference/,
    );
    const nested = await save({
      type: "object",
      properties: { items: { type: "array", items: { type: "string", pattern: "x(?=y)" } } },
    });
    expect(nested.message).toMatch(/^params: parameter "items": .* uses lookahead/);
    const keys = await save({ type: "object", patternProperties: { "^(?<!x)y$": { type: "string" } } });
    expect(keys.message).toMatch(/^params: regular expression `\^\(\?<!x\)y\$` uses lookbehind/);
    expect(existsSync(join(dataDir, "macros", "a.json"))).toBe(false);
  });

  it("lists bad files as problems (ajv), never crashes", async () => {
    await store.save({ name: "good", app: "blender", description: "", code: "1" });
    const dir = join(dataDir, "macros");
    writeFileSync(join(dir, "broken.json"), "{ not json");
    writeFileSync(join(dir, "missing.json"), JSON.stringify({ name: "missing", app: "blender" }));
    const good = JSON.parse(readFileSync(join(dir, "good.json"), "utf8"));
    writeFileSync(join(dir, "renamed.json"), JSON.stringify(good));
    writeFileSync(join(dir, "edited.json"), JSON.stringify({ ...good, name: "edited", code: "2" }));
    writeFileSync(join(dir, "extra.json"), JSON.stringify({ ...good, name: "extra", evil: true }));
    const { macros, problems } = store.list();
    expect(macros.map((m) => m.name)).toContain("good");
    const byFile = Object.fromEntries(problems.map((p) => [p.file.split("/").pop(), p.message]));
    expect(Object.keys(byFile).sort()).toEqual([
      "broken.json",
      "edited.json",
      "extra.json",
      "missing.json",
      "renamed.json",
    ]);
    expect(byFile["broken.json"]).toMatch(/not readable JSON/);
    expect(byFile["missing.json"]).toMatch(/required/);
    expect(byFile["extra.json"]).toMatch(/additional properties.*evil/);
    expect(byFile["renamed.json"]).toMatch(/does not match the file name/);
    expect(byFile["edited.json"]).toMatch(/hash does not match/);
    const e = thrown(() => store.get("broken"));
    expect(e.status).toBe(422);
  });

  it("ships read-only starters that a user macro may shadow", async () => {
    const starters = store.list().macros.filter((m) => m.starter);
    expect(starters.map((m) => m.name)).toEqual(expect.arrayContaining(["add-cubes", "rename-objects"]));
    expect(store.get("add-cubes")).toMatchObject({
      app: "blender",
      starter: true,
      source: { kind: "starter" },
    });
    expect((await rejected(() => store.remove("add-cubes"))).status).toBe(403);
    expect(
      (await rejected(() => store.save({ name: "add-cubes", app: "blender", description: "", code: "1" })))
        .status,
    ).toBe(409);
    await store.save(
      { name: "add-cubes", app: "blender", description: "mine", code: "1" },
      { replace: true },
    );
    expect(store.get("add-cubes")).toMatchObject({ starter: false, description: "mine" });
    expect(store.list().macros.filter((m) => m.name === "add-cubes")).toHaveLength(1);
    await store.remove("add-cubes");
    expect(store.get("add-cubes").starter).toBe(true);
  });

  it("reads starters from another folder too", () => {
    const starters = join(dataDir, "lib");
    mkdirSync(join(starters, "blender", "macros"), { recursive: true });
    writeFileSync(join(starters, "blender", "macros", "bad.json"), "[]");
    const other = new MacroStore(dataDir, { startersDir: starters });
    expect(other.list()).toEqual({
      macros: [],
      problems: [{ file: expect.stringContaining("bad.json"), message: expect.any(String) }],
    });
  });
});

describe("macro params", () => {
  it("types k=v by the schema", () => {
    expect(
      coerceParams(schema, ["factor=2", "count=3", "flag=true", 'tags=["a","b"]', 'opts={"x":1}', "label=2"]),
    ).toEqual({ factor: 2, count: 3, flag: true, tags: ["a", "b"], opts: { x: 1 }, label: "2" });
    expect(coerceParams(schema, ["flag=no", "label=a=b"])).toEqual({ flag: false, label: "a=b" });
    expect(() => coerceParams(schema, ["novalue"])).toThrow(/name=value/);
  });

  it("fills defaults and names the bad parameter", () => {
    expect(validateParams("m", schema, { factor: 1.5 })).toEqual({ factor: 1.5, flag: false });
    expect(() => validateParams("m", schema, coerceParams(schema, ["factor=abc"]))).toThrow(
      /parameter "factor" must be number/,
    );
    expect(() => validateParams("m", schema, { factor: 1, count: 11 })).toThrow(
      /parameter "count" must be <= 10/,
    );
    expect(() => validateParams("m", schema, { factor: 1, count: 2.5 })).toThrow(
      /parameter "count" must be integer/,
    );
    expect(() => validateParams("m", schema, {})).toThrow(/parameter "factor" is required/);
    expect(() => validateParams("m", schema, { factor: 1, cout: 3 })).toThrow(/unknown parameter "cout"/);
    for (const bad of [[], "x", null])
      expect(() => validateParams("m", schema, bad)).toThrow(/must be an object/);
  });

  it("checks each parameter against its own pattern (RE2 semantics: unanchored unless anchored)", () => {
    const patterned: ParamsSchema = {
      type: "object",
      properties: {
        code: { type: "string", pattern: "^[A-Z]{3}$" },
        note: { type: "string", pattern: "urgent" },
      },
    };
    expect(validateParams("m", patterned, { code: "ABC", note: "very urgent!" })).toEqual({
      code: "ABC",
      note: "very urgent!",
    });
    expect(() => validateParams("m", patterned, { code: "urgent" })).toThrow(
      /parameter "code" must match pattern "\^\[A-Z\]\{3\}\$"/,
    );
    expect(() => validateParams("m", patterned, { note: "ABC" })).toThrow(
      /parameter "note" must match pattern "urgent"/,
    );
  });
});

describe("/api/macros", () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridge({ adapters });
  });
  afterAll(async () => {
    await fx?.close();
  });

  const body = {
    name: "echo-it",
    app: "blender",
    description: "returns its params",
    code: "params",
    params: { type: "object", properties: { n: { type: "integer", maximum: 5 } }, required: ["n"] },
  };

  it("needs the token", async () => {
    const res = await fx.api("/api/macros", { headers: { authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
  });

  it("saves (201), refuses a duplicate (409) unless replace, shows and lists", async () => {
    let res = await fx.api("/api/macros", { method: "POST", json: body });
    expect(res.status).toBe(201);
    const saved = await json(res);
    expect(saved).toMatchObject({
      name: "echo-it",
      language: "python",
      starter: false,
      source: { kind: "api" },
    });
    expect(saved).not.toHaveProperty("file");
    res = await fx.api("/api/macros", { method: "POST", json: body });
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe("exists");
    res = await fx.api("/api/macros?replace=true", { method: "POST", json: { ...body, description: "v2" } });
    expect(res.status).toBe(201);
    res = await fx.api("/api/macros/echo-it");
    expect(await json(res)).toMatchObject({ description: "v2", code: "params" });
    res = await fx.api("/api/macros");
    const list = await json(res);
    expect(Array.isArray(list)).toBe(true);
    const row = list.find((m: { name: string }) => m.name === "echo-it");
    expect(Object.keys(row).sort()).toEqual(
      [
        "app",
        "createdAt",
        "description",
        "hash",
        "language",
        "name",
        "params",
        "review",
        "reviewed",
        "source",
        "starter",
      ].sort(),
    );
    expect(list.some((m: { name: string; starter: boolean }) => m.name === "add-cubes" && m.starter)).toBe(
      true,
    );
  });

  it("answers 400 naming the field, 404 for unknown macros", async () => {
    let res = await fx.api("/api/macros", { method: "POST", json: { ...body, name: "Bad Name" } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toMatch(/^name: /);
    res = await fx.api("/api/macros", { method: "POST", json: { ...body, name: "x", code: 3 } });
    expect((await json(res)).error.message).toMatch(/^code: /);
    res = await fx.api("/api/macros/nothing-here");
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe("not-found");
    res = await fx.api("/api/macros/nothing-here", { method: "DELETE" });
    expect(res.status).toBe(404);
    res = await fx.api("/api/macros/nothing-here/run", { method: "POST", json: {} });
    expect(res.status).toBe(404);
  });

  it("refuses invalid params with 400 naming the parameter; nothing runs", async () => {
    let res = await fx.api("/api/macros/echo-it/run", { method: "POST", json: { params: { n: 9 } } });
    expect(res.status).toBe(400);
    const error = (await json(res)).error;
    expect(error.code).toBe("bad-params");
    expect(error.message).toMatch(/parameter "n" must be <= 5/);
    res = await fx.api("/api/macros/echo-it/run", { method: "POST", json: { params: {} } });
    expect((await json(res)).error.message).toMatch(/parameter "n" is required/);
    res = await fx.api("/api/macros/echo-it/run", { method: "POST", json: { params: { n: 1 }, bogus: 1 } });
    expect(res.status).toBe(400);
    res = await fx.api("/api/macros/echo-it/run", {
      method: "POST",
      json: { params: { n: 1 }, app: "aftereffects" },
    });
    expect((await json(res)).error.message).toMatch(/^app: /);
    // Valid params but no host: the usual not-dispatched RunResponse.
    res = await fx.api("/api/macros/echo-it/run", { method: "POST", json: { params: { n: 1 } } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ outcome: "not-dispatched", hostId: null });
  });

  it("lists problems separately and deletes (204); starters are 403", async () => {
    writeFileSync(join(fx.dataDir, "macros", "junk.json"), "nope");
    let res = await fx.api("/api/macros/_problems");
    expect(await json(res)).toEqual([
      { file: expect.stringContaining("junk.json"), message: expect.any(String) },
    ]);
    res = await fx.api("/api/macros");
    expect(res.status).toBe(200);
    res = await fx.api("/api/macros/echo-it", { method: "DELETE" });
    expect(res.status).toBe(204);
    res = await fx.api("/api/macros/add-cubes", { method: "DELETE" });
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe("read-only");
  });
});
