// After Effects' capture and checkpoints against the After Effects simulator
// (test/helpers/aftereffects-simulator.ts): the ExtendScript the adapter sends really runs there,
// wrapped by the real ExtendScript kit, through a real bridge (POST /api/capture, /api/run,
// /api/hosts/:id/undo) whose host evaluates each run as the CEP panel would. After Effects
// cannot run here: this proves the scripts' shape and the bridge's side, not the app.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { afterEffectsCapture } from "../adapters/aftereffects/capture.js";
import { afterEffectsAdapter } from "../adapters/aftereffects/index.js";
import { extendscriptKit } from "../adapters/extendscript/kit/index.js";
import type { CaptureValue } from "../adapters/types.js";
import {
  type AfterEffectsSimulator,
  afterEffectsSimulator,
  SimulatedCompItem,
} from "./helpers/aftereffects-simulator.js";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import { ProtocolHost } from "./helpers/protocol-host.js";

const RED: [number, number, number] = [1, 0, 0];
const BLUE: [number, number, number] = [0, 0, 1];

/** A 10 s comp at 24 fps: red for its first 1 s, blue after; a second, empty comp. */
function sampleComps(): SimulatedCompItem[] {
  const main = new SimulatedCompItem("Main", 320, 180, 24, 10);
  main.layerList.push(
    { name: "Red", color: RED, inPoint: 0, outPoint: 1 },
    { name: "Blue", color: BLUE, inPoint: 1, outPoint: 10 },
  );
  return [main, new SimulatedCompItem("Titles", 200, 100, 30, 2)];
}

/** The capture script run as the bridge sends it: wrapped with params as data, in the simulator. */
function captureIn(sim: AfterEffectsSimulator, params: Record<string, unknown>) {
  // ES3 as the kit's preflight checks it: the bridge refuses to send anything else.
  expect(extendscriptKit.preflight(afterEffectsCapture.code)).toEqual([]);
  const wrapped = extendscriptKit.wrap(afterEffectsCapture.code, { params });
  return extendscriptKit.unwrap(sim.evalScript(wrapped.code), wrapped);
}

async function meanColour(
  data: Buffer,
  region?: { left: number; top: number; width: number; height: number },
) {
  // stats() reads the input, not the extract: cut the region out first.
  const part = region ? await sharp(data).extract(region).png().toBuffer() : data;
  const { channels } = await sharp(part).stats();
  return channels.slice(0, 3).map((c) => Math.round(c.mean));
}

describe("After Effects capture script (simulator)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "sw-ae-capture-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("exports each asked frame of the active comp with saveFrameToPng and waits for the files", async () => {
    const sim = afterEffectsSimulator({ comps: sampleComps() });
    const result = captureIn(sim, { frames: [0, 30], width: 512, dir });
    expect(result.error).toBeUndefined();
    const value = result.value as Extract<CaptureValue, { pictures: unknown }>;
    expect(value.pictures).toEqual([
      { file: "frame-0.png", label: "frame 0" },
      { file: "frame-1.png", label: "frame 30" },
    ]);
    expect(sim.exports.map((e) => [e.comp, e.time])).toEqual([
      ["Main", 0],
      ["Main", 30 / 24],
    ]);
    expect(readdirSync(dir).sort()).toEqual(["frame-0.png", "frame-1.png"]);
    const [red, blue] = await Promise.all(
      ["frame-0.png", "frame-1.png"].map(async (f) => meanColour(await sharp(join(dir, f)).toBuffer())),
    );
    expect(red).toEqual([255, 0, 0]);
    expect(blue).toEqual([0, 0, 255]);
  });

  it("captures the comp `range` names, at its current time when no frame is asked, counting from its start frame", () => {
    const comps = sampleComps();
    comps[1]!.time = 0.5;
    comps[1]!.displayStartTime = 1;
    const sim = afterEffectsSimulator({ comps });
    const result = captureIn(sim, { range: "Titles", width: 512, dir });
    expect(result.value).toEqual({
      pictures: [{ file: "frame-0.png", label: "frame 45" }],
      notes: ['frame 45 of "Titles" (its current time)'],
    });
    expect(sim.exports).toEqual([{ comp: "Titles", time: 0.5, path: join(dir, "frame-0.png") }]);
  });

  it("refuses a frame outside the comp, a comp that does not exist, and no active comp, exporting nothing", () => {
    const comps = sampleComps();
    const sim = afterEffectsSimulator({ comps });
    expect(captureIn(sim, { frames: [0, 240], width: 512, dir }).value).toEqual({
      refused: 'frame 240 is outside the comp "Main": its frames are 0-239 (24 fps)',
    });
    expect(captureIn(sim, { frames: [-1], width: 512, dir }).value).toMatchObject({
      refused: expect.stringMatching(/^frame -1 is outside/),
    });
    expect(captureIn(sim, { range: "Nope", width: 512, dir }).value).toEqual({
      refused: 'no comp named "Nope": comps in the project: "Main", "Titles"',
    });
    sim.app.project.activeItem = null;
    expect(captureIn(sim, { width: 512, dir }).value).toEqual({
      refused:
        'no comp is active: open one in the Timeline, or name one with range (comps in the project: "Main", "Titles")',
    });
    expect(sim.exports).toEqual([]);
  });
});

