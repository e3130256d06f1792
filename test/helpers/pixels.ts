// Reading a captured picture's pixels: is there red, and where (the tests' scenes put a red
// object where the camera or the viewport looks).
import sharp from "sharp";

export type Rgb = [number, number, number];
// Shaded faces of a red object are dark red: the hue counts, not the brightness.
export const isRed = ([r, g, b]: Rgb) => r > 70 && r > 2.2 * g && r > 2.2 * b;

/** Decodes a capture's picture (base64) and reads its pixels. */
export async function decode(base64: string) {
  const data = Buffer.from(base64, "base64");
  const meta = await sharp(data).metadata();
  const { data: raw, info } = await sharp(data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): Rgb => {
    const i = (Math.round(y) * info.width + Math.round(x)) * info.channels;
    return [raw[i]!, raw[i + 1]!, raw[i + 2]!];
  };
  /** The share of red pixels in a box given in fractions of the picture. */
  const redShare = (x0: number, y0: number, x1: number, y1: number) => {
    let red = 0;
    let all = 0;
    for (let y = Math.floor(y0 * info.height); y < y1 * info.height; y += 2)
      for (let x = Math.floor(x0 * info.width); x < x1 * info.width; x += 2) {
        all++;
        if (isRed(at(x, y))) red++;
      }
    return red / all;
  };
  return { meta, info, at, redShare, raw };
}
