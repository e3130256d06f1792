// How the bridge runs a capture and answers for it, against a protocol host standing in for an
// app (no real app: it writes the pictures a test asks for, or fails the way it asks). The real
// apps' captures are tested in capture-blender*.test.ts. Every bad input gets a clear error, the
// host keeps serving, and the capture's private folder is gone afterwards.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Adapter, CaptureParams, LanguageKit } from "../adapters/types.js";
import { SessionPictures } from "../bridge/agent/pictures.js";
import type { CaptureResponse } from "../bridge/capture/response.js";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import { runCli } from "./helpers/cli.js";
import { echoKit } from "./helpers/echo-kit.js";
import { ProtocolHost, type RunAnswer } from "./helpers/protocol-host.js";

/** A kit that hands the host the code and the bound params as one JSON text. */
const paramsKit: LanguageKit = {
  ...echoKit,
  language: "capture-echo",
  wrap: (code, options) => ({
    code: JSON.stringify({ code, params: options?.params ?? null }),
    lineOffset: 0,
  }),
};

const standIn: Adapter = {
  app: "standin",
  displayName: "Stand-in App",
  language: "capture-echo",
  capture: { "capture-echo": { code: "CAPTURE", views: ["front", "top"], frames: true } },
};
const blind: Adapter = { app: "blind", displayName: "Blind App", language: "echo" };

type Behaviour = (params: CaptureParams) => RunAnswer | Promise<RunAnswer>;

/** Writes one solid picture per frame × view, `width` px wide, and lists them. */
const writePictures: Behaviour = async (params) => {
  const labels: string[] = [];
  for (const frame of params.frames ?? [null])
    for (const view of params.views ?? ["front"])
      labels.push(frame === null ? view : `frame ${frame} · ${view}`);
  const pictures = [];
  for (const [index, label] of labels.entries()) {
    const file = `${index}.png`;
    await sharp({
      create: {
        width: params.width,
        height: Math.round(params.width / 2),
        channels: 3,
        background: index % 2 ? { r: 0, g: 0, b: 220 } : { r: 220, g: 0, b: 0 },
      },
    })
      .png()
      .toFile(join(params.dir, file));
    pictures.push({ file, label });
  }
  return { output: JSON.stringify({ pictures, notes: ["a note from the app"] }) };
};

