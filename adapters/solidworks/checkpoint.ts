// SolidWorks' checkpoints: a copy of the active part, saved and reopened by
// adapters/solidworks/checkpoint.py (read on first use, one call appended per script).
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";
import type { CheckpointSpec } from "../types.js";

export const SOLIDWORKS_CHECKPOINT_PATH = packagePath("adapters", "solidworks", "checkpoint.py");

let source: string | undefined;
const script = (call: string) => {
  source ??= readFileSync(SOLIDWORKS_CHECKPOINT_PATH, "utf8");
  return `${source}\n${call}(params)\n`;
};

export const solidworksCheckpoint: CheckpointSpec = {
  copy: {
    extension: ".sldprt",
    get save() {
      return script("_scriptwright_sw_save_copy");
    },
    get restore() {
      return script("_scriptwright_sw_restore_copy");
    },
  },
};
