// What sessions tried is searchable, and the agent keeps tests with what it saves: the real
// Anthropic SDK against the scripted Messages API server, real headless Blender. A session's
// scripts are found by `scriptwright sessions search`, GET /api/sessions/search and, in a later
// session, the agent's search_history tool; save_macro without tests proposes one from the run
// that worked, and that test passes on a new document.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import type { SessionEvent } from "../bridge/agent/events.js";
import { TOOL_DEFINITIONS } from "../bridge/agent/tools.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { runCli } from "./helpers/cli.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

const BEVEL_CODE = [
  "bpy.ops.mesh.primitive_cube_add(location=(4, 0, 0))",
  "bevel = C.active_object.modifiers.new('SW_Bevel', 'BEVEL')",
  "bevel.width = 0.2",
  "[bevel.name, bevel.type]",
].join("\n");
const FAILING_CODE = "C.active_object.modifiers['SW_Bevel'].segments = 'three'";

describe.skipIf(blender.skip)("session history and agent-proposed tests with real Blender", () => {
  let fx: BridgeFixture;
  let server: MessagesServer;
  const replies = scriptedReplies();
  let first = "";

  beforeAll(async () => {
    server = await MessagesServer.start(replies.responder);
    fx = await startBridge({
      kits: languageKits,
      adapters,
      headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
      env: {
        ANTHROPIC_API_KEY: "test-key",
        ANTHROPIC_BASE_URL: server.url,
        SCRIPTWRIGHT_MODEL: "claude-sonnet-5-5",
      },
    });
    await fx.bridge.managed!.waitUntilConnected(120_000);
  }, 180_000);
  afterAll(async () => {
    await fx?.close();
    await server?.close();
  });

  /** Starts a session and waits for its end (done or error) on the SSE stream. */
  async function session(prompt: string): Promise<{ id: string; events: SessionEvent[] }> {
    const res = await fx.api("/api/sessions", {
      method: "POST",
      json: { app: "blender", prompt, approval: "auto" },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const stream = await fx.api(`/api/sessions/${id}/events`);
    const events: SessionEvent[] = [];
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const data = buffer
          .slice(0, end)
          .split("\n")
          .find((line) => line.startsWith("data: "));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        if (!data) continue;
        const event = JSON.parse(data.slice(6)) as SessionEvent;
        events.push(event);
        if (event.type === "done" || event.type === "error") return { id, events };
      }
    }
    return { id, events };
  }

  const toolResult = (request: number) => {
    const messages = server.requests[request]!.body.messages as Array<{ role: string; content: unknown }>;
    const content = messages.at(-1)!.content as Array<{ type: string; content: string; is_error?: boolean }>;
    return content.find((block) => block.type === "tool_result")!;
  };

  it("records a session whose scripts sessions search and GET /api/sessions/search find, with outcome and snippet", async () => {
    replies.set([
      {
        toolUses: [
          {
            name: "run_script",
            input: { description: "add a cube with a bevel modifier", code: BEVEL_CODE },
          },
        ],
      },
      {
        toolUses: [
          {
            name: "run_script",
            input: { description: "set the bevel segments from text", code: FAILING_CODE },
          },
        ],
      },
      {
        toolUses: [
          {
            name: "save_macro",
            input: { name: "bevel-cube", description: "a bevelled cube", code: BEVEL_CODE, params: {} },
          },
        ],
      },
      { text: "Added a bevelled cube and saved it as a macro." },
    ]);
    const { id, events } = await session("add a cube and bevel its edges");
    first = id;
    expect(events.at(-1)).toMatchObject({ type: "done" });
    expect(toolResult(1).content).toMatch(/^outcome: ok/);
    expect(toolResult(2)).toMatchObject({ is_error: true });

    const cli = await runCli(["sessions", "search", "bevel", "--json", "--data-dir", fx.dataDir]);
    expect(cli.code, cli.stderr).toBe(0);
    const hits = JSON.parse(cli.stdout) as Array<Record<string, string>>;
    const mine = hits.filter((hit) => hit.sessionId === id);
    expect(mine.map((hit) => [hit.description, hit.outcome])).toEqual(
      expect.arrayContaining([
        ["add a cube with a bevel modifier", "ok"],
        ["set the bevel segments from text", "error"],
      ]),
    );
    const ok = mine.find((hit) => hit.outcome === "ok")!;
    expect(Object.keys(ok)).toEqual(
      expect.arrayContaining(["sessionId", "at", "description", "outcome", "snippet"]),
    );
    expect(ok.snippet).toContain("modifiers.new('SW_Bevel', 'BEVEL')");
    expect(mine.find((hit) => hit.outcome === "error")!.error).toMatch(/segments/);
    const text = await runCli(["sessions", "search", "bevel", "--data-dir", fx.dataDir]);
    expect(text.stdout).toContain(`${id}`);
    expect(
      JSON.parse(
        (
          await runCli([
            "sessions",
            "search",
            "bevel",
            "--app",
            "libreoffice",
            "--json",
            "--data-dir",
            fx.dataDir,
          ])
        ).stdout,
      ),
    ).toEqual([]);

    const res = await fx.api("/api/sessions/search?q=bevel%20modifier&limit=5");
    expect(res.status).toBe(200);
    const api = (await res.json()) as Array<{ sessionId: string; description: string }>;
    expect(api[0]).toMatchObject({ sessionId: id, description: "add a cube with a bevel modifier" });
    expect((await fx.api("/api/sessions/search")).status).toBe(400);
  });

  it("lets a later session's agent find that script with search_history", async () => {
    expect(TOOL_DEFINITIONS.map((tool) => tool.name)).toContain("search_history");
    const before = server.requests.length;
    replies.set([
      { toolUses: [{ name: "search_history", input: { query: "bevel modifier" } }] },
      { text: "An earlier session added a bevel modifier that way." },
    ]);
    const { events } = await session("how did we bevel before?");
    expect(events.at(-1)).toMatchObject({ type: "done" });
    const result = toolResult(before + 1);
    expect(result.is_error).toBeFalsy();
    expect(result.content).toContain(`ok · add a cube with a bevel modifier (session ${first}`);
    expect(result.content).toContain("modifiers.new('SW_Bevel', 'BEVEL')");
    expect(result.content).toContain("error · set the bevel segments from text");
  });

  it("proposed a test from the run that worked when save_macro had none, and the test passes on a new document", async () => {
    const macro = fx.bridge.macros.get("bevel-cube");
    expect(macro.tests).toEqual([
      { name: "as in the session", params: {}, expect: { value: ["SW_Bevel", "BEVEL"] } },
    ]);
    // An agent's macro: a person approves it before its tests run it.
    const refused = await fx.api("/api/macros/bevel-cube/test", { method: "POST", json: {} });
    expect(refused.status).toBe(409);
    await fx.bridge.macros.approve("bevel-cube", { via: "api", hash: macro.hash });
    const res = await fx.api("/api/macros/bevel-cube/test", { method: "POST", json: {} });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ passed: 1, failed: 0, version: 1 });
  });
});