describe("POST /api/capture with a stand-in host", () => {
  let fx: BridgeFixture;
  let host: ProtocolHost;
  let behaviour: Behaviour = writePictures;
  /** The params of every capture the host ran. */
  const seen: CaptureParams[] = [];

  beforeAll(async () => {
    fx = await startBridge({
      kits: new Map([
        [paramsKit.language, paramsKit],
        [echoKit.language, echoKit],
      ]),
      adapters: new Map([
        [standIn.app, standIn],
        [blind.app, blind],
      ]),
    });
    host = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      app: "standin",
      language: "capture-echo",
      onRun: (run) => {
        const { code, params } = JSON.parse(run.code) as { code: string; params: CaptureParams };
        if (code !== "CAPTURE") return { output: JSON.stringify(code) };
        seen.push(params);
        return behaviour(params);
      },
    });
  });
  afterEach(() => {
    behaviour = writePictures;
    seen.length = 0;
  });
  afterAll(async () => {
    host?.close();
    await fx?.close();
  });

  async function capture(
    body: Record<string, unknown>,
  ): Promise<{ status: number; json: CaptureResponse & ErrorBody }> {
    const res = await fx.api("/api/capture", { method: "POST", json: body });
    return { status: res.status, json: (await res.json()) as CaptureResponse & ErrorBody };
  }

  /** The host still runs scripts after whatever went wrong. */
  async function stillServes() {
    expect((await fx.run({ host: host.hostId, code: "hello" })).value).toBe("hello");
  }

  const captureFolders = () => {
    const root = join(fx.dataDir, "captures");
    return existsSync(root) ? readdirSync(root) : [];
  };

  it("answers with one PNG, its size, bytes and tokens, the app's notes, and no folder left behind", async () => {
    const { status, json } = await capture({ app: "standin", width: 400 });
    expect(status).toBe(200);
    expect(json.hostId).toBe(host.hostId);
    expect(json.images).toHaveLength(1);
    const image = json.images[0]!;
    const data = Buffer.from(image.data, "base64");
    const meta = await sharp(data).metadata();
    expect(meta.format).toBe("png");
    expect([meta.width, meta.height]).toEqual([400, 200]);
    expect(image).toMatchObject({ mediaType: "image/png", width: 400, height: 200, label: "front" });
    expect(image.bytes).toBe(data.length);
    expect(image.tokens).toBe(Math.ceil((400 * 200) / 750));
    expect(json.notes).toEqual(["a note from the app"]);
    expect(json.durationMs).toBeGreaterThan(0);
    // The app was asked for no more pixels than the picture keeps, into a folder under the data dir.
    expect(seen[0]!.width).toBe(400);
    expect(seen[0]!.dir.startsWith(join(fx.dataDir, "captures"))).toBe(true);
    expect(captureFolders()).toEqual([]);
  });

  it("binds frames and views as data and tiles them into one labelled sheet", async () => {
    const { status, json } = await capture({ host: host.hostId, frames: [1, 20], views: ["front", "top"] });
    expect(status).toBe(200);
    expect(seen[0]).toMatchObject({ frames: [1, 20], views: ["front", "top"] });
    expect(seen[0]!.width).toBeLessThanOrEqual(512);
    const image = json.images[0]!;
    expect(image.label).toBe("frame 1 · front, frame 1 · top, frame 20 · front, frame 20 · top");
    expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(1024);
  });

  it("caps a width over 1568 and says so", async () => {
    const { status, json } = await capture({ app: "standin", width: 5000 });
    expect(status).toBe(200);
    expect(json.images[0]!.width).toBe(1568);
    expect(json.capped).toEqual({ asked: 5000, width: 1568 });
    expect(json.notes[0]).toBe("width 5000 is over the 1568 px limit: capped at 1568");
  });

  it("refuses what the app cannot show before asking it, naming what it can", async () => {
    const cases: Array<[Record<string, unknown>, number, string, RegExp]> = [
      [
        { views: ["side"] },
        400,
        "bad-capture",
        /unknown view "side" for Stand-in App: use one of front, top/,
      ],
      [{ range: "A1:B2" }, 400, "bad-capture", /Stand-in App captures take no range/],
      [
        { frames: [1, 2, 3, 4, 5, 6, 7, 8, 9], views: ["front", "top"] },
        400,
        "bad-capture",
        /18 pictures \(frames × views\) is more than 16/,
      ],
      [{ width: 10 }, 400, "bad-request", /^width: /],
      [{ frames: [1.5] }, 400, "bad-request", /^frames\.0: /],
      [{ colour: "red" }, 400, "bad-request", /colour/],
      [{ host: "nobody" }, 404, "no-host", /no connected host with id "nobody"/],
    ];
    for (const [body, status, code, message] of cases) {
      const answer = await capture({ app: "standin", ...body });
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.json.error.code).toBe(code);
      expect(answer.json.error.message).toMatch(message);
    }
    expect(seen).toEqual([]);
    await stillServes();
  });

  it("says when the host's app has no capture at all", async () => {
    const other = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      app: "blind",
      language: "echo",
    });
    try {
      const { status, json } = await capture({ host: other.hostId });
      expect(status).toBe(501);
      expect(json.error).toEqual({
        code: "cannot-capture",
        message: `Blind App (host ${other.hostId}) cannot capture pictures yet; apps that can: Stand-in App`,
      });
    } finally {
      other.close();
    }
  });

  it("passes on the app's own refusal as a bad request", async () => {
    behaviour = () => ({
      output: JSON.stringify({ refused: "frame 900 is outside the scene's range 1-250" }),
    });
    const { status, json } = await capture({ app: "standin", frames: [900] });
    expect(status).toBe(400);
    expect(json.error).toEqual({
      code: "capture-refused",
      message: "frame 900 is outside the scene's range 1-250",
    });
    await stillServes();
  });

  it("reports an app that failed, or gave back files it did not write or that are no pictures", async () => {
    const cases: Array<[Behaviour, RegExp]> = [
      [() => ({ fail: "the renderer crashed" }), /could not capture: .*the renderer crashed/],
      [() => ({ output: JSON.stringify({ nothing: true }) }), /gave back no list of pictures/],
      [
        () => ({ output: JSON.stringify({ pictures: [{ file: "../../bridge.json", label: "x" }] }) }),
        /no list of pictures/,
      ],
      [
        () => ({ output: JSON.stringify({ pictures: [{ file: "missing.png", label: "x" }] }) }),
        /named missing.png, which it did not write/,
      ],
      [
        async (params) => {
          const { writeFileSync } = await import("node:fs");
          writeFileSync(join(params.dir, "a.png"), "not a picture");
          return { output: JSON.stringify({ pictures: [{ file: "a.png", label: "x" }] }) };
        },
        /wrote a picture the bridge cannot read/,
      ],
    ];
    for (const [answer, message] of cases) {
      behaviour = answer;
      const { status, json } = await capture({ app: "standin" });
      expect(status).toBe(502);
      expect(json.error.code).toBe("capture-failed");
      expect(json.error.message).toMatch(message);
    }
    expect(captureFolders()).toEqual([]);
    await stillServes();
  });

  it("scriptwright capture writes the PNG, or exits 2 with the reason for a bad request", async () => {
    const out = join(fx.dataDir, "shot.png");
    const done = await runCli([
      "capture",
      "--app",
      "standin",
      "--width",
      "300",
      "--out",
      out,
      "--data-dir",
      fx.dataDir,
    ]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(
      new RegExp(`^${host.hostId}: front — 300×150 PNG, [\\d.]+ (KB|B), ≈60 image tokens`),
    );
    expect(done.stdout).toContain(`written to ${out}`);
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 300, 150]);

    const json = await runCli([
      "capture",
      "--app",
      "standin",
      "--frame",
      "3",
      "--json",
      "--data-dir",
      fx.dataDir,
    ]);
    expect(json.code, json.stderr).toBe(0);
    const body = JSON.parse(json.stdout) as CaptureResponse;
    expect(body.images[0]!.label).toBe("frame 3 · front");

    const bad = await runCli(["capture", "--app", "standin", "--view", "side", "--data-dir", fx.dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown view "side" for Stand-in App: use one of front, top');
    const notANumber = await runCli([
      "capture",
      "--app",
      "standin",
      "--frame",
      "x",
      "--data-dir",
      fx.dataDir,
    ]);
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain('--frame takes a whole number, got "x"');
  });
});

