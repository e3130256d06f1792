// LibreOffice's checkpoints: a copy of the document (Flat ODF, fast to write), kept and put back
// by the runner's session (panels/libreoffice/checkpoints.py), in Python for VBA hosts too.
// A copy rather than LibreOffice's undo: it puts back everything the document holds (sheets,
// cells, formats, charts, names), whatever the script did through VBA or UNO, and it survives a
// script that replaced the document or a host that was restarted.
import type { CheckpointSpec } from "../types.js";

export const libreOfficeCheckpoint: CheckpointSpec = {
  copy: {
    extension: ".fods",
    save: '_session.save_checkpoint(params["path"])',
    restore: '_session.restore_checkpoint(params["path"], params["state"])',
  },
};
