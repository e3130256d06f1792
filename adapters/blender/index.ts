// Blender hosts Python. Headless instances run the panel script as a blocking loop
// (`blender -b --python panels/blender/scriptwright_blender.py -- --bridge …`), which runs the
// add-on package panels/blender/scriptwright from the repository; people install the zip built
// from that package (addon-package.ts) for the UI.
import { resolve } from "node:path";
import { packagePath } from "../shared/package-path.js";
import {
  type Adapter,
  type HeadlessLaunch,
  type HeadlessLaunchOptions,
  hostArgs,
  hostEnv,
  type WrapOptions,
} from "../types.js";
import { blenderCapture } from "./capture.js";
import { blenderCheckpoint } from "./checkpoint.js";
import { blenderCommonTypes } from "./docs-ranking.js";
import { findBlender } from "./find.js";
import { blenderIntrospection } from "./introspection.js";
import { blenderAddonPanel } from "./panel.js";
import { blenderPythonReadOnly } from "./read-only.js";
import { blenderPythonRiskRules } from "./risk-rules.js";

export { findBlender };

export const blenderPanelScript = packagePath("panels", "blender", "scriptwright_blender.py");

export const blenderWrapOptions: WrapOptions = {
  prelude: "import bpy\nC = bpy.context\nD = bpy.data",
  // One undo step per run in the UI; background Blender has no undo stack worth pushing.
  epilogue: 'if not bpy.app.background:\n    bpy.ops.ed.undo_push(message="Scriptwright run")',
};

// Its final expression is the value. Bounded: at most 50 listed objects and 50 selected names,
// whatever the size of the scene; counts say how many were left out.
export const blenderStateProbe = `def __scriptwright_state(max_objects=50, max_selected=50):
    import bpy
    context = bpy.context
    scene = context.scene or bpy.data.scenes[0]
    view_layer = context.view_layer or scene.view_layers[0]
    objects = scene.objects
    counts = {}
    listed = []
    for obj in objects:
        counts[obj.type] = counts.get(obj.type, 0) + 1
        if len(listed) < max_objects:
            listed.append({"name": obj.name, "type": obj.type})
    selected = getattr(context, "selected_objects", None)
    if selected is None:
        selected = [obj for obj in view_layer.objects if obj.select_get(view_layer=view_layer)]
    active = view_layer.objects.active
    return {
        "file": bpy.data.filepath or None,
        "unsavedChanges": bpy.data.is_dirty,
        "scene": scene.name,
        "frame": {"start": scene.frame_start, "end": scene.frame_end, "current": scene.frame_current},
        "renderEngine": scene.render.engine,
        "objectCount": len(objects),
        "objectsByType": counts,
        "objects": listed,
        "moreObjects": len(objects) - len(listed),
        "selected": [obj.name for obj in selected[:max_selected]],
        "moreSelected": max(0, len(selected) - max_selected),
        "active": active.name if active else None,
    }
__scriptwright_state()`;

export function launchBlender(executable: string, options: HeadlessLaunchOptions): HeadlessLaunch {
  const args = ["-b", "--factory-startup"];
  // Absolute, so a file name starting with "-" is never read as an option.
  if (options.file) args.push(resolve(options.file));
  args.push(
    // An exception escaping the panel script must not look like a clean exit.
    "--python-exit-code",
    "1",
    "--python",
    blenderPanelScript,
    // Blender stops parsing at "--"; the rest is for the panel script.
    "--",
    ...hostArgs(options),
  );
  return { command: executable, args, env: hostEnv(options) };
}

export const blenderAdapter: Adapter = {
  app: "blender",
  displayName: "Blender",
  language: "python",
  wrapOptions: blenderWrapOptions,
  headless: { find: () => findBlender(), launch: launchBlender },
  panel: blenderAddonPanel,
  stateProbe: blenderStateProbe,
  // Runs are taken back with Blender's undo in the UI, from a copy of the .blend headless.
  checkpoint: { python: blenderCheckpoint },
  capture: { python: blenderCapture },
  rules: { python: { risk: blenderPythonRiskRules, readOnly: blenderPythonReadOnly } },
  promptNotes: [
    "`bpy`, `C` (bpy.context) and `D` (bpy.data) are predefined. Prefer bpy.data and object",
    "properties over operators; operators that need a UI area (view3d.*, most screen.*) fail in",
    "headless instances. Each run is one undo step in the UI. Docs: bpy.types.* classes and",
    "bpy.ops.* operator groups.",
  ].join("\n"),
  docs: { introspection: blenderIntrospection, commonTypes: blenderCommonTypes },
  // load_ui=False: a headless instance has no UI to restore; the path arrives as data.
  // Saving keeps a .blend1 copy of the old file unless the job asked for backups (keepBackups).
  openDocument: [
    'bpy.ops.wm.open_mainfile(filepath=params["file"], load_ui=False)',
    'bpy.context.preferences.filepaths.save_version = 1 if params.get("keepBackups") else 0',
    "bpy.data.filepath",
  ].join("\n"),
  // The factory startup scene (cube, camera, light), whatever the user's startup file holds.
  newDocument: "bpy.ops.wm.read_homefile(use_factory_startup=True, load_ui=False)\nlen(bpy.data.objects)",
};
