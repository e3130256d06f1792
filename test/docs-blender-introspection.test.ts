// Live introspection of real headless Blender through the real bridge: the list script,
// describe batches validated against the docs model, and a full walk under the value cap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blenderIntrospection } from "../adapters/blender/introspection.js";
import { DEFAULT_MAX_VALUE_CHARS } from "../adapters/python/envelope.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { Entry, type Member } from "../adapters/shared/docs-model.js";
import { MAX_LISTED_NAMES } from "../bridge/docs/sync.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import type { RunResponse } from "../bridge/runs/outcome.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender");

const { listScript, describeScript, batchSize } = blenderIntrospection;

interface Listing {
  version: string;
  names: string[];
}

function member(entry: Entry, name: string): Member {
  const found = entry.members.find((m) => m.name === name);
  if (!found) throw new Error(`${entry.name} has no member ${name}`);
  return found;
}

function entryNamed(entries: Entry[], name: string): Entry {
  const found = entries.find((e) => e.name === name);
  if (!found) throw new Error(`no entry ${name}`);
  return found;
}

describe("Blender introspection scripts", () => {
  it("is the Blender adapter's docs hook", () => {
    expect(adapters.get("blender")?.docs?.introspection).toBe(blenderIntrospection);
  });

  it("passes preflight, and does nothing riskier than reflection", () => {
    // Walking bpy by computed names is what introspection is, and the risk classifier fails
    // closed on it; docs sync runs these bridge-authored scripts without the approval policy.
    const python = languageKits.get("python")!;
    for (const script of [listScript, describeScript]) {
      expect(python.preflight(script)).toEqual([]);
      expect(new Set(python.risk(script).map((flag) => flag.kind))).toEqual(new Set(["dynamic-code"]));
    }
  });
});

