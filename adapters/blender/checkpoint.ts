// Blender's checkpoints: the app's own undo step in the UI (each run is one, see the adapter's
// epilogue; hosts there report the "undo" capability), a copy of the .blend headless, where
// Blender keeps no undo history. The scripts are adapters/blender/checkpoint.py, read on first
// use so that loading the registry reads no file, with one call appended per script.
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";
import type { CheckpointSpec } from "../types.js";

export const BLENDER_CHECKPOINT_PATH = packagePath("adapters", "blender", "checkpoint.py");

/** What the UI add-on lists in its hello's capabilities: its runs are undo steps. */
export const UNDO_CAPABILITY = "undo";

let source: string | undefined;
const script = (call: string) => {
  source ??= readFileSync(BLENDER_CHECKPOINT_PATH, "utf8");
  return `${source}\n${call}(params)\n`;
};

export const blenderCheckpoint: CheckpointSpec = {
  undo: {
    capability: UNDO_CAPABILITY,
    get mark() {
      return script("_scriptwright_mark");
    },
    get restore() {
      return script("_scriptwright_undo_to");
    },
  },
  copy: {
    extension: ".blend",
    get save() {
      return script("_scriptwright_save_copy");
    },
    get restore() {
      return script("_scriptwright_restore_copy");
    },
  },
};
