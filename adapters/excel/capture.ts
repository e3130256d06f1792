// Excel's capture: adapters/excel/capture.bas (a range or a chart through Excel's own picture
// export), read on first use so that loading the registry reads no file. `range` is
// "Sheet1!A1:D10", a range of the active sheet, or a chart's name.
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";
import type { CaptureScript } from "../types.js";

export const EXCEL_CAPTURE_PATH = packagePath("adapters", "excel", "capture.bas");

let source: string | undefined;

export const excelCapture: CaptureScript = {
  get code() {
    source ??= readFileSync(EXCEL_CAPTURE_PATH, "utf8");
    return source;
  },
  range: true,
};
