// Premiere's captures against the Premiere simulator (test/helpers/premiere-capture-simulator.ts):
// the UXP capture runs as the plugin runs code (`await new Function(code)()`, wrapped by the real
// uxp-js kit), the ExtendScript one through the QE DOM in node:vm (wrapped by the real
// ExtendScript kit), and both through a real bridge (POST /api/capture). Premiere cannot run
// here: this proves the scripts' shape and the bridge's side, not the app.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { extendscriptKit } from "../adapters/extendscript/kit/index.js";
import { premiereQeCapture, premiereUxpCapture } from "../adapters/premiere/capture.js";
import { premiereAdapter } from "../adapters/premiere/index.js";
import { uxpKit } from "../adapters/uxp-js/index.js";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import {
  premiereQeCaptureSimulator,
  premiereUxpCaptureSimulator,
  SimulatedPrSequence,
} from "./helpers/premiere-capture-simulator.js";
import { ProtocolHost } from "./helpers/protocol-host.js";

/** 10 s at 25 fps: green for its first second, magenta after. */
const sample = () =>
  new SimulatedPrSequence("Seq 1", 25, 250, [
    { color: [0, 1, 0], start: 0, end: 25 },
    { color: [1, 0, 1], start: 25, end: 250 },
  ]);

async function meanColour(input: string | Buffer) {
  const { channels } = await sharp(input).stats();
  return channels.slice(0, 3).map((c) => Math.round(c.mean));
}

describe("Premiere capture scripts (simulator)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "sw-pr-capture-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const uxp = async (
    sequence: SimulatedPrSequence | null,
    params: Record<string, unknown>,
    fileAccess?: boolean,
  ) => {
    expect(uxpKit.preflight(premiereUxpCapture.code)).toEqual([]);
    const sim = premiereUxpCaptureSimulator(sequence, { fileAccess });
    const wrapped = uxpKit.wrap(premiereUxpCapture.code, { params: { dir, width: 320, ...params } });
    return { sim, result: uxpKit.unwrap(await sim.run(wrapped.code), wrapped) };
  };
  const qe = (sequence: SimulatedPrSequence | null, params: Record<string, unknown>) => {
    expect(extendscriptKit.preflight(premiereQeCapture.code)).toEqual([]);
    const sim = premiereQeCaptureSimulator(sequence);
    const wrapped = extendscriptKit.wrap(premiereQeCapture.code, { params: { dir, width: 320, ...params } });
    return { sim, result: extendscriptKit.unwrap(sim.evalScript(wrapped.code), wrapped) };
  };

  it("UXP: exports each frame at the asked width with Exporter.exportSequenceFrame and waits for the files", async () => {
    const { sim, result } = await uxp(sample(), { frames: [0, 100] });
    expect(result.error).toBeUndefined();
    expect(result.value).toEqual({
      pictures: [
        { file: "frame-0.png", label: "frame 0" },
        { file: "frame-1.png", label: "frame 100" },
      ],
      notes: [],
    });
    expect(sim.exports.map((e) => [e.frame, e.width, e.height])).toEqual([
      [0, 320, 180],
      [100, 320, 180],
    ]);
    // Written by the time the script answered, though the exporter resolved before writing.
    expect(readdirSync(dir).sort()).toEqual(["frame-0.png", "frame-1.png"]);
    expect(await meanColour(join(dir, "frame-0.png"))).toEqual([0, 255, 0]);
    expect(await meanColour(join(dir, "frame-1.png"))).toEqual([255, 0, 255]);
  });

  it("UXP: the frame under the playhead by default; refuses frames outside the sequence and no sequence", async () => {
    const sequence = sample();
    sequence.playheadFrame = 40;
    expect((await uxp(sequence, {})).result.value).toMatchObject({
      pictures: [{ label: "frame 40" }],
      notes: ['frame 40 of "Seq 1" (under the playhead)'],
    });
    const outside = await uxp(sample(), { frames: [3, 250] });
    expect(outside.result.value).toEqual({
      refused: 'frame 250 is outside the sequence "Seq 1": its frames are 0-249',
    });
    expect(outside.sim.exports).toEqual([]);
    expect((await uxp(null, {})).result.value).toEqual({
      refused: "no sequence is active: open one in the Timeline",
    });
  });

  it("UXP: without file access it does not wait 30 s: it names the files and says why", async () => {
    const { sim, result } = await uxp(sample(), { frames: [5] }, false);
    expect(result.value).toEqual({
      pictures: [{ file: "frame-0.png", label: "frame 5" }],
      notes: [
        `this plugin cannot read the capture folder (Permission denied: ${dir}/frame-0.png.png), so it did not wait for Premiere to write the frames`,
      ],
    });
    expect(sim.exports).toHaveLength(1);
    await sim.settled();
  });

  it("ExtendScript: exports through QE at the playhead's timecode, waits for <name>.png, puts the playhead back", async () => {
    const sequence = sample();
    sequence.playheadFrame = 7;
    const { sim, result } = qe(sequence, { frames: [10, 30] });
    expect(result.error).toBeUndefined();
    expect(result.value).toEqual({
      pictures: [
        { file: "frame-0.png", label: "frame 10" },
        { file: "frame-1.png", label: "frame 30" },
      ],
      notes: [],
    });
    expect(sim.positions).toEqual([10, 30, 7]);
    expect(await meanColour(join(dir, "frame-1.png"))).toEqual([255, 0, 255]);
    expect(qe(sample(), { frames: [-1] }).result.value).toEqual({
      refused: 'frame -1 is outside the sequence "Seq 1": its frames are 0-249',
    });
    expect(qe(null, {}).result.value).toEqual({ refused: "no sequence is active: open one in the Timeline" });
  });
});

