// After Effects' checkpoints: its own undo. Each run is one undo group (the ExtendScript runtime
// opens and closes "Scriptwright" around it), so taking a run back is one Edit > Undo (command
// 16). After Effects cannot list its undo history: the mark notes the open project, and the
// restore refuses when another project is open; edits the person made after the run would be
// undone first, which the bridge's undo message cannot tell. ES3, params bound as data.
import type { CheckpointSpec } from "../types.js";

/** Edit > Undo, as app.executeCommand takes it. */
export const AE_UNDO_COMMAND = 16;

const projectPath = "(app.project && app.project.file ? app.project.file.fsName : null)";

export const afterEffectsCheckpoint: CheckpointSpec = {
  undo: {
    mark: `var __swProject = ${projectPath};\n({ document: __swProject, state: { project: __swProject } });`,
    restore: [
      `var __swProject = ${projectPath};`,
      "var __swWanted = params.state ? params.state.project : null;",
      "var __swAnswer;",
      "if (__swProject !== __swWanted) {",
      '  __swAnswer = { refused: "the open project is " + (__swProject || "an untitled one") + ", not " + (__swWanted || "the untitled one the run changed") };',
      "} else {",
      // The runtime opened an undo group around this script: close it first, or the Undo would
      // act inside it; the runtime's own endUndoGroup afterwards fails quietly.
      "  app.endUndoGroup();",
      `  app.executeCommand(${AE_UNDO_COMMAND});`,
      "  __swAnswer = { document: __swProject };",
      "}",
      "__swAnswer;",
    ].join("\n"),
  },
};
