// LibreOffice Calc's capture: adapters/libreoffice/capture.py (a range drawn by Calc's own
// printing, fills, fonts, borders and charts included), read on first use so that loading the
// registry reads no file. In Python, which every LibreOffice host speaks.
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";
import type { CaptureScript } from "../types.js";

export const LIBREOFFICE_CAPTURE_PATH = packagePath("adapters", "libreoffice", "capture.py");

let source: string | undefined;

export const libreOfficeCapture: CaptureScript = {
  get code() {
    source ??= readFileSync(LIBREOFFICE_CAPTURE_PATH, "utf8");
    return source;
  },
  range: true,
};
