// After Effects' capture: adapters/aftereffects/capture.jsx (frames of the active or named comp
// through CompItem.saveFrameToPng), read on first use so that loading the registry reads no file.
// `range` names the comp; `frames` are the comp's frame numbers.
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";
import type { CaptureScript } from "../types.js";

export const AFTER_EFFECTS_CAPTURE_PATH = packagePath("adapters", "aftereffects", "capture.jsx");

let source: string | undefined;

export const afterEffectsCapture: CaptureScript = {
  get code() {
    source ??= readFileSync(AFTER_EFFECTS_CAPTURE_PATH, "utf8");
    return source;
  },
  frames: true,
  range: true,
};
