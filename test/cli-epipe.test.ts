// `scriptwright … | head`: a reader that stops early is not an error the user should see.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { CLI } from "./helpers/cli.js";

it("exits quietly, with its own exit code, when stdout is closed early", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sw-epipe-"));
  try {
    // Far more diagnostics than a pipe holds (64 KiB), so the writer meets the closed pipe.
    const file = join(dir, "big.py");
    writeFileSync(file, `import os\n${'os.system("true")\n'.repeat(20_000)}`);
    const child = spawn(process.execPath, [CLI, "check", "--app", "blender", "--file", file], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
    });
    // Like `head -c 100`: read a little, then close our end.
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(stderr).toBe("");
    expect(code).toBe(1); // check's own code: it found problems
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
