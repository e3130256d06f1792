// What batch tests set up the same way: .blend files made by Blender itself, and macros
// saved through the CLI into a test data dir.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "./cli.js";

/** Runs `body` (Python, with `out` = the folder) in a background Blender to write .blend files there. */
export function makeBlendFiles(blender: string, folder: string, body: string[]): void {
  execFileSync(
    blender,
    [
      "-b",
      "--factory-startup",
      "--python-exit-code",
      "1",
      "--python-expr",
      ["import bpy, sys", "out = sys.argv[sys.argv.index('--') + 1]", ...body].join("\n"),
      "--",
      folder,
    ],
    { stdio: "ignore" },
  );
}

/** Saves a Blender macro from code (and an optional params schema) with `scriptwright macro save`. */
export async function saveMacro(
  dataDir: string,
  folder: string,
  name: string,
  code: string,
  params?: unknown,
): Promise<{ code: number | null; stderr: string }> {
  const file = join(folder, `${name}.py`);
  writeFileSync(file, code);
  const args = ["macro", "save", name, "--app", "blender", "--file", file, "--data-dir", dataDir];
  if (params !== undefined) {
    const schema = join(folder, `${name}.json`);
    writeFileSync(schema, JSON.stringify(params));
    args.push("--params", schema);
  }
  return runCli(args);
}
