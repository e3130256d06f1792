// `scriptwright mcp` with no bridge running: it starts one (a child `scriptwright serve` with a
// headless Blender), says so on stderr only, serves the tools through it, and stops it when
// the client goes away.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { call, connectStdio, type StdioMcp } from "./helpers/mcp.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe.skipIf(blender.skip)("scriptwright mcp without a running bridge", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sw-mcp-start-"));
  let mcp: StdioMcp | undefined;

  afterAll(async () => {
    await mcp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts a bridge with a headless Blender, serves through it, and stops it on close", async () => {
    const bridgeFile = join(dataDir, "bridge.json");
    expect(existsSync(bridgeFile)).toBe(false);
    mcp = await connectStdio([
      "--data-dir",
      dataDir,
      "--port",
      "0",
      "--headless",
      "blender:1",
      "--auto-approve",
      "--app",
      "blender",
    ]);

    const hosts = await call(mcp.client, "list_hosts");
    expect(hosts.text).toMatch(/^blender-1 {2}blender .*managed/m);
    const stderr = mcp.stderr();
    expect(stderr).toContain(`no bridge is running for ${dataDir}: starting one`);
    expect(stderr).toMatch(
      /started a bridge at http:\/\/127\.0\.0\.1:\d+ \(pid \d+; 1 of 1 headless hosts connected\)/,
    );
    expect(stderr).toContain("it stops when this MCP server exits");

    const info = JSON.parse(readFileSync(bridgeFile, "utf8")) as { pid: number; url: string };
    expect(info.pid).not.toBe(mcp.transport.pid);
    expect(stderr).toContain(`started a bridge at ${info.url}`);
    const ran = await call(mcp.client, "run_script", { code: "bpy.app.version_string" });
    expect(ran.isError).toBe(false);
    expect(ran.text).toMatch(/value: "\d+\.\d+/);

    await mcp.close();
    mcp = undefined;
    expect(await until(() => !existsSync(bridgeFile), 15_000)).toBe(true);
    expect(await until(() => !alive(info.pid), 15_000)).toBe(true);
  });

  it("the bridge it started ends with it even when it is killed (SIGKILL)", async () => {
    mcp = await connectStdio(["--data-dir", dataDir, "--port", "0", "--headless", "blender:1"]);
    expect((await call(mcp.client, "list_hosts")).text).toMatch(/^blender-\d+ /m);
    const info = JSON.parse(readFileSync(join(dataDir, "bridge.json"), "utf8")) as { pid: number };
    process.kill(mcp.transport.pid!, "SIGKILL");
    expect(await until(() => !alive(info.pid), 15_000)).toBe(true);
    expect(existsSync(join(dataDir, "bridge.json"))).toBe(false);
    await mcp.close();
    mcp = undefined;
  });
});
