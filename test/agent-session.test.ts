// Agent sessions end to end: the real Anthropic SDK against a local scripted Messages API
// server, real headless Blender as the host, the bridge's HTTP API as a client uses it.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import type { SessionEvent } from "../bridge/agent/events.js";
import { TOOL_DEFINITIONS } from "../bridge/agent/tools.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { MessagesServer, type ScriptedReply, scriptedReplies } from "./helpers/messages-server.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

describe.skipIf(blender.skip)("agent sessions with real Blender", () => {
  let fx: BridgeFixture;
  let server: MessagesServer;
  const replies = scriptedReplies();
  const setReplies = replies.set;

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
    await fx.bridge.managed!.waitUntilConnected(60_000);
    const synced = await fx.api("/api/docs/sync", { method: "POST", json: { app: "blender" } });
    expect(synced.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
    await server?.close();
  });
  afterEach(() => {
    server.requests.length = 0;
  });

  /** Starts a session and collects its events until done or error. */
  async function session(body: Record<string, unknown>, onEvent?: (event: SessionEvent, id: string) => void) {
    const res = await fx.api("/api/sessions", { method: "POST", json: { app: "blender", ...body } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    return { id, events: await collect(id, onEvent) };
  }

  async function followUp(id: string, text: string, onEvent?: (event: SessionEvent, id: string) => void) {
    const res = await fx.api(`/api/sessions/${id}/messages`, { method: "POST", json: { text } });
    expect(res.status).toBe(202);
    return collect(id, onEvent, lastEventId.get(id) ?? 0);
  }

  /** The id of the last event seen per session: a follow-up watches from there (Last-Event-ID). */
  const lastEventId = new Map<string, number>();

  /** Watches the session's SSE stream until done/error. */
  async function collect(
    id: string,
    onEvent?: (event: SessionEvent, id: string) => void,
    after = 0,
  ): Promise<SessionEvent[]> {
    const stop = new AbortController();
    const res = await fx.api(`/api/sessions/${id}/events`, {
      signal: stop.signal,
      headers: { "last-event-id": String(after) },
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    try {
      return await readEvents(res, onEvent, id);
    } finally {
      stop.abort();
    }
  }

  async function readEvents(
    res: Response,
    onEvent: ((event: SessionEvent, id: string) => void) | undefined,
    id: string,
  ): Promise<SessionEvent[]> {
    const events: SessionEvent[] = [];
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        const lines = frame.split("\n");
        const data = lines.find((line) => line.startsWith("data: "));
        if (!data) continue;
        const event = JSON.parse(data.slice(6)) as SessionEvent;
        const eventId = Number(lines.find((line) => line.startsWith("id: "))?.slice(4));
        expect(eventId).toBeGreaterThan(lastEventId.get(id) ?? 0);
        lastEventId.set(id, eventId);
        events.push(event);
        onEvent?.(event, id);
        if (event.type === "done" || event.type === "error") return events;
      }
    }
    return events;
  }

  const text = (events: SessionEvent[]) =>
    events.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
  const lastToolResult = (index: number) => {
    const messages = server.requests[index]!.body.messages as Array<{ role: string; content: unknown }>;
    const content = messages.at(-1)!.content as Array<{ type: string; content: string; is_error?: boolean }>;
    return content.find((block) => block.type === "tool_result")!;
  };

  it("searches the docs, runs a script, sees the error with its line, fixes it and answers", async () => {
    setReplies([
      { toolUses: [{ name: "search_docs", input: { query: "add a cube" } }] },
      {
        text: "I'll add the cube.",
        toolUses: [
          {
            name: "run_script",
            input: {
              description: "add a cube named SW_Cube",
              code: "bpy.ops.mesh.primitive_cube_add(size=2)\nobj = C.active_object\nobj.name = 'SW_Cube'\nobj.location.x = 1 / 0",
            },
          },
        ],
      },
      {
        toolUses: [
          {
            name: "run_script",
            input: {
              description: "move it",
              code: "obj = D.objects['SW_Cube']\nobj.location.x = 3\nobj.location.x",
            },
          },
        ],
      },
      { text: "Added SW_Cube at x = 3." },
    ]);
    const { id, events } = await session({ prompt: "Add a cube called SW_Cube at x=3", approval: "auto" });
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "end_turn" });
    expect(text(events)).toBe("I'll add the cube.Added SW_Cube at x = 3.");

    const first = server.requests[0]!;
    expect(first.body.model).toBe("claude-sonnet-5-5");
    expect(first.body.temperature).toBeUndefined();
    expect((first.body.tools as Array<{ name: string }>).map((t) => t.name)).toEqual(
      TOOL_DEFINITIONS.map((t) => t.name),
    );
    expect((first.body.system as Array<{ cache_control?: unknown; text: string }>)[0]!.cache_control).toEqual(
      { type: "ephemeral" },
    );
    expect((first.body.system as Array<{ text: string }>)[1]!.text).toMatch(
      /Host: blender-\d+, version 3\.\d/,
    );

    expect(lastToolResult(1).content).toContain("bpy.ops.mesh.primitive_cube_add");
    // The conversation so far is marked for caching on every turn (the stored history is not).
    expect(lastToolResult(1)).toMatchObject({ cache_control: { type: "ephemeral" } });
    expect(lastToolResult(2)).toMatchObject({ cache_control: { type: "ephemeral" } });
    expect(lastToolResult(2)).toMatchObject({ is_error: true });
    expect(lastToolResult(2).content).toMatch(/ZeroDivisionError/);
    expect(lastToolResult(2).content).toMatch(/line 4/);
    expect(lastToolResult(3).content).toMatch(/outcome: ok[\s\S]*value: 3/);

    const results = events.filter((e) => e.type === "script-result");
    expect(results.map((e) => (e.type === "script-result" ? e.result.outcome : ""))).toEqual(["error", "ok"]);
    const usage = events.filter((e) => e.type === "usage").at(-1);
    expect(usage).toMatchObject({ type: "usage", modelCalls: 4 });

    const check = await fx.run({ app: "blender", code: "D.objects['SW_Cube'].location.x" });
    expect(check.value).toBe(3);
    const listed = (await (await fx.api("/api/sessions")).json()) as Array<{
      id: string;
      status: string;
      scripts: number;
    }>;
    expect(listed.find((s) => s.id === id)).toMatchObject({ status: "done", scripts: 2 });
  });

  it("does not run a script the user denies, and tells the model", async () => {
    const victim = join(fx.dataDir, "keep-me.txt");
    writeFileSync(victim, "important");
    setReplies([
      {
        toolUses: [
          {
            name: "run_script",
            input: { description: "clean up", code: `import os\nos.remove(${JSON.stringify(victim)})` },
          },
        ],
      },
      { text: "Understood, I will not delete it." },
    ]);
    let proposed: { risks: unknown[] } | null = null;
    const { events } = await session({ prompt: "delete my file" }, (event, id) => {
      if (event.type === "script-proposed") proposed = event.script;
      if (event.type === "approval-needed") {
        void fx.api(`/api/sessions/${id}/approvals`, {
          method: "POST",
          json: { scriptId: event.script.id, approved: false, reason: "denied by the user" },
        });
      }
    });
    expect(events.at(-1)).toMatchObject({ type: "done" });
    expect(proposed!.risks).toEqual([expect.objectContaining({ kind: "file-delete" })]);
    expect(lastToolResult(1)).toMatchObject({ is_error: true, content: "not run: denied by the user" });
    expect(existsSync(victim)).toBe(true);
  });

  it("runs the user's edited version of a script when they approve with changes", async () => {
    setReplies([
      { toolUses: [{ name: "run_script", input: { description: "compute", code: "2 + 2" } }] },
      { text: "Done." },
    ]);
    await session({ prompt: "compute something" }, (event, id) => {
      if (event.type === "approval-needed") {
        void fx.api(`/api/sessions/${id}/approvals`, {
          method: "POST",
          json: { scriptId: event.script.id, approved: true, code: "40 + 2" },
        });
      }
    });
    expect(lastToolResult(1).content).toMatch(/edited the script[\s\S]*value: 42/);
  });

  // The stalled stream would end only at the model's timeout (120 s by default), past this test's
  // own bound: a session that ends cancelled within it was stopped by the cancel.
  it("stops mid-stream on cancel, and the session continues with a follow-up", async () => {
    setReplies([{ stallAfterText: "Let me think" }, { text: "Hello again." }]);
    const { id, events } = await session(
      { prompt: "think forever", approval: "auto" },
      (event, sessionId) => {
        if (event.type === "text")
          void fx.api(`/api/sessions/${sessionId}/cancel`, { method: "POST", json: {} });
      },
    );
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "cancelled" });
    const more = await followUp(id, "are you there?");
    expect(text(more)).toBe("Hello again.");
    const messages = server.requests[1]!.body.messages as Array<{ role: string }>;
    expect(messages.map((m) => m.role)).toEqual(["user"]);
  }, 90_000);

  it.each([
    [
      "rate limit",
      {
        status: 429,
        error: { type: "rate_limit_error", message: "slow down" },
        headers: { "retry-after-ms": "5" },
      },
      "rate-limit",
    ],
    [
      "server error",
      { status: 500, error: { type: "api_error", message: "boom" }, headers: { "retry-after-ms": "5" } },
      "server",
    ],
    ["malformed stream", { malformed: "garbage" }, "bad-stream"],
  ] as Array<[string, ScriptedReply, string]>)(
    "reports a model %s, then the user can retry",
    async (_label, failure, kind) => {
      setReplies([failure, failure, failure, failure, { text: "Recovered." }]);
      const { id, events } = await session({ prompt: "hello", approval: "auto" });
      const error = events.at(-1);
      expect(error).toMatchObject({ type: "error", kind });
      setReplies([{ text: "Recovered." }]);
      server.requests.length = 0;
      const retry = await followUp(id, "try again");
      expect(text(retry)).toBe("Recovered.");
    },
  );

  it("gives the model host-lost when Blender dies mid-run, and the retry reaches the restarted host", async () => {
    setReplies([
      {
        toolUses: [
          {
            name: "run_script",
            input: { description: "crash", code: "import os, time\ntime.sleep(0.2)\nos._exit(1)" },
          },
        ],
      },
      { toolUses: [{ name: "run_script", input: { description: "retry", code: "6 * 7" } }] },
      { text: "It works after the restart." },
    ]);
    const { events } = await session({ prompt: "crash and retry", approval: "auto" });
    expect(events.at(-1)).toMatchObject({ type: "done" });
    expect(lastToolResult(1).content).toMatch(/outcome: host-lost/);
    expect(lastToolResult(2).content).toMatch(/outcome: ok[\s\S]*value: 42/);
  }, 180_000);

  it("keeps the transcript across a bridge restart and continues the session", async () => {
    setReplies([{ text: "First answer." }]);
    const { id } = await session({ prompt: "remember me", approval: "auto" });
    await fx.bridge.stop();
    const restarted = await startBridge({
      dataDir: fx.dataDir,
      kits: languageKits,
      adapters,
      headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
      env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: server.url },
    });
    fx = restarted;
    await fx.bridge.managed!.waitUntilConnected(60_000);
    setReplies([{ text: "Second answer." }]);
    server.requests.length = 0;
    const more = await followUp(id, "still there?");
    expect(text(more)).toBe("Second answer.");
    const messages = server.requests[0]!.body.messages as Array<{ role: string }>;
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  }, 90_000);
});
