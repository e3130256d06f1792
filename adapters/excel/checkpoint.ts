// Excel's checkpoints: a copy of the active workbook (SaveCopyAs), put back sheet by sheet, by
// adapters/excel/checkpoint.bas (read on first use), with a Main appended per script.
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";
import type { CheckpointSpec } from "../types.js";

export const EXCEL_CHECKPOINT_PATH = packagePath("adapters", "excel", "checkpoint.bas");

let source: string | undefined;
const script = (call: string) => {
  source ??= readFileSync(EXCEL_CHECKPOINT_PATH, "utf8");
  return `${source}\nFunction Main()\n    Main = ${call}()\nEnd Function\n`;
};

export const excelCheckpoint: CheckpointSpec = {
  copy: {
    // The bridge's name for the file; the script names its staged copy for the workbook's own format.
    extension: ".xlcopy",
    get save() {
      return script("SaveCheckpoint");
    },
    get restore() {
      return script("RestoreCheckpoint");
    },
  },
};