describe("session pictures", () => {
  it("keep base64 out of a stored message and bring it back from the file", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "sw-pictures-"));
    try {
      const pictures = new SessionPictures(join(dir, "s.pictures"));
      const data = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#f00" } })
        .png()
        .toBuffer();
      const message = {
        role: "user" as const,
        content: [
          {
            type: "tool_result" as const,
            tool_use_id: "t1",
            content: [
              { type: "text" as const, text: "picture of …" },
              {
                type: "image" as const,
                source: {
                  type: "base64" as const,
                  media_type: "image/png" as const,
                  data: data.toString("base64"),
                },
              },
            ],
          },
        ],
      };
      const stored = pictures.stored(message);
      const text = JSON.stringify(stored);
      expect(text).not.toContain(data.toString("base64"));
      expect(text).toMatch(/"file":"[a-f0-9]{16}\.png"/);
      expect(pictures.loaded(stored)).toEqual(message);
      // A picture whose file is gone becomes a line saying so, never a broken block.
      rmSync(join(dir, "s.pictures"), { recursive: true });
      const gone = pictures.loaded(stored).content as Array<{
        content: Array<{ type: string; text?: string }>;
      }>;
      expect(gone[0]!.content[1]).toEqual({ type: "text", text: "[a picture that is no longer stored]" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
