// Whether a Python script only reads, for the approval policy's read-only mode. It must
// err on the side of "writes": a script it calls read-only runs without asking.
import { riskPython } from "./risk.js";
import { tokenize } from "./tokens.js";

/** Method names that change what they are called on (collections, Blender data, files). */
const MUTATING_METHODS = new Set(
  "new remove clear append extend insert pop popitem update add discard link unlink delete write writelines save set setdefault move sort reverse copy_from foreach_set keyframe_insert keyframe_delete driver_add driver_remove select_set hide_set transform apply".split(
    " ",
  ),
);
const ASSIGNMENTS = new Set([
  "=",
  "+=",
  "-=",
  "*=",
  "/=",
  "//=",
  "%=",
  "**=",
  "@=",
  "&=",
  "|=",
  "^=",
  ">>=",
  "<<=",
  ":=",
]);

export function isReadOnlyPython(code: string): boolean {
  if (riskPython(code).length) return false;
  const tokens = tokenize(code);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const previous = tokens[i - 1];
    // Operators (bpy.ops.*) change the scene by design.
    if (token.kind === "name" && token.text === "ops" && previous?.text === ".") return false;
    if (
      token.kind === "name" &&
      MUTATING_METHODS.has(token.text) &&
      previous?.text === "." &&
      tokens[i + 1]?.text === "("
    ) {
      return false;
    }
    // An assignment whose target is an attribute or item changes an object; `x = …` binds a local.
    if (token.kind === "op" && ASSIGNMENTS.has(token.text) && !isLocalBinding(tokens, i)) return false;
    if (
      token.kind === "name" &&
      (token.text === "del" || token.text === "global" || token.text === "nonlocal")
    )
      return false;
  }
  return true;
}

/** True when the assignment at `index` binds plain names only (`a = …`, `a, b = …`). */
function isLocalBinding(tokens: ReturnType<typeof tokenize>, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.kind === "newline") return true;
    if (token.text === "." || token.text === "[" || token.text === "]") return false;
  }
  return true;
}
