// Read-only mode per app, judged as the bridge judges it (classify with the registry's
// adapters): an app without a list of pure reads has no read-only mode; Blender's,
// LibreOffice's and Excel's lists let typical reads through and none of the bypasses found;
// and every Blender read called read-only here runs in a real Blender without changing it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { blenderStateProbe, blenderWrapOptions } from "../adapters/blender/index.js";
import { blenderPythonReadOnly, blenderRnaReads } from "../adapters/blender/read-only.js";
import { classify } from "../adapters/classify.js";
import { excelStateProbe } from "../adapters/excel/state-probe.js";
import { libreOfficeStateProbe } from "../adapters/libreoffice/state-probe.js";
import { pythonKit } from "../adapters/python/index.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { adapterLanguages } from "../adapters/types.js";
import { requireBinary } from "./helpers/require-binary.js";
import { runProcess } from "./helpers/run-process.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

function readOnly(app: string, language: string, code: string): boolean {
  return classify(languageKits.get(language)!, adapters.get(app), code).readOnly;
}

const BLENDER_READS: Record<string, string> = {
  "the state probe": blenderStateProbe,
  "object names and types": "[(o.name, o.type) for o in D.objects]",
  "a bounding box with mathutils": [
    "from mathutils import Vector",
    'corners = [o.matrix_world @ Vector(c) for o in D.objects if o.type == "MESH" for c in o.bound_box]',
    "low = Vector([min(c[i] for c in corners) for i in range(3)])",
    "high = Vector([max(c[i] for c in corners) for i in range(3)])",
    '{"min": low.to_tuple(), "max": high.to_tuple(), "size": (high - low).length}',
  ].join("\n"),
  "counting evaluated vertices": [
    "depsgraph = C.evaluated_depsgraph_get()",
    "total = 0",
    "for o in D.objects:",
    '    if o.type == "MESH":',
    "        total += len(o.evaluated_get(depsgraph).data.vertices)",
    "total",
  ].join("\n"),
  "selection, visibility and RNA queries": [
    'cube = D.objects.get("Cube")',
    "view_layer = C.view_layer",
    '{"selected": cube.select_get(view_layer=view_layer), "visible": cube.visible_get(),',
    ' "hidden": cube.hide_get(), "path": cube.path_from_id("location"), "set": cube.is_property_set("location"),',
    ' "readonly": cube.is_property_readonly("name"), "modified": cube.is_modified(C.scene, "PREVIEW"),',
    ' "uses mesh": cube.user_of_id(cube.data), "index": D.objects.find("Cube"), "keys": list(cube.keys())}',
  ].join("\n"),
  "ray casts, statistics and JSON": [
    "import json, statistics",
    'cube = D.objects["Cube"]',
    "hit = cube.ray_cast((0, 0, 5), (0, 0, -1))",
    "near = cube.closest_point_on_mesh((0, 0, 5), distance=10.0)",
    "scene_hit = C.scene.ray_cast(C.evaluated_depsgraph_get(), (0, 0, 5), (0, 0, -1))",
    "heights = [o.location.z for o in D.objects]",
    'json.dumps({"hit": hit[0], "near": near[0], "scene": scene_hit[0], "mean": statistics.mean(heights),',
    '            "file": bpy.path.basename(D.filepath)}, sort_keys=True)',
  ].join("\n"),
};

/** Scripts that do change the scene: the check below must see them do it. */
const BLENDER_WRITES: Record<string, string> = {
  "moving the cube": 'D.objects["Cube"].location.x += 1',
  "adding a mesh": 'D.meshes.new("scratch")',
};

describe("apps without a list of pure reads have no read-only mode", () => {
  const scripts = ["1", "x = 1", "Result = 1", "app.project.numItems", "swApp.GetProcessID()"];
  for (const app of ["solidworks", "aftereffects", "premiere"]) {
    it(`${app}: no script is read-only, in any language its hosts speak`, () => {
      const adapter = adapters.get(app)!;
      for (const language of adapterLanguages(adapter)) {
        for (const code of scripts) expect(readOnly(app, language, code), `${language}: ${code}`).toBe(false);
      }
    });
  }

  it("the same trivial scripts are read-only where a list exists (so the check above can fail)", () => {
    expect(readOnly("blender", "python", "x = 1")).toBe(true);
    expect(readOnly("excel", "vba", "Result = 1")).toBe(true);
  });
});

