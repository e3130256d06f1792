// Blender's capture against a real headless Blender: what a script made shows in the picture
// (a red object where it stands), frames of an animation make a labelled sheet whose halves
// differ, named views, the camera missing, bad input with the host serving on, and the scene
// left exactly as it was.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import type { CaptureResponse } from "../bridge/capture/response.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import { decode } from "./helpers/pixels.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

/** Everything a capture could disturb, as Blender reports it. */
const SNAPSHOT = `def __snapshot():
    s = C.scene
    r = s.render
    return {
        "objects": sorted(o.name for o in D.objects), "cameras": len(D.cameras), "images": sorted(i.name for i in D.images),
        "dirty": D.is_dirty, "camera": s.camera.name if s.camera else None, "frame": s.frame_current,
        "engine": r.engine, "res": [r.resolution_x, r.resolution_y, r.resolution_percentage],
        "format": [r.image_settings.file_format, r.image_settings.color_mode, r.image_settings.compression],
        "dither": r.dither_intensity, "aa": s.display.render_aa, "film": r.film_transparent,
        "border": r.use_border, "compositing": r.use_compositing, "sequencer": r.use_sequencer,
        "filepath": r.filepath,
        "red": list(D.objects["Red"].location) if "Red" in D.objects else None,
    }
__snapshot()`;

