// (d) Code as tool calls vs one tool per operation. For a scripted 5-step Blender task
// (five cubes in a row, each bevelled, one shared red material, then save), both designs'
// conversations are replayed request by request and counted with the same tokenizer:
// tokens of system + tools on the first request, model calls, and input/output tokens.
// The tokenizer (@anthropic-ai/tokenizer) is the legacy Claude one: absolute counts are
// approximate, the ratio between the two designs is what this measures.
import { countTokens } from "@anthropic-ai/tokenizer";
import { blenderAdapter } from "../adapters/blender/index.js";
import { pythonKit } from "../adapters/python/index.js";
import { liveHeader, stablePrompt } from "../bridge/agent/prompt.js";
import { TOOL_DEFINITIONS } from "../bridge/agent/tools.js";

interface Step {
  /** What the model sends (tool call input or final text). */
  reply: string;
  /** What comes back (tool result), empty for the final answer. */
  result: string;
}

const TASK =
  "Make five cubes in a row along X, 3 m apart, each with a bevel modifier and one shared red material, then save the file.";

const SYSTEM = `${stablePrompt(blenderAdapter, "blender", pythonKit)}\n${liveHeader({
  hostId: "blender-1",
  appVersion: "3.4.1",
  document: "/projects/shot.blend",
  docs: "blender 3.4.1",
})}`;

const CODE_STEPS: Step[] = [
  {
    reply: JSON.stringify({ name: "search_docs", input: { query: "bevel modifier width segments" } }),
    result: [
      "classes/bpy.types.BevelModifier.md  bpy.types.BevelModifier",
      "  class bpy.types.BevelModifier — Bevel modifier to make edges and vertices more rounded",
      "classes/bpy.types.BevelModifier.md#width  bpy.types.BevelModifier.width",
      "  width: float in [0, inf], default 0.1 — Bevel amount",
      "classes/bpy.types.BevelModifier.md#segments  bpy.types.BevelModifier.segments",
      "  segments: int in [1, 1000], default 1 — Number of segments for round edges/verts",
    ].join("\n"),
  },
  {
    reply: JSON.stringify({
      name: "run_script",
      input: {
        description: "five bevelled cubes with a shared red material, then save",
        code: [
          "mat = D.materials.get('SW_Red') or D.materials.new('SW_Red')",
          "mat.diffuse_color = (0.8, 0.05, 0.05, 1.0)",
          "names = []",
          "for i in range(5):",
          "    bpy.ops.mesh.primitive_cube_add(size=2, location=(i * 3.0, 0, 0))",
          "    cube = C.active_object",
          "    cube.name = f'SW_Cube_{i + 1}'",
          "    bevel = cube.modifiers.new('Bevel', 'BEVEL')",
          "    bevel.width, bevel.segments = 0.1, 3",
          "    cube.data.materials.append(mat)",
          "    names.append(cube.name)",
          "bpy.ops.wm.save_mainfile()",
          "names",
        ].join("\n"),
      },
    }),
    result:
      'outcome: ok (84 ms, host blender-1)\nvalue: ["SW_Cube_1","SW_Cube_2","SW_Cube_3","SW_Cube_4","SW_Cube_5"]',
  },
  {
    reply:
      "Added SW_Cube_1 … SW_Cube_5 along X (3 m apart), each with a 3-segment bevel and the shared SW_Red material, and saved shot.blend.",
    result: "",
  },
];

