// What counts as a pure read in Blender's Python, for the read-only approval mode: plain
// Python's reads, mathutils' value methods (not the in-place ones: normalize, rotate, resize,
// zero, freeze …) and the RNA functions below, which only query. Operators (`bpy.ops`)
// change things by design, and their names (object.join, mesh.split …) are also plain
// methods' names, so `ops` may not be named at all. Checked against a real Blender: every
// name here that is also an RNA function is in blenderRnaReads (test/app-read-only.test.ts).
import { pythonPureReads } from "../python/pure-reads.js";
import type { ReadOnlyRules } from "../types.js";

/**
 * RNA functions (bpy_struct and bpy.types methods) that return a value and change nothing.
 * Not `foreach_get`: it writes into the sequence it is given, which may be an object's
 * `location`; not `to_mesh`, `calc_*` or `update`: they change (evaluated) data.
 */
export const blenderRnaReads = [
  "as_string",
  "closest_point_on_mesh",
  "evaluate",
  "evaluated_depsgraph_get",
  "evaluated_get",
  "find",
  "get",
  "hide_get",
  "holdout_get",
  "indirect_only_get",
  "is_deform_modified",
  "is_modified",
  "is_property_hidden",
  "is_property_readonly",
  "is_property_set",
  "items",
  "keys",
  "path_from_id",
  "ray_cast",
  "select_get",
  "user_of_id",
  "values",
  "visible_get",
];

const MATHUTILS = [
  "Color",
  "Euler",
  "Matrix",
  "Quaternion",
  "Vector",
  "Diagonal",
  "Fill",
  "Identity",
  "Linspace",
  "Range",
  "Repeat",
  "Rotation",
  "Scale",
  "Translation",
  "adjugated",
  "angle",
  "angle_signed",
  "conjugated",
  "cross",
  "decompose",
  "determinant",
  "dot",
  "inverted",
  "inverted_safe",
  "lerp",
  "normalized",
  "orthogonal",
  "project",
  "reflect",
  "resized",
  "rotation_difference",
  "slerp",
  "to_2d",
  "to_2x2",
  "to_3d",
  "to_3x3",
  "to_4d",
  "to_4x4",
  "to_axis_angle",
  "to_euler",
  "to_matrix",
  "to_quaternion",
  "to_scale",
  "to_swing_twist",
  "to_track_quat",
  "to_translation",
  "to_tuple",
  "transposed",
];

/** bpy.path's string helpers. */
const BPY_PATH = ["abspath", "basename", "display_name"];

export const blenderPythonReadOnly: ReadOnlyRules = {
  imports: [...pythonPureReads.imports, "bpy", "mathutils"],
  functions: pythonPureReads.functions,
  methods: [...pythonPureReads.methods, ...MATHUTILS, ...blenderRnaReads, ...BPY_PATH],
  keywords: [...pythonPureReads.keywords, "depsgraph", "distance", "view_layer", "viewport"],
  refusedNames: ["ops"],
};