describe("Premiere through the bridge (simulator)", () => {
  let fx: BridgeFixture;
  const hosts: ProtocolHost[] = [];
  let uxpHost: ProtocolHost;
  let qeHost: ProtocolHost;

  beforeAll(async () => {
    fx = await startBridge({
      kits: new Map([
        [uxpKit.language, uxpKit],
        [extendscriptKit.language, extendscriptKit],
      ]),
      adapters: new Map([[premiereAdapter.app, premiereAdapter]]),
    });
    uxpHost = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      app: "premiere",
      language: "uxp-js",
      name: "premiere-uxp-simulator",
      onRun: async (run) => ({ output: await premiereUxpCaptureSimulator(sample()).run(run.code) }),
    });
    qeHost = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      app: "premiere",
      language: "extendscript",
      name: "premiere-cep-simulator",
      onRun: (run) => ({ output: premiereQeCaptureSimulator(sample()).evalScript(run.code) }),
    });
    hosts.push(uxpHost, qeHost);
  });
  afterAll(async () => {
    for (const host of hosts) host.close();
    await fx?.close();
  });

  const capture = async (body: Record<string, unknown>) => {
    const res = await fx.api("/api/capture", { method: "POST", json: body });
    return {
      status: res.status,
      json: (await res.json()) as { images: Array<Record<string, unknown>> } & ErrorBody,
    };
  };

  for (const which of ["uxp", "qe"] as const) {
    it(`${which}: two frames become one labelled contact sheet whose halves differ; bad frames are refused`, async () => {
      const host = which === "uxp" ? uxpHost : qeHost;
      const { status, json } = await capture({ host: host.hostId, frames: [0, 200], width: 500 });
      expect(status, JSON.stringify(json)).toBe(200);
      const image = json.images[0]!;
      expect(image.label).toBe("frame 0, frame 200");
      const data = Buffer.from(image.data as string, "base64");
      const meta = await sharp(data).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(500);
      const left = await sharp(data).extract({ left: 20, top: 20, width: 20, height: 20 }).png().toBuffer();
      const right = await sharp(data)
        .extract({ left: meta.width! - 40, top: 20, width: 20, height: 20 })
        .png()
        .toBuffer();
      expect(await meanColour(left)).toEqual([0, 255, 0]);
      expect(await meanColour(right)).toEqual([255, 0, 255]);

      const outside = await capture({ host: host.hostId, frames: [900] });
      expect(outside.status).toBe(400);
      expect(outside.json.error).toEqual({
        code: "capture-refused",
        message: 'frame 900 is outside the sequence "Seq 1": its frames are 0-249',
      });
      const views = await capture({ host: host.hostId, views: ["front"] });
      expect(views.json.error).toEqual({
        code: "bad-capture",
        message: "Premiere Pro captures take no views",
      });
      expect((await capture({ host: host.hostId })).status).toBe(200);
    });
  }

  it("says that Premiere's runs cannot be taken back: it has no undo a script can drive", async () => {
    const res = await fx.api(`/api/hosts/${uxpHost.hostId}/undo`, { method: "POST", json: {} });
    expect(res.status).toBe(501);
    expect(((await res.json()) as ErrorBody).error).toEqual({
      code: "no-checkpoints",
      message:
        `Premiere Pro keeps no checkpoints, so runs on ${uxpHost.hostId} cannot be taken back here; ` +
        "in Premiere, Edit › Undo takes back a UXP run that edited through edit() or executeTransaction: each is one undo step, named for it",
    });
  });
});
