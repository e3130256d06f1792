// Turns the files an app wrote into the one picture a model or a person gets: scaled down to
// the asked longest side, several tiled into a labelled contact sheet, encoded as a palette PNG
// (flat renders and screenshots shrink to a fraction of a full-colour PNG). sharp (libvips) does
// the decoding, scaling, drawing and encoding; it is loaded on the first capture only.
import { readFile } from "node:fs/promises";
import type sharpModule from "sharp";

export interface SourcePicture {
  path: string;
  label: string;
  /** The file holds raw 8-bit pixels, top row first (CapturedPicture.raw). */
  raw?: { width: number; height: number; channels: 3 | 4 };
}

export interface Picture {
  mediaType: "image/png";
  width: number;
  height: number;
  /** What it shows: the one picture's label, or the sheet's labels joined. */
  label: string;
  data: Buffer;
}

/** Roughly what a picture costs a Claude model: width × height / 750 tokens. */
export function estimateImageTokens(width: number, height: number): number {
  return Math.ceil((width * height) / 750);
}

const SHEET_BACKGROUND = { r: 24, g: 24, b: 24 };
const LABEL_COLOUR = "#f2f2f2";
const GAP = 4;
/** Decoding stops past this (a 16k × 16k picture): a runaway file must not take the bridge's memory. */
const MAX_INPUT_PIXELS = 16_384 * 16_384;

type SharpFactory = typeof sharpModule;
let loaded: Promise<SharpFactory> | undefined;

/** sharp and its native libvips load in ~50 ms and ~30 MiB: only when a capture needs them. */
function loadSharp(): Promise<SharpFactory> {
  loaded ??= import("sharp").then((module) => module.default);
  return loaded;
}

/** How many pictures a capture makes per row and column of its contact sheet. */
export function sheetGrid(count: number): { cols: number; rows: number } {
  const cols = Math.ceil(Math.sqrt(count));
  return { cols, rows: Math.ceil(count / cols) };
}

/**
 * The longest side each picture should be rendered at so that a sheet of `count` of them fits
 * in `maxSide` (the app renders no more pixels than the sheet will keep).
 */
export function tileSide(count: number, maxSide: number): number {
  const { cols } = sheetGrid(count);
  return count <= 1 ? maxSide : Math.max(16, Math.floor((maxSide - GAP * (cols + 1)) / cols));
}

/** One picture, or a contact sheet of several, no larger than `maxSide` on its longest side. */
export async function composePicture(sources: readonly SourcePicture[], maxSide: number): Promise<Picture> {
  const sharp = await loadSharp();
  const inputs = await Promise.all(sources.map((source) => readSource(source)));
  const open = (index: number) => {
    const { raw } = sources[index]!;
    return sharp(inputs[index], {
      limitInputPixels: MAX_INPUT_PIXELS,
      failOn: "error",
      ...(raw ? { raw } : {}),
    });
  };
  if (sources.length === 1) {
    const source = sources[0]!;
    const pixels = await open(0)
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true })
      .flatten({ background: SHEET_BACKGROUND })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return encode(sharp, pixels, source.label);
  }
  const sizes = await Promise.all(
    sources.map(async (source, index) => {
      if (source.raw) return { width: source.raw.width, height: source.raw.height };
      const meta = await open(index).metadata();
      return { width: meta.width ?? 1, height: meta.height ?? 1 };
    }),
  );
  const layout = sheetLayout(sizes, maxSide);
  const tiles = await Promise.all(
    sources.map(async (_source, index) => {
      const input = await open(index)
        .rotate()
        .resize({
          width: layout.tile.width,
          height: layout.tile.height,
          fit: "contain",
          background: SHEET_BACKGROUND,
        })
        .flatten({ background: SHEET_BACKGROUND })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const { left, top } = layout.cell(index);
      const { width, height, channels } = input.info;
      return { input: input.data, raw: { width, height, channels }, left, top };
    }),
  );
  const labels = Buffer.from(labelOverlay(sources, layout));
  const pixels = await sharp({
    create: { width: layout.width, height: layout.height, channels: 3, background: SHEET_BACKGROUND },
  })
    .composite([...tiles, { input: labels, left: 0, top: 0 }])
    .flatten({ background: SHEET_BACKGROUND })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return encode(sharp, pixels, sources.map((source) => source.label).join(", "));
}

