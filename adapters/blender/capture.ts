// Blender's capture: adapters/blender/capture.py, read on first use so that loading the
// registry reads no file. Headless: Workbench renders from the scene camera or a framing
// camera; in the UI, the 3D viewport drawn off-screen (see the script's header).
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";
import type { CaptureScript } from "../types.js";

export const BLENDER_CAPTURE_PATH = packagePath("adapters", "blender", "capture.py");

/** `viewport` is the UI's 3D viewport as the person sees it; the others are renders. */
export const BLENDER_VIEWS = ["camera", "front", "side", "top", "persp", "viewport"] as const;

let source: string | undefined;

export const blenderCapture: CaptureScript = {
  get code() {
    source ??= readFileSync(BLENDER_CAPTURE_PATH, "utf8");
    return source;
  },
  views: BLENDER_VIEWS,
  frames: true,
};
