// The bridge's half of a capture, with real sharp: what an app wrote becomes one PNG no larger
// than asked, several become a labelled contact sheet, raw pixels are read the right way up.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composePicture, estimateImageTokens, sheetGrid, tileSide } from "../bridge/capture/picture.js";
import { effectiveWidth, MAX_WIDTH } from "../bridge/capture/request.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sw-picture-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Rgb = [number, number, number];

async function solid(name: string, width: number, height: number, colour: Rgb): Promise<string> {
  const path = join(dir, name);
  await sharp({
    create: { width, height, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } },
  })
    .png()
    .toFile(path);
  return path;
}

async function pixels(data: Buffer) {
  const { data: raw, info } = await sharp(data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): Rgb => {
    const i = (y * info.width + x) * info.channels;
    return [raw[i]!, raw[i + 1]!, raw[i + 2]!];
  };
  return { at, info };
}

const near = (actual: Rgb, expected: Rgb, tolerance = 12) =>
  actual.every((value, i) => Math.abs(value - expected[i]!) <= tolerance);

describe("composePicture", () => {
  it("scales one picture down to the asked longest side, as a PNG whose size it reports", async () => {
    const path = await solid("big.png", 3000, 1500, [220, 20, 20]);
    const picture = await composePicture([{ path, label: "camera" }], 1024);
    const meta = await sharp(picture.data).metadata();
    expect(meta.format).toBe("png");
    expect([meta.width, meta.height]).toEqual([1024, 512]);
    expect([picture.width, picture.height, picture.mediaType, picture.label]).toEqual([
      1024,
      512,
      "image/png",
      "camera",
    ]);
    expect(near((await pixels(picture.data)).at(500, 250), [220, 20, 20])).toBe(true);
  });

  it("never enlarges a picture smaller than asked", async () => {
    const path = await solid("small.png", 300, 200, [10, 200, 10]);
    const picture = await composePicture([{ path, label: "small" }], 1024);
    expect([picture.width, picture.height]).toEqual([300, 200]);
  });

  it("reads raw pixels top row first", async () => {
    const width = 40;
    const height = 20;
    const raw = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const top = y < height / 2;
        raw.set(top ? [250, 0, 0, 255] : [0, 0, 250, 255], i);
      }
    const path = join(dir, "frame.rgba");
    writeFileSync(path, raw);
    const picture = await composePicture(
      [{ path, label: "viewport", raw: { width, height, channels: 4 } }],
      1024,
    );
    const { at } = await pixels(picture.data);
    expect(near(at(20, 2), [250, 0, 0])).toBe(true);
    expect(near(at(20, 17), [0, 0, 250])).toBe(true);
  });

  it("refuses raw pixels that are not as many as their size says", async () => {
    const path = join(dir, "short.rgba");
    writeFileSync(path, Buffer.alloc(10));
    await expect(
      composePicture([{ path, label: "short", raw: { width: 40, height: 20, channels: 4 } }], 1024),
    ).rejects.toThrow(/10 bytes of raw pixels, not 40×20×4/);
  });

  it("refuses a file that is no picture", async () => {
    const path = join(dir, "not-a-picture.png");
    writeFileSync(path, "hello");
    await expect(composePicture([{ path, label: "x" }], 1024)).rejects.toThrow();
  });

  it("tiles several pictures into one labelled contact sheet within the asked size", async () => {
    const red = await solid("red.png", 480, 270, [230, 0, 0]);
    const green = await solid("green.png", 480, 270, [0, 210, 0]);
    const sheet = await composePicture(
      [
        { path: red, label: "frame 1" },
        { path: green, label: "frame 20" },
      ],
      800,
    );
    expect(sheet.label).toBe("frame 1, frame 20");
    expect(Math.max(sheet.width, sheet.height)).toBeLessThanOrEqual(800);
    expect(sheet.width).toBeGreaterThan(sheet.height);
    const { at } = await pixels(sheet.data);
    const third = Math.round(sheet.width / 4);
    const tileMiddle = Math.round(sheet.height * 0.4);
    expect(near(at(third, tileMiddle), [230, 0, 0])).toBe(true);
    expect(near(at(sheet.width - third, tileMiddle), [0, 210, 0])).toBe(true);
    // Each label is drawn (light text) in the band under its tile.
    const lightInBand = (from: number, to: number) => {
      let count = 0;
      for (let x = from; x < to; x++)
        for (let y = Math.round(sheet.height * 0.8); y < sheet.height; y++) if (at(x, y)[0] > 180) count++;
      return count;
    };
    expect(lightInBand(0, sheet.width / 2)).toBeGreaterThan(20);
    expect(lightInBand(sheet.width / 2, sheet.width)).toBeGreaterThan(20);
  });

  it("keeps sixteen pictures on one sheet no larger than asked", async () => {
    const path = await solid("tile.png", 640, 360, [90, 90, 200]);
    const sources = Array.from({ length: 16 }, (_, i) => ({ path, label: `frame ${i + 1}` }));
    const sheet = await composePicture(sources, 1024);
    expect(Math.max(sheet.width, sheet.height)).toBeLessThanOrEqual(1024);
    expect(sheetGrid(16)).toEqual({ cols: 4, rows: 4 });
  });

  it("uses 256 colours when that is much smaller than a full-colour PNG (noise, gradients)", async () => {
    const width = 900;
    const height = 500;
    // A grey gradient with a few levels of noise, like a dithered viewport background.
    const noisy = Buffer.alloc(width * height * 3);
    let seed = 7;
    for (let p = 0; p < width * height; p++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      noisy.fill(40 + Math.round((p % width) / 20) + (seed >>> 29), p * 3, p * 3 + 3);
    }
    const path = join(dir, "noisy.png");
    await sharp(noisy, { raw: { width, height, channels: 3 } })
      .png()
      .toFile(path);
    const fullColour = await sharp(path).png({ compressionLevel: 6 }).toBuffer();
    expect(fullColour.length).toBeGreaterThan(200_000);
    const picture = await composePicture([{ path, label: "noisy" }], 1024);
    expect(picture.data.length).toBeLessThan(fullColour.length * 0.75);
    expect((await sharp(picture.data).metadata()).format).toBe("png");
  });
});

describe("sizes and costs", () => {
  it("estimates image tokens as width × height / 750", () => {
    expect(estimateImageTokens(1024, 576)).toBe(787);
    expect(estimateImageTokens(750, 1)).toBe(1);
  });

  it("caps a width over the limit and says so; the default is 1024", () => {
    expect(effectiveWidth(undefined)).toEqual({ width: 1024 });
    expect(effectiveWidth(800)).toEqual({ width: 800 });
    expect(effectiveWidth(5000)).toEqual({
      width: MAX_WIDTH,
      capped: "width 5000 is over the 1568 px limit: capped at 1568",
    });
  });

  it("asks the app for tiles that fit the sheet", () => {
    expect(tileSide(1, 1024)).toBe(1024);
    expect(tileSide(2, 1024)).toBeLessThanOrEqual(512);
    expect(tileSide(4, 1024)).toBeLessThanOrEqual(512);
    expect(tileSide(9, 1024)).toBeLessThanOrEqual(1024 / 3);
  });
});
