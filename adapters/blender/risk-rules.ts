// Blender's own risky API, for Python: operators that quit, replace or save the open file,
// export, open paths and URLs, run other code (scripts, text blocks, add-ons, handlers).
// Operators are named on any object (`*.quit_blender`) so that `ops = bpy.ops` or
// `from bpy.ops import wm` does not hide them. The language's own risks (files, processes,
// network, reflection) are the Python kit's.
import { documentSaves, appRulesOfKind as rules } from "../risk-names.js";
import type { AppRiskRule } from "../types.js";

export const blenderPythonRiskRules: readonly AppRiskRule[] = [
  ...rules("app-quit", "quits Blender", ["*.quit_blender"]),
  ...rules("app-quit", "replaces the open .blend file, unsaved changes lost", [
    "*.read_homefile",
    "*.read_factory_settings",
    "*.open_mainfile",
    "*.revert_mainfile",
  ]),
  ...documentSaves("saves the .blend file", ["*.save_mainfile"]),
  ...rules("file-overwrite", "saves the .blend file", ["*.save_as_mainfile"]),
  ...rules("file-overwrite", "writes files", [
    "bpy.ops.export_*",
    "*.ops.export_*",
    "bpy.ops.wm.*export*",
    "*.save_userpref",
    "*.libraries.write",
    "*.save_render",
    "bpy.ops.image.save*",
  ]),
  ...rules("process", "opens a path with another program", ["*.path_open"]),
  ...rules("network", "opens a web page", ["*.url_open*"]),
  ...rules("dynamic-code", "runs code from a file or text", [
    "bpy.utils.execfile",
    "*.python_file_run",
    "*.run_script",
    "*.as_module",
    "*.driver_namespace",
    "*.use_scripts_auto_execute",
  ]),
  ...rules("dynamic-code", "registers code Blender runs later", ["bpy.app.handlers"]),
  ...rules("dynamic-code", "installs or enables add-ons (their code runs)", [
    "*.addon_install",
    "*.addon_enable",
    "addon_utils.enable",
  ]),
  ...rules("file-delete", "removes an add-on's files", ["*.addon_remove"]),
];
