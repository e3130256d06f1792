// The test files that drive a real app or browser: the ones whose waits a busy machine stretches.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** A file is one of them when it asks for one of these (it is skipped, or fails in CI, without). */
const REAL_HOST = /requireBinary\("(blender|chromium|xvfb-run|redis-server)"|requireSofficeWithUno\(/;

export function realHostTestFiles(root: string): string[] {
  const dir = join(root, "test");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".test.ts"))
    .sort()
    .map((name) => join(dir, name))
    .filter((file) => REAL_HOST.test(readFileSync(file, "utf8")))
    .map((file) => relative(root, file));
}