describe("After Effects through the bridge (simulator)", () => {
  let fx: BridgeFixture;
  let host: ProtocolHost;
  let sim: AfterEffectsSimulator;

  beforeAll(async () => {
    fx = await startBridge({
      kits: new Map([[extendscriptKit.language, extendscriptKit]]),
      adapters: new Map([[afterEffectsAdapter.app, afterEffectsAdapter]]),
    });
    host = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      app: "aftereffects",
      language: "extendscript",
      name: "ae-simulator",
      // The CEP panel's evalScript: the wrapped code runs in the simulated app, its string comes back.
      onRun: (run) => {
        try {
          return { output: sim.evalScript(run.code) };
        } catch (error) {
          return { fail: (error as Error).message };
        }
      },
    });
  });
  beforeEach(() => {
    sim = afterEffectsSimulator({ comps: sampleComps(), file: "/projects/promo.aep" });
    const kept = fx.bridge.checkpoints.store;
    for (const checkpoint of [...kept.list(host.hostId)]) kept.discard(checkpoint);
  });
  afterAll(async () => {
    host?.close();
    await fx?.close();
  });

  const capture = async (body: Record<string, unknown>) => {
    const res = await fx.api("/api/capture", { method: "POST", json: { host: host.hostId, ...body } });
    return {
      status: res.status,
      json: (await res.json()) as { images: Array<Record<string, unknown>> } & ErrorBody,
    };
  };
  const undo = async () => {
    const res = await fx.api(`/api/hosts/${host.hostId}/undo`, { method: "POST", json: {} });
    return {
      status: res.status,
      json: (await res.json()) as { message: string; restored: { kind: string } } & ErrorBody,
    };
  };

  it("turns two exported frames into one labelled contact sheet whose halves differ", async () => {
    const { status, json } = await capture({ frames: [0, 48], width: 640 });
    expect(status, JSON.stringify(json)).toBe(200);
    const image = json.images[0]!;
    expect(image.label).toBe("frame 0, frame 48");
    const data = Buffer.from(image.data as string, "base64");
    const meta = await sharp(data).metadata();
    expect(meta.format).toBe("png");
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(640);
    // The simulator was asked for what the sheet keeps: each frame at most half the width.
    const left = await meanColour(data, { left: 20, top: 20, width: 40, height: 40 });
    const right = await meanColour(data, { left: meta.width! - 60, top: 20, width: 40, height: 40 });
    expect(left[0]).toBeGreaterThan(200);
    expect(left[2]).toBeLessThan(50);
    expect(right[2]).toBeGreaterThan(200);
    expect(right[0]).toBeLessThan(50);
  });

  it("gives clear errors for a frame outside the comp, a comp that does not exist and views, and keeps serving", async () => {
    const outside = await capture({ frames: [500] });
    expect(outside.status).toBe(400);
    expect(outside.json.error).toEqual({
      code: "capture-refused",
      message: 'frame 500 is outside the comp "Main": its frames are 0-239 (24 fps)',
    });
    const missing = await capture({ range: "Nope" });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toMatch(/^no comp named "Nope"/);
    const views = await capture({ views: ["front"] });
    expect(views.status).toBe(400);
    expect(views.json.error).toEqual({
      code: "bad-capture",
      message: "After Effects captures take no views",
    });
    expect(sim.exports).toEqual([]);
    expect((await capture({})).status).toBe(200);
  });

  it("takes a run back with one Edit > Undo of its undo group, then says there is nothing more", async () => {
    const comp = sim.app.project.items[0]!;
    const run = await fx.run({
      host: host.hostId,
      code: 'var c = app.project.activeItem;\nc.layers.addSolid([0, 1, 0], "Green", 320, 180, 1);\nc.numLayers',
    });
    expect(run).toMatchObject({ outcome: "ok", value: 3, checkpoint: { kind: "undo" } });
    expect(comp.layerList.map((l) => l.name)).toEqual(["Green", "Red", "Blue"]);

    const back = await undo();
    expect(back.status, JSON.stringify(back.json)).toBe(200);
    expect(back.json.restored.kind).toBe("undo");
    expect(back.json.message).toMatch(/with After Effects's own undo/);
    expect(sim.commands).toEqual([16]);
    expect(comp.layerList.map((l) => l.name)).toEqual(["Red", "Blue"]);

    const again = await undo();
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("nothing-to-undo");
    expect(sim.commands).toEqual([16]);
  });

  it("refuses to undo when another project is open, undoing nothing", async () => {
    const run = await fx.run({
      host: host.hostId,
      code: 'app.project.activeItem.layers.addSolid([0, 1, 0], "Green", 320, 180, 1);\n1',
    });
    expect(run.outcome).toBe("ok");
    sim.app.project.file = { fsName: "/projects/other.aep" };
    const back = await undo();
    expect(back.status).toBe(409);
    expect(back.json.error).toMatchObject({ code: "undo-refused" });
    expect(back.json.error.message).toMatch(
      /^the open project is \/projects\/other\.aep, not \/projects\/promo\.aep/,
    );
    expect(sim.commands).toEqual([]);
    expect(sim.app.project.items[0]!.numLayers).toBe(3);
  });
});
