// What a capture takes (`POST /api/capture`, the agent's and MCP's `capture`, `run_script`'s
// `capture`, the CLI) and the limits every picture is made within.
import { z } from "zod";

/** The longest side of a picture when the caller does not say (px). */
export const DEFAULT_WIDTH = 1024;
/** Never larger: past this the model's side scales it down anyway, at full token price. */
export const MAX_WIDTH = 1568;
export const MIN_WIDTH = 64;
/** Frames × views in one capture: one contact sheet stays legible. */
export const MAX_PICTURES = 16;

export const CaptureOptions = z.strictObject({
  frames: z
    .array(z.number().int().min(-1_048_574).max(1_048_574))
    .min(1)
    .max(MAX_PICTURES)
    .optional()
    .describe("frames to show, each one picture of a contact sheet (default: the current frame)"),
  views: z
    .array(z.string().min(1).max(64))
    .min(1)
    .max(MAX_PICTURES)
    .optional()
    .describe("named views, e.g. camera, front, side, top, persp (Blender)"),
  range: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe("what to show of a sheet: a cell range such as A1:D10"),
  width: z
    .number()
    .int()
    .min(MIN_WIDTH)
    .optional()
    .describe(`longest side in px (default ${DEFAULT_WIDTH}; at most ${MAX_WIDTH})`),
});
export type CaptureOptions = z.infer<typeof CaptureOptions>;

export const CaptureRequest = CaptureOptions.extend({
  app: z.string().min(1).max(64).optional(),
  host: z.string().min(1).max(128).optional(),
});
export type CaptureRequest = z.infer<typeof CaptureRequest>;

/** The width a capture is made at, and what to say when the asked one was over the cap. */
export function effectiveWidth(asked: number | undefined): { width: number; capped?: string } {
  if (asked === undefined) return { width: DEFAULT_WIDTH };
  if (asked <= MAX_WIDTH) return { width: asked };
  return {
    width: MAX_WIDTH,
    capped: `width ${asked} is over the ${MAX_WIDTH} px limit: capped at ${MAX_WIDTH}`,
  };
}
