// SolidWorks' capture and checkpoints through the real Windows COM runner (python3, the Python
// kit's wrapping) and a real bridge, with pywin32 replaced by the COM simulator
// (test/simulators/com_simulator): the adapter's Python really runs against a fake SldWorks whose
// picture export writes one colour per orientation and whose .sldprt copies hold the document as
// JSON. SolidWorks cannot run here: none of this shows that SolidWorks works.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pythonKit } from "../adapters/python/index.js";
import { solidworksAdapter } from "../adapters/solidworks/index.js";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import {
  type ComRunnerSimulator,
  type JournalEntry,
  startComRunner,
  waitForHost,
} from "./helpers/com-runner-simulator.js";

const events = (entries: JournalEntry[], name: string) => entries.filter((e) => e.event === name);

async function meanColour(
  data: Buffer,
  region: { left: number; top: number; width: number; height: number },
) {
  const part = await sharp(data).extract(region).png().toBuffer();
  const { channels } = await sharp(part).stats();
  return channels.slice(0, 3).map((c) => Math.round(c.mean));
}

describe("SolidWorks capture and undo through the COM runner (simulator)", () => {
  let fx: BridgeFixture;
  let runner: ComRunnerSimulator;
  let hostId: string;
  let work: string;
  let part: Record<string, unknown>;

  const state = (activeDoc: unknown) => ({ solidworks: { running: true, revision: "32.1.0", activeDoc } });

  beforeAll(async () => {
    fx = await startBridge({
      kits: new Map([["python", pythonKit]]),
      adapters: new Map([[solidworksAdapter.app, solidworksAdapter]]),
    });
    work = mkdtempSync(join(tmpdir(), "sw-solidworks-"));
    part = { title: "Bracket", path: join(work, "Bracket.SLDPRT"), type: 1, features: [] };
    runner = startComRunner({ fixture: fx, app: "solidworks", state: state(part), name: "sw-capture-sim" });
    hostId = await waitForHost(fx, runner, "sw-capture-sim");
  });
  beforeEach(() => {
    // A fresh part for each test (a changed spec stands for the person opening another document).
    part = { ...part, features: [{ name: `Boss-${Date.now()}`, type: "Extrusion" }] };
    runner.setState(state(part));
    const kept = fx.bridge.checkpoints.store;
    for (const checkpoint of [...kept.list(hostId)]) kept.discard(checkpoint);
  });
  afterEach(() => rmSync(join(work, "Bracket (before run).sldprt"), { force: true }));
  afterAll(async () => {
    await runner?.close();
    await fx?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const capture = async (body: Record<string, unknown>) => {
    const res = await fx.api("/api/capture", { method: "POST", json: { host: hostId, ...body } });
    return {
      status: res.status,
      json: (await res.json()) as { images: Array<Record<string, unknown>> } & ErrorBody,
    };
  };
  const undo = async () => {
    const res = await fx.api(`/api/hosts/${hostId}/undo`, { method: "POST", json: {} });
    return {
      status: res.status,
      json: (await res.json()) as { message: string; notes: string[] } & ErrorBody,
    };
  };
  const properties = async () =>
    (await fx.run({ host: hostId, code: 'swApp.ActiveDoc.Extension.CustomPropertyManager("").GetNames()' }))
      .value;

  it("shows two named orientations shaded, as one labelled sheet, and puts the view back", async () => {
    const since = runner.mark();
    const { status, json } = await capture({ views: ["front", "top"], width: 600 });
    expect(status, JSON.stringify(json)).toBe(200);
    const image = json.images[0]!;
    expect(image.label).toBe("front, top");
    const data = Buffer.from(image.data as string, "base64");
    const meta = await sharp(data).metadata();
    expect(meta.format).toBe("png");
    // front is red, top cyan in the simulator: shaded, so coloured.
    expect(await meanColour(data, { left: 20, top: 20, width: 30, height: 30 })).toEqual([220, 0, 0]);
    expect(await meanColour(data, { left: meta.width! - 50, top: 20, width: 30, height: 30 })).toEqual([
      0, 200, 200,
    ]);
    const calls = since();
    expect(events(calls, "ModelDoc2.ShowNamedView2").map((e) => e.id)).toEqual([1, 5]);
    expect(
      events(calls, "ModelDocExtension.SaveAs").map((e) => [e.orientation, e.display, e.options]),
    ).toEqual([
      [1, 5, 3],
      [5, 5, 3],
    ]);
    // Display mode put back to what the person had (hidden lines greyed).
    expect(events(calls, "ModelView.DisplayMode").map((e) => e.value)).toEqual([5, 3]);
  });

  it("gives clear errors for an unknown view, a drawing's views and no document, and keeps serving", async () => {
    const unknown = await capture({ views: ["sideways"] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toBe(
      'unknown view "sideways" for SolidWorks: use one of front, back, left, right, top, bottom, isometric, trimetric, dimetric',
    );
    runner.setState(state({ title: "Sheet", path: "", type: 3, features: [] }));
    const drawing = await capture({ views: ["front"] });
    expect(drawing.status).toBe(400);
    expect(drawing.json.error).toEqual({
      code: "capture-refused",
      message: "Sheet is a drawing, which has no model orientations: capture it without views",
    });
    expect((await capture({})).status).toBe(200);
    runner.setState(state(null));
    const none = await capture({});
    expect(none.status).toBe(400);
    expect(none.json.error.message).toBe("SolidWorks has no document open: open a part, assembly or drawing");
  });

  it("takes a run back from a copy of the part, without touching the part's own file", async () => {
    const run = await fx.run({
      host: hostId,
      code: 'swApp.ActiveDoc.Extension.CustomPropertyManager("").Add3("Material", 30, "Steel", 2)',
    });
    expect(run).toMatchObject({ outcome: "ok", checkpoint: { kind: "copy" } });
    // Read through the journal: a run that reads would keep a checkpoint of its own (no read-only list).
    expect(events(runner.journal(), "CustomPropertyManager.Add3").at(-1)).toMatchObject({ name: "Material" });

    const back = await undo();
    expect(back.status, JSON.stringify(back.json)).toBe(200);
    const reopened = join(work, "Bracket (before run).sldprt");
    expect(back.json.notes).toEqual([
      `the part before the run is open as ${reopened}; Save As ${part.path} to put it back in its own file`,
    ]);
    expect(existsSync(part.path as string)).toBe(false);
    const again = await undo();
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("nothing-to-undo");
    expect(await properties()).toBeNull();
  });

  it("refuses to restore over another document, and keeps no copy of an assembly", async () => {
    await fx.run({
      host: hostId,
      code: 'swApp.ActiveDoc.Extension.CustomPropertyManager("").Add3("A", 30, "1", 2)',
    });
    runner.setState(state({ title: "Other", path: join(work, "Other.SLDPRT"), type: 1, features: [] }));
    const refused = await undo();
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("undo-refused");
    expect(refused.json.error.message).toMatch(
      /^the active document is .*Other\.SLDPRT, not .*Bracket\.SLDPRT/,
    );

    runner.setState(state({ title: "Frame", path: join(work, "Frame.SLDASM"), type: 2, features: [] }));
    const run = await fx.run({ host: hostId, code: "1" });
    expect(run.outcome).toBe("ok");
    expect((run as unknown as { notice: string }).notice).toMatch(
      /no checkpoint was kept before this run \(.*a copy of an assembly would not hold the parts it references/,
    );
  });
});
