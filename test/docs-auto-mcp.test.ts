// An MCP client's first search in a fresh data dir: `scriptwright mcp` starts the bridge (with
// a headless Blender), and search_docs finds Blender's API (synced as the host connected) and
// After Effects' (built from the dependency on that first call), nobody running `docs`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { call, connectStdio, type StdioMcp } from "./helpers/mcp.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

describe.skipIf(blender.skip)("docs through the bridge `scriptwright mcp` starts", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sw-mcp-docs-"));
  let mcp: StdioMcp | undefined;

  afterAll(async () => {
    await mcp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A docs call waits up to 45 s for a build; on a slow machine it may answer that it is still going. */
  async function search(app: string, query: string) {
    let answer = await call(mcp!.client, "search_docs", { app, query });
    for (let i = 0; i < 10 && /still making the docs/.test(answer.text); i++)
      answer = await call(mcp!.client, "search_docs", { app, query });
    return answer;
  }

  it("search_docs answers with hits for Blender and After Effects in a fresh data dir", async () => {
    mcp = await connectStdio(["--data-dir", dataDir, "--port", "0", "--headless", "blender:1"]);
    const blenderHits = await search("blender", "add a cube mesh");
    expect(blenderHits.isError).toBe(false);
    expect(blenderHits.text).toContain("bpy.ops.mesh.primitive_cube_add");
    const aeHits = await search("aftereffects", "add a text layer");
    expect(aeHits.isError).toBe(false);
    expect(aeHits.text).toContain("LayerCollection.addText");
  }, 900_000);
});