describe("blender read-only list", () => {
  it("lets typical reads through", () => {
    for (const [name, code] of Object.entries(BLENDER_READS))
      expect(readOnly("blender", "python", code), name).toBe(true);
  });

  it("refuses every bypass found, and writes", () => {
    for (const code of [
      'getattr(os, "system")("touch x")',
      'import posix; posix.system("x")',
      "import sys; sys.exit()",
      "sorted(objs, key=D.objects.remove)",
      'print("x", file=D.texts["t"])',
      "().__class__.__bases__[0].__subclasses__()",
      'f"{D.objects.remove(D.objects[0])}"',
      "len = bpy.ops.wm.quit_blender\nlen()",
      "[o.name for o in D.objects]; D.objects.remove(o)",
      "bpy.ops.object.join()",
      'C.scene.sequence_editor.sequences_all["s"].split(10, "SOFT")',
      'D.objects["Cube"].data.vertices.foreach_get("co", D.objects["Cube"].location)',
      ...Object.values(BLENDER_WRITES),
    ]) {
      expect(readOnly("blender", "python", code), code).toBe(false);
    }
  });
});

describe("libreoffice read-only lists", () => {
  it("VBA: a range's sum, UsedRange.Address and the state probe are read-only", () => {
    for (const code of [
      'Result = Application.WorksheetFunction.Sum(ActiveSheet.Range("A1:B3"))',
      [
        "Dim c As Variant, total As Double",
        'For Each c In ThisWorkbook.Worksheets(1).Range("A1:A10")',
        "    If IsNumeric(c.Value) Then total = total + c.Value",
        "Next c",
        "Result = total",
      ].join("\n"),
      "Result = ActiveSheet.UsedRange.Address",
      "Result = ThisComponent.getSheets().getByIndex(0).getCellByPosition(0, 0).getValue()",
      libreOfficeStateProbe,
    ]) {
      expect(readOnly("libreoffice", "vba", code), code).toBe(true);
    }
  });

  it("VBA: refuses writes, shells and closing", () => {
    for (const code of [
      'Range("A1").Value = 1',
      'Shell "x"',
      'Kill "x"',
      'Result = CreateObject("WScript.Shell")',
      "ActiveWorkbook.Close",
      'Application.Run "x"',
      "ThisComponent.store()",
      "ThisComponent.getSheets().getByIndex(0).getCellByPosition(0, 0).setValue(1)",
      'Result = createUnoService("com.sun.star.system.SystemShellExecute")',
    ]) {
      expect(readOnly("libreoffice", "vba", code), code).toBe(false);
    }
  });

  it("Python: cell values through getCellRangeByName are read-only; UNO's shell and writes are not", () => {
    expect(
      readOnly(
        "libreoffice",
        "python",
        'sheet = doc.getSheets().getByName("Sheet1")\nrows = sheet.getCellRangeByName("A1:B3").getDataArray()\n[list(r) for r in rows]',
      ),
    ).toBe(true);
    for (const code of [
      'ctx.ServiceManager.createInstanceWithContext("com.sun.star.system.SystemShellExecute", ctx).execute("touch", "/tmp/x", 0)',
      'smgr.createInstance("com.sun.star.frame.DispatchHelper")',
      "doc.getSheets().getByIndex(0).getCellByPosition(0, 0).setValue(1)",
      "doc.getSheets().getByIndex(0).getCellByPosition(0, 0).Value = 1",
      'save_as("/tmp/x.ods")',
      "doc.store()",
      "desktop.terminate()",
    ]) {
      expect(readOnly("libreoffice", "python", code), code).toBe(false);
    }
  });
});

describe("excel read-only list", () => {
  it("the state probe is read-only; writes, shells and closing are not", () => {
    expect(readOnly("excel", "vba", excelStateProbe)).toBe(true);
    for (const code of [
      'Range("A1").Value = 1',
      "ActiveWorkbook.Close",
      'Application.Run "x"',
      "Cells = 2",
    ]) {
      expect(readOnly("excel", "vba", code), code).toBe(false);
    }
  });
});

