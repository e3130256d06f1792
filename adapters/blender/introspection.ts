// Live introspection of the running Blender: bpy.types structs (RNA properties and
// functions, plus the Python-defined members of bpy_types.py) and bpy.ops operator groups,
// as docs entries for the exact version running. The Python lives in one file that both
// scripts share; each appends the final expression whose value the kit returns.
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";
import type { Introspection } from "../types.js";

export const BLENDER_INTROSPECT_PATH = packagePath("scripts-lib", "python", "blender_introspect.py");

const source = readFileSync(BLENDER_INTROSPECT_PATH, "utf8");

export const blenderIntrospection: Introspection = {
  listScript: `${source}\nlist_names()\n`,
  describeScript: `${source}\ndescribe(params["names"])\n`,
  // Blender 3.4: ~1,900 names, 4.6 MB in all; 40 names make at most ~220 KB (operator
  // groups, up to ~150 KB each, are spread through the list), well under the 1 MB value cap.
  batchSize: 40,
};
