// SolidWorks' capture: adapters/solidworks/capture.py (the active document through its own
// picture export, in the standard orientations), read on first use so that loading the registry
// reads no file.
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";
import type { CaptureScript } from "../types.js";

export const SOLIDWORKS_CAPTURE_PATH = packagePath("adapters", "solidworks", "capture.py");

/** The standard orientations (swStandardViews_e), by the names ShowNamedView2 knows them. */
export const SOLIDWORKS_VIEWS = [
  "front",
  "back",
  "left",
  "right",
  "top",
  "bottom",
  "isometric",
  "trimetric",
  "dimetric",
] as const;

let source: string | undefined;

export const solidworksCapture: CaptureScript = {
  get code() {
    source ??= readFileSync(SOLIDWORKS_CAPTURE_PATH, "utf8");
    return source;
  },
  views: SOLIDWORKS_VIEWS,
};