describe.skipIf(blender.skip)("capture with a real headless Blender", () => {
  let fx: BridgeFixture;

  beforeAll(async () => {
    fx = await startBridge({
      kits: languageKits,
      adapters,
      headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
    });
    await fx.bridge.managed!.waitUntilConnected(60_000);
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
  });

  async function capture(body: Record<string, unknown>) {
    const res = await fx.api("/api/capture", { method: "POST", json: { app: "blender", ...body } });
    return { status: res.status, json: (await res.json()) as CaptureResponse & ErrorBody };
  }
  async function python(code: string): Promise<unknown> {
    const result = await fx.run({ app: "blender", code });
    expect(result.outcome, JSON.stringify(result.error)).toBe("ok");
    return result.value;
  }

  // Halfway between the camera and the origin, where the factory camera looks: the middle of its picture.
  const ADD_RED = [
    "mesh = D.meshes.new('Red')",
    "import bmesh",
    "bm = bmesh.new(); bmesh.ops.create_cube(bm, size=1.6); bm.to_mesh(mesh); bm.free()",
    "red = D.objects.new('Red', mesh)",
    "C.scene.collection.objects.link(red)",
    "red.location = (3.7, -3.5, 2.5)",
    "material = D.materials.new('RedPaint')",
    "material.diffuse_color = (1, 0, 0, 1)",
    "mesh.materials.append(material)",
    "red.name",
  ].join("\n");

  // Each test starts from the factory scene (cube, camera, light) with the red object added.
  beforeEach(async () => {
    await python("bpy.ops.wm.read_homefile(use_factory_startup=True, load_ui=False)\nTrue");
    expect(await python(ADD_RED)).toBe("Red");
  });

  it("shows a red object a script put in front of the camera, in a PNG no larger than asked", async () => {
    const { status, json } = await capture({ width: 640 });
    expect(status, JSON.stringify(json)).toBe(200);
    const image = json.images[0]!;
    expect(image.label).toBe("camera");
    const picture = await decode(image.data);
    expect(picture.meta.format).toBe("png");
    expect(Math.max(picture.info.width, picture.info.height)).toBeLessThanOrEqual(640);
    expect([image.width, image.height]).toEqual([picture.info.width, picture.info.height]);
    // The factory scene's 16:9 camera.
    expect(picture.info.width).toBe(640);
    expect(picture.info.height).toBe(360);
    // Red where the object stands (the middle), none in the corners.
    expect(picture.redShare(0.42, 0.4, 0.58, 0.6)).toBeGreaterThan(0.9);
    expect(picture.redShare(0, 0, 0.15, 0.15)).toBe(0);
    expect(picture.redShare(0.85, 0.85, 1, 1)).toBe(0);
    expect(image.bytes).toBe(Buffer.from(image.data, "base64").length);
    expect(image.tokens).toBe(Math.ceil((640 * 360) / 750));
  });

  it("leaves the scene exactly as it was: settings, frame, camera, objects, images, unsaved state", async () => {
    const before = await python(SNAPSHOT);
    for (const body of [{}, { views: ["front", "top", "persp"] }, { frames: [1, 7] }, { width: 300 }]) {
      const { status } = await capture(body);
      expect(status, JSON.stringify(body)).toBe(200);
      expect(await python(SNAPSHOT), JSON.stringify(body)).toEqual(before);
    }
    expect(before).toMatchObject({
      engine: "BLENDER_EEVEE",
      camera: "Camera",
      frame: 1,
    });
    // Blender keeps locations as 32-bit floats.
    const red = (before as { red: number[] }).red;
    for (const [i, value] of [3.7, -3.5, 2.5].entries()) expect(red[i]).toBeCloseTo(value, 5);
  });

  it("two frames of an animation make one labelled contact sheet whose halves differ", async () => {
    await python(
      [
        "red = D.objects['Red']",
        "red.keyframe_insert('location', frame=1)",
        "red.location = (3.7, 0.5, 2.5)",
        "red.keyframe_insert('location', frame=20)",
        "C.scene.frame_set(1)",
        "C.scene.frame_current",
      ].join("\n"),
    );
    const { status, json } = await capture({ frames: [1, 20], width: 800 });
    expect(status, JSON.stringify(json)).toBe(200);
    const image = json.images[0]!;
    expect(image.label).toBe("frame 1, frame 20");
    const sheet = await decode(image.data);
    expect(Math.max(sheet.info.width, sheet.info.height)).toBeLessThanOrEqual(800);
    expect(sheet.info.width).toBeGreaterThan(sheet.info.height);
    // The object moved between the frames: the halves differ, each showing it somewhere else.
    const left = sheet.redShare(0, 0, 0.5, 0.8);
    const right = sheet.redShare(0.5, 0, 1, 0.8);
    expect(left).toBeGreaterThan(0.02);
    expect(right).toBeGreaterThan(0.01);
    let differing = 0;
    const half = sheet.info.width / 2;
    for (let y = 0; y < sheet.info.height * 0.8; y += 3)
      for (let x = 0; x < half; x += 3) {
        const a = sheet.at(x, y);
        const b = sheet.at(x + half, y);
        if (Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) > 60) differing++;
      }
    expect(differing).toBeGreaterThan(200);
    // Labels: light text in the band under each half.
    const light = (x0: number, x1: number) => {
      let count = 0;
      for (let y = Math.floor(sheet.info.height * 0.82); y < sheet.info.height; y++)
        for (let x = Math.floor(x0 * sheet.info.width); x < x1 * sheet.info.width; x++)
          if (sheet.at(x, y)[0] > 180 && sheet.at(x, y)[1] > 180) count++;
      return count;
    };
    expect(light(0, 0.5)).toBeGreaterThan(20);
    expect(light(0.5, 1)).toBeGreaterThan(20);
    expect(await python("C.scene.frame_current")).toBe(1);
  });

  it("shows named views, each labelled, the object where each view puts it", async () => {
    const { status, json } = await capture({ views: ["front", "top"], frames: [1], width: 800 });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.images[0]!.label).toBe("frame 1 · front, frame 1 · top");
    const sheet = await decode(json.images[0]!.data);
    // Front (from -Y): the object, high up (z 2.5), is in the upper part; top (from +Z): y -3.5 puts it low.
    expect(sheet.redShare(0, 0, 0.5, 0.4)).toBeGreaterThan(0.02);
    expect(sheet.redShare(0.5, 0.45, 1, 0.8)).toBeGreaterThan(0.02);
  });

  it("frames every object when the scene has no camera, and says so", async () => {
    await python("C.scene.camera = None\nTrue");
    const { status, json } = await capture({ width: 400 });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.notes).toContain("the scene has no camera: showing a view that frames every object");
    expect((await decode(json.images[0]!.data)).redShare(0, 0, 1, 1)).toBeGreaterThan(0.01);
    expect(await python("C.scene.camera")).toBe(null);
  });

  it("gives each bad input a clear error and keeps serving; a huge width is capped and said", async () => {
    const cases: Array<[Record<string, unknown>, number, string, string | RegExp]> = [
      [
        { views: ["isometric"] },
        400,
        "bad-capture",
        /unknown view "isometric" for Blender: use one of camera, front, side, top, persp, viewport/,
      ],
      [{ frames: [500] }, 400, "capture-refused", "frame 500 is outside the scene's range 1-250"],
      [{ views: ["viewport"] }, 400, "capture-refused", /a headless Blender has no viewport/],
      [{ range: "A1:B2" }, 400, "bad-capture", "Blender captures take no range"],
    ];
    for (const [body, status, code, message] of cases) {
      const { status: got, json } = await capture(body);
      expect(got, JSON.stringify(body)).toBe(status);
      expect(json.error.code).toBe(code);
      expect(json.error.message).toMatch(message);
      expect(await python("1 + 1")).toBe(2);
    }
    const capped = await capture({ width: 4000 });
    expect(capped.status).toBe(200);
    expect(capped.json.images[0]!.width).toBe(1568);
    expect(capped.json.capped).toEqual({ asked: 4000, width: 1568 });
    expect(capped.json.notes[0]).toMatch(/width 4000 is over the 1568 px limit/);
  });

  it("refuses an empty scene, saying why", async () => {
    await python(
      "for o in list(D.objects):\n    if o.type == 'MESH':\n        D.objects.remove(o)\nlen(D.objects)",
    );
    const { status, json } = await capture({});
    expect(status).toBe(400);
    expect(json.error).toEqual({
      code: "capture-refused",
      message: "the scene is empty: no visible object to show (add one, or unhide it)",
    });
    expect(await python("1 + 1")).toBe(2);
  });
});