/** A full-colour PNG is fast to make and small for flat renders. */
const SMALL_ENOUGH = 96 * 1024;

/**
 * The smaller of a full-colour PNG and, when that is large (noise, gradients, photos), a
 * 256-colour one: quantising costs ~0.1 s, worth it only where it saves much.
 */
async function encode(
  sharp: SharpFactory,
  pixels: { data: Buffer; info: { width: number; height: number; channels: number } },
  label: string,
): Promise<Picture> {
  const { width, height, channels } = pixels.info;
  const raw = { raw: { width, height, channels: channels as 3 | 4 } };
  let data = await sharp(pixels.data, raw).png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
  if (data.length > SMALL_ENOUGH) {
    const palette = await sharp(pixels.data, raw)
      .png({ palette: true, effort: 1, compressionLevel: 6, dither: 0.5 })
      .toBuffer();
    if (palette.length < data.length) data = palette;
  }
  return { mediaType: "image/png", width, height, label, data };
}

/** A file's bytes; raw pixels must be exactly as many as their size says. */
async function readSource(source: SourcePicture): Promise<Buffer> {
  const data = await readFile(source.path);
  const raw = source.raw;
  if (raw && data.length !== raw.width * raw.height * raw.channels)
    throw new Error(
      `${source.label}: ${data.length} bytes of raw pixels, not ${raw.width}×${raw.height}×${raw.channels}`,
    );
  return data;
}

interface SheetLayout {
  width: number;
  height: number;
  tile: { width: number; height: number };
  /** Height of the band under each tile that holds its label. */
  band: number;
  font: number;
  cell(index: number): { left: number; top: number };
}

/** Equal tiles (the widest picture's shape), each with a label band, the whole within maxSide. */
function sheetLayout(sizes: readonly { width: number; height: number }[], maxSide: number): SheetLayout {
  const { cols, rows } = sheetGrid(sizes.length);
  const aspect = Math.max(...sizes.map((size) => size.width / size.height));
  const largest = Math.max(...sizes.map((size) => Math.max(size.width, size.height)));
  const shapeFor = (tileWidth: number) => {
    const tileHeight = Math.max(1, Math.round(tileWidth / aspect));
    const font = Math.max(11, Math.min(22, Math.round(tileHeight * 0.07)));
    const band = Math.round(font * 1.6);
    return {
      tileWidth,
      tileHeight,
      font,
      band,
      width: cols * tileWidth + (cols + 1) * GAP,
      height: rows * (tileHeight + band) + (rows + 1) * GAP,
    };
  };
  // Never enlarge: tiles are at most the size the app rendered.
  let tileWidth = Math.min(
    Math.floor((maxSide - (cols + 1) * GAP) / cols),
    Math.round(largest * Math.min(1, aspect)),
  );
  let shape = shapeFor(tileWidth);
  while (Math.max(shape.width, shape.height) > maxSide && tileWidth > 16) {
    tileWidth = Math.max(16, Math.floor(tileWidth * (maxSide / Math.max(shape.width, shape.height))) - 1);
    shape = shapeFor(tileWidth);
  }
  return {
    width: shape.width,
    height: shape.height,
    tile: { width: shape.tileWidth, height: shape.tileHeight },
    band: shape.band,
    font: shape.font,
    cell: (index) => ({
      left: GAP + (index % cols) * (shape.tileWidth + GAP),
      top: GAP + Math.floor(index / cols) * (shape.tileHeight + shape.band + GAP),
    }),
  };
}

/** The labels as SVG text over the whole sheet, one under each tile. */
function labelOverlay(sources: readonly SourcePicture[], layout: SheetLayout): string {
  const texts = sources.map((source, index) => {
    const { left, top } = layout.cell(index);
    const x = left + layout.tile.width / 2;
    const y = top + layout.tile.height + Math.round(layout.band * 0.72);
    return `<text x="${x}" y="${y}">${escapeXml(shorten(source.label, layout))}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">`,
    `<g font-family="DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif" font-size="${layout.font}" fill="${LABEL_COLOUR}" text-anchor="middle">`,
    ...texts,
    "</g></svg>",
  ].join("");
}

/** A label that fits under its tile (about 0.6 em per character). */
function shorten(label: string, layout: SheetLayout): string {
  const fits = Math.max(4, Math.floor(layout.tile.width / (layout.font * 0.6)));
  return label.length <= fits ? label : `${label.slice(0, fits - 1)}…`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