describe.skipIf(blender.skip)("Blender introspection in headless Blender", () => {
  let fx: BridgeFixture;
  let listing: Listing;

  // The listing gets the sync driver's item cap; describe batches keep the runtime's defaults.
  const run = (code: string, params?: unknown): Promise<RunResponse> =>
    fx.bridge.dispatcher.run({
      app: "blender",
      code,
      wrap: params === undefined ? { maxItems: MAX_LISTED_NAMES } : { params },
      timeoutMs: 60_000,
    });

  async function describeNames(names: unknown): Promise<Entry[]> {
    const result = await run(describeScript, { names });
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe("ok");
    expect(Array.isArray(result.value)).toBe(true);
    return (result.value as unknown[]).map((value) => Entry.parse(value));
  }

  beforeAll(async () => {
    fx = await startBridge({
      headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
      kits: languageKits,
      adapters,
    });
    await fx.bridge.managed!.waitUntilConnected(60_000);
    const result = await run(listScript);
    expect(result.error).toBeUndefined();
    listing = result.value as Listing;
  });

  afterAll(async () => {
    await fx?.close();
  });

  it("lists thousands of struct names and the operator groups, uncut", () => {
    expect(listing.version).toMatch(/^\d+\.\d+\.\d+/);
    // A list cut by the runtime's caps ends in a {"$more": N} marker instead of a name.
    expect(listing.names.filter((name) => typeof name !== "string")).toEqual([]);
    expect(listing.names.length).toBeGreaterThan(1500);
    expect(new Set(listing.names).size).toBe(listing.names.length);
    expect(listing.names).toEqual(
      expect.arrayContaining(["bpy.types.Object", "bpy.ops.mesh", "bpy.context"]),
    );
    expect(listing.names.filter((name) => name.startsWith("bpy.ops.")).length).toBeGreaterThan(50);
    // Registered panels and operator classes are left out (operators are under bpy.ops); menus stay.
    expect(listing.names.filter((name) => /_(PT|OT|HT|UL)_/.test(name))).toEqual([]);
    expect(listing.names).toContain("bpy.types.VIEW3D_MT_object");
  });

  it("describes bpy.types.Object with its own properties, functions and Python members", async () => {
    const [object] = await describeNames(["bpy.types.Object"]);
    expect(object).toMatchObject({ name: "bpy.types.Object", kind: "class", group: "types" });
    expect(object!.extends).toEqual(["bpy.types.ID"]);
    expect(object!.description).toMatch(/object/i);
    const names = object!.members.map((m) => m.name);
    // Inherited from ID, and the RNA bookkeeping property, are not repeated.
    expect(names).not.toContain("name");
    expect(names).not.toContain("rna_type");

    const location = member(object!, "location");
    expect(location).toMatchObject({ kind: "property", type: "float[3]", readonly: false });
    expect(location.description).toMatch(/location/i);
    expect(location.signature).toContain("mathutils.Vector");
    expect(location.signature).toContain("default (0.0, 0.0, 0.0)");

    expect(member(object!, "modifiers")).toMatchObject({
      type: "bpy_prop_collection of Modifier",
      readonly: true,
    });
    const type = member(object!, "type");
    expect(type.values?.map((v) => v.name)).toEqual(expect.arrayContaining(["MESH", "CAMERA", "EMPTY"]));

    const selectGet = member(object!, "select_get");
    expect(selectGet).toMatchObject({ kind: "method", type: "bool" });
    expect(selectGet.signature).toBe("select_get(view_layer: ViewLayer = None) -> bool");
    expect(selectGet.params).toEqual([expect.objectContaining({ name: "view_layer", optional: true })]);

    // Defined in Python (bpy_types.py), not in RNA.
    expect(member(object!, "children")).toMatchObject({ kind: "property", readonly: true });
  });

  it("describes collection structs' functions with required and optional params", async () => {
    const [objects, mesh] = await describeNames(["bpy.types.BlendDataObjects", "bpy.types.Mesh"]);
    const create = member(objects!, "new");
    expect(create).toMatchObject({ kind: "method", type: "Object" });
    expect(create.params?.map((p) => [p.name, p.type, p.optional ?? false])).toEqual([
      ["name", "str", false],
      ["object_data", "ID", false],
    ]);
    const remove = member(objects!, "remove");
    expect(remove.params).toContainEqual(
      expect.objectContaining({ name: "do_unlink", type: "bool", optional: true, default: "True" }),
    );
    const fromPydata = member(mesh!, "from_pydata");
    expect(fromPydata.params?.map((p) => p.name)).toEqual(["vertices", "edges", "faces"]);
    expect(fromPydata.params?.[0]?.description).toMatch(/X, Y, Z/);
  });

  it("describes an operator group with signatures, defaults and enum values", async () => {
    const [mesh] = await describeNames(["bpy.ops.mesh"]);
    expect(mesh).toMatchObject({ name: "bpy.ops.mesh", kind: "operator-group", group: "operators" });
    expect(mesh!.members.length).toBeGreaterThan(100);
    expect(mesh!.members.every((m) => m.kind === "operator")).toBe(true);

    const cube = member(mesh!, "primitive_cube_add");
    expect(cube.description).toBe("Construct a cube mesh");
    expect(cube.signature).toMatch(/^bpy\.ops\.mesh\.primitive_cube_add\(size=2\.0, calc_uvs=True, /);
    expect(cube.signature).toContain("align='WORLD', location=(0.0, 0.0, 0.0)");
    expect(cube.params).toContainEqual(
      expect.objectContaining({ name: "size", type: "float in [0.0, 1e+12]" }),
    );
    expect(cube.params).toContainEqual(
      expect.objectContaining({ name: "location", optional: true, default: "(0.0, 0.0, 0.0)" }),
    );
    const align = cube.params?.find((p) => p.name === "align");
    expect(align?.type).toBe("enum 'WORLD' | 'VIEW' | 'CURSOR'");
    expect(align?.description).toContain("CURSOR (3D Cursor: Use the 3D cursor orientation");
  });

  it("skips names that do not exist, whatever their shape", async () => {
    const entries = await describeNames([
      "bpy.types.NoSuchStruct",
      "bpy.ops.no_such_module",
      "bpy.types.bpy_struct",
      "not.a.name",
      42,
      null,
      "bpy.types.Camera",
    ]);
    expect(entries.map((e) => e.name)).toEqual(["bpy.types.Camera"]);
    expect(await describeNames("bpy.types.Camera")).toEqual([]);
  });

  it("walks every listed name in batches, each well under the value cap", async () => {
    const entries: Entry[] = [];
    let largestBatch = 0;
    for (let start = 0; start < listing.names.length; start += batchSize) {
      const result = await run(describeScript, { names: listing.names.slice(start, start + batchSize) });
      expect(result.outcome).toBe("ok");
      largestBatch = Math.max(largestBatch, JSON.stringify(result.value).length);
      entries.push(...(result.value as unknown[]).map((value) => Entry.parse(value)));
    }

    expect(largestBatch).toBeLessThan(DEFAULT_MAX_VALUE_CHARS / 2);
    expect(entries.map((e) => e.name)).toEqual(listing.names);
    expect(entries.reduce((sum, e) => sum + e.members.length, 0)).toBeGreaterThan(10_000);
    const context = entryNamed(entries, "bpy.context");
    expect(context.members.map((m) => m.name)).toContain("selected_objects");
  }, 120_000);
});