// Runs wrapped scripts in one headless Blender and reports, for each, its output and whether
// a snapshot of the file (every data-block's plain properties, mesh vertices, selection,
// is_dirty, counts) changed. Also lists every RNA function and bpy_struct method name.
const HARNESS = `
import bpy, json, sys

def value(v):
    try:
        return repr(tuple(v)) if hasattr(v, "__len__") and not isinstance(v, str) else repr(v)
    except Exception:
        return repr(v)

def snapshot():
    state = {"dirty": bpy.data.is_dirty}
    for prop in bpy.data.bl_rna.properties:
        if prop.type != "COLLECTION":
            continue
        blocks = []
        for block in getattr(bpy.data, prop.identifier):
            # Reading an image's pixels loads them (has_data flips): not part of the file.
            fields = [(p.identifier, value(getattr(block, p.identifier, None)))
                      for p in block.bl_rna.properties
                      if p.type not in {"POINTER", "COLLECTION"} and p.identifier != "pixels"]
            blocks.append((block.name, fields))
        state[prop.identifier] = blocks
    state["vertices"] = [(m.name, [tuple(v.co) for v in m.vertices]) for m in bpy.data.meshes]
    layer = bpy.context.view_layer
    state["selection"] = [(o.name, o.select_get(view_layer=layer)) for o in layer.objects]
    return state

def rna_function_names():
    names = set()
    for name in dir(bpy.types):
        cls = getattr(bpy.types, name)
        if name.startswith("_") or not isinstance(cls, type):
            continue
        rna = getattr(cls, "bl_rna", None)
        if rna is not None:
            names.update(f.identifier for f in rna.functions)
        names.update(n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n, None)))
    return sorted(names)

jobs = json.load(open(sys.argv[sys.argv.index("--") + 1]))
exec(compile(jobs["setup"], "<setup>", "exec"), {"__name__": "__scriptwright__"})
snapshot()  # whatever reading everything loads lazily is loaded before the first comparison
results = []
for run in jobs["runs"]:
    before = snapshot()
    namespace = {"__name__": "__scriptwright__"}
    exec(compile(run["code"], "<scriptwright>", "exec"), namespace)
    after = snapshot()
    results.append({"name": run["name"], "output": namespace.get("__scriptwright_output__"),
                    "unchanged": before == after, "dirty": bpy.data.is_dirty, "objects": len(bpy.data.objects)})
print("HARNESS " + json.dumps({"results": results, "rna": rna_function_names()}))
`;

interface HarnessResult {
  name: string;
  output: string;
  unchanged: boolean;
  dirty: boolean;
  objects: number;
}

describe.skipIf(blender.skip)("blender read-only list against a real Blender", () => {
  const dir = mkdtempSync(join(tmpdir(), "sw-read-only-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("every read it calls read-only runs without changing the file; writes do change it", async () => {
    const scripts = { ...BLENDER_READS, ...BLENDER_WRITES };
    const runs = Object.entries(scripts).map(([name, code]) => ({
      name,
      code,
      wrapped: pythonKit.wrap(code, blenderWrapOptions),
    }));
    const jobs = join(dir, "jobs.json");
    writeFileSync(
      jobs,
      JSON.stringify({
        setup: pythonKit.setup!.code,
        runs: runs.map((r) => ({ name: r.name, code: r.wrapped.code })),
      }),
    );
    const result = await runProcess(blender.path!, [
      "-b",
      "--factory-startup",
      "--python-exit-code",
      "1",
      "--python-expr",
      HARNESS,
      "--",
      jobs,
    ]);
    const line = result.stdout.split("\n").find((l) => l.startsWith("HARNESS "));
    expect(line, result.stderr).toBeDefined();
    const report = JSON.parse(line!.slice("HARNESS ".length)) as { results: HarnessResult[]; rna: string[] };
    const initialObjects = report.results[0]!.objects;

    for (const [i, run] of runs.entries()) {
      const outcome = report.results[i]!;
      const unwrapped = pythonKit.unwrap(outcome.output, run.wrapped);
      expect(unwrapped.error, `${run.name} must run`).toBeUndefined();
      if (run.name in BLENDER_READS) {
        expect(readOnly("blender", "python", run.code), run.name).toBe(true);
        expect(outcome, run.name).toMatchObject({ unchanged: true, dirty: false, objects: initialObjects });
      } else {
        expect(readOnly("blender", "python", run.code), run.name).toBe(false);
        expect(outcome.unchanged, `${run.name} must be seen to change the file`).toBe(false);
      }
    }

    // Grounding: an allowed method that shares its name with an RNA function is a reviewed read.
    const rna = new Set(report.rna);
    // Sequence.split and ID.copy change data: why plain Python's split and copy are not allowed.
    for (const name of ["evaluated_get", "remove", "split", "copy"]) expect(rna.has(name), name).toBe(true);
    const shared = blenderPythonReadOnly.methods.filter((name) => rna.has(name));
    expect(shared).toContain("select_get");
    expect(shared.filter((name) => !blenderRnaReads.includes(name))).toEqual([]);
  }, 120_000);
});