/** A tool list in the one-tool-per-operation style, written for this comparison (also used by mcp-tokens.ts). */
export const FIXED_TOOLS = [
  ["get_scene_info", "Get information about the current scene", {}],
  ["get_object_info", "Get information about an object", { name: "string" }],
  [
    "create_object",
    "Create a primitive object",
    { type: "string", name: "string", location: "number[]", rotation: "number[]", scale: "number[]" },
  ],
  ["delete_object", "Delete an object", { name: "string" }],
  [
    "modify_object",
    "Set location, rotation, scale or visibility of an object",
    { name: "string", location: "number[]", rotation: "number[]", scale: "number[]", visible: "boolean" },
  ],
  ["duplicate_object", "Duplicate an object", { name: "string", new_name: "string" }],
  ["select_objects", "Select objects by name", { names: "string[]" }],
  ["add_modifier", "Add a modifier to an object", { object: "string", type: "string", name: "string" }],
  [
    "set_modifier_property",
    "Set a property of a modifier",
    { object: "string", modifier: "string", property: "string", value: "any" },
  ],
  ["remove_modifier", "Remove a modifier", { object: "string", modifier: "string" }],
  [
    "create_material",
    "Create a material",
    { name: "string", color: "number[]", metallic: "number", roughness: "number" },
  ],
  ["assign_material", "Assign a material to an object", { object: "string", material: "string" }],
  [
    "set_material_property",
    "Set a property of a material",
    { material: "string", property: "string", value: "any" },
  ],
  [
    "create_light",
    "Create a light",
    { type: "string", name: "string", location: "number[]", energy: "number" },
  ],
  [
    "create_camera",
    "Create a camera",
    { name: "string", location: "number[]", rotation: "number[]", lens: "number" },
  ],
  [
    "set_render_settings",
    "Set render engine, resolution and samples",
    { engine: "string", resolution_x: "number", resolution_y: "number", samples: "number" },
  ],
  ["render_image", "Render the scene to a file", { filepath: "string" }],
  ["save_file", "Save the blend file", { filepath: "string" }],
  ["open_file", "Open a blend file", { filepath: "string" }],
  ["import_model", "Import a model file", { filepath: "string", format: "string" }],
  ["export_model", "Export objects to a file", { filepath: "string", format: "string" }],
  [
    "set_keyframe",
    "Insert a keyframe on an object property",
    { object: "string", property: "string", frame: "number" },
  ],
].map(([name, description, props]) => ({
  name,
  description,
  input_schema: {
    type: "object",
    properties: Object.fromEntries(
      Object.entries(props as Record<string, string>).map(([key, type]) => [
        key,
        type.endsWith("[]")
          ? { type: "array", items: { type: type.slice(0, -2) } }
          : { type: type === "any" ? "string" : type },
      ]),
    ),
  },
}));

const FIXED_SYSTEM =
  "You control Blender through the tools below. Call one tool per operation and wait for its result before the next dependent step. Answer briefly when done.";

function fixedSteps(): Step[] {
  const call = (name: string, input: unknown, result: string): Step => ({
    reply: JSON.stringify({ name, input }),
    result,
  });
  const steps: Step[] = [
    call(
      "create_material",
      { name: "SW_Red", color: [0.8, 0.05, 0.05, 1] },
      '{"status":"ok","material":"SW_Red"}',
    ),
  ];
  for (let i = 1; i <= 5; i++) {
    const name = `SW_Cube_${i}`;
    steps.push(
      call(
        "create_object",
        { type: "CUBE", name, location: [(i - 1) * 3, 0, 0] },
        `{"status":"ok","object":"${name}"}`,
      ),
    );
    steps.push(
      call(
        "add_modifier",
        { object: name, type: "BEVEL", name: "Bevel" },
        '{"status":"ok","modifier":"Bevel"}',
      ),
    );
    steps.push(
      call(
        "set_modifier_property",
        { object: name, modifier: "Bevel", property: "segments", value: 3 },
        '{"status":"ok"}',
      ),
    );
    steps.push(call("assign_material", { object: name, material: "SW_Red" }, '{"status":"ok"}'));
  }
  steps.push(call("save_file", { filepath: "/projects/shot.blend" }, '{"status":"ok"}'));
  steps.push({ reply: CODE_STEPS.at(-1)!.reply, result: "" });
  return steps;
}

interface Tally {
  prefix: number;
  calls: number;
  input: number;
  output: number;
}

/** Replays a conversation: each call's input is the prefix plus the task plus every earlier step. */
function tally(prefix: string, steps: Step[]): Tally {
  const prefixTokens = countTokens(prefix);
  let history = countTokens(TASK);
  const result: Tally = { prefix: prefixTokens, calls: 0, input: 0, output: 0 };
  for (const step of steps) {
    result.calls++;
    result.input += prefixTokens + history;
    const out = countTokens(step.reply);
    result.output += out;
    history += out + countTokens(step.result);
  }
  return result;
}

export function benchAgentTokens(): string {
  const code = tally(SYSTEM + JSON.stringify(TOOL_DEFINITIONS), CODE_STEPS);
  const fixed = tally(FIXED_SYSTEM + JSON.stringify(FIXED_TOOLS), fixedSteps());
  const row = (label: string, t: Tally) =>
    `  ${label.padEnd(30)} system+tools ${String(t.prefix).padStart(5)} tok  calls ${String(t.calls).padStart(2)}  input ${String(t.input).padStart(6)} tok  output ${String(t.output).padStart(5)} tok`;
  return [
    "\n(d) agent: a 5-step Blender task, code as tool calls vs one tool per operation (same tokenizer)",
    row(`fixed tools (${FIXED_TOOLS.length} tools, baseline)`, fixed),
    row("scriptwright (7 tools, code)", code),
    `  saving: ${(fixed.calls / code.calls).toFixed(1)}× fewer model calls, ${(fixed.input / code.input).toFixed(1)}× fewer input tokens, ${(fixed.output / code.output).toFixed(1)}× fewer output tokens; system+tools ${code.prefix} tokens (budget ~3,000)`,
  ].join("\n");
}
