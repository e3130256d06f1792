// Agent sessions on an OpenAI-compatible endpoint, end to end: the real `openai` client against
// the scripted chat-completions server (streamed and whole replies), real headless Blender as
// the host, the bridge's HTTP API as a client uses it. The same scripted conversations also run
// on the Anthropic provider (the real SDK against the scripted Messages server) in the same
// bridge, and their transcripts and events must match but for ids, timings and token counts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import type { SessionEvent } from "../bridge/agent/events.js";
import { TOOL_DEFINITIONS } from "../bridge/agent/tools.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { ChatCompletionsServer, type ChatReply } from "./helpers/chat-completions-server.js";
import { MessagesServer, type ScriptedReply } from "./helpers/messages-server.js";
import { requireBinary } from "./helpers/require-binary.js";
import { followUp, startSession, textOf } from "./helpers/session-events.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

/** One scripted model reply, said the same way to both servers. */
interface Say {
  text?: string;
  tools?: Array<{ name: string; input: unknown }>;
}
const toMessages = (replies: Say[]): ScriptedReply[] =>
  replies.map((reply) => ({
    ...(reply.text !== undefined ? { text: reply.text } : {}),
    ...(reply.tools ? { toolUses: reply.tools } : {}),
  }));
const toChat = (replies: Say[]): ChatReply[] =>
  replies.map((reply) => ({
    ...(reply.text !== undefined ? { text: reply.text } : {}),
    ...(reply.tools ? { toolCalls: reply.tools } : {}),
  }));

const MODEL = "qwen-test:7b";

describe.skipIf(blender.skip)("agent sessions on an OpenAI-compatible endpoint, with real Blender", () => {
  let fx: BridgeFixture;
  let chat: ChatCompletionsServer;
  let messages: MessagesServer;
  let anthropicReplies: ScriptedReply[] = [];

  beforeAll(async () => {
    chat = await ChatCompletionsServer.start([]);
    messages = await MessagesServer.start((_request, index) => anthropicReplies[index] ?? { status: 500 });
    fx = await startBridge({
      kits: languageKits,
      adapters,
      headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
      // The Anthropic provider's key and address; the OpenAI one is chosen per test in config.json.
      env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: messages.url },
    });
    await fx.bridge.managed!.waitUntilConnected(60_000);
    const synced = await fx.api("/api/docs/sync", { method: "POST", json: { app: "blender" } });
    expect(synced.status).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await fx?.close();
    await chat?.close();
    await messages?.close();
  });
  beforeEach(async () => {
    chat.requests.length = 0;
    messages.requests.length = 0;
    await useOpenAI();
  });

  async function putConfig(body: Record<string, unknown>) {
    const res = await fx.api("/api/config", { method: "PUT", json: body });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  const useOpenAI = (more: Record<string, unknown> = {}) =>
    putConfig({
      provider: "openai",
      baseUrl: chat.url,
      model: MODEL,
      stream: null,
      smallModel: null,
      ...more,
    });
  const useAnthropic = () =>
    putConfig({ provider: null, baseUrl: null, model: null, stream: null, smallModel: null });

  async function records(id: string) {
    const res = await fx.api(`/api/sessions/${id}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { provider: string; model: string; records: Array<Record<string, unknown>> };
  }

  /** The tool message the endpoint got for the n-th request's last tool call. */
  const toolMessage = (request: number) =>
    (chat.completions[request]!.body.messages as Array<{ role: string; content: string }>)
      .filter((message) => message.role === "tool")
      .at(-1)!;

  const CUBE: Say[] = [
    { tools: [{ name: "search_docs", input: { query: "add a cube" } }] },
    {
      text: "I'll add the cube.",
      tools: [
        {
          name: "run_script",
          input: {
            description: "add a cube named SW_OpenCube",
            code: "bpy.ops.mesh.primitive_cube_add(size=2)\nobj = C.active_object\nobj.name = 'SW_OpenCube'\nobj.location.x = 1 / 0",
          },
        },
      ],
    },
    {
      tools: [
        {
          name: "run_script",
          input: {
            description: "move it",
            code: "obj = D.objects['SW_OpenCube']\nobj.location.x = 3\nobj.location.x",
          },
        },
      ],
    },
    { text: "Added SW_OpenCube at x = 3." },
  ];

  it.each([
    ["streamed", true],
    ["whole", false],
  ])(
    "%s replies: searches the docs, runs a script, sees the error with its line, fixes it and finishes",
    async (_label, stream) => {
      if (!stream) await useOpenAI({ stream: false });
      await fx.run({
        app: "blender",
        code: "[D.objects.remove(o) for o in list(D.objects) if o.name == 'SW_OpenCube']",
      });
      chat.set(toChat(CUBE));
      const { id, events } = await startSession(fx, {
        app: "blender",
        prompt: "Add a cube at x=3",
        approval: "auto",
      });
      expect(events.at(-1)).toEqual({ type: "done", stopReason: "end_turn" });
      expect(textOf(events)).toBe("I'll add the cube.Added SW_OpenCube at x = 3.");
      if (stream) expect(events.filter((event) => event.type === "text").length).toBeGreaterThan(2);

      const first = chat.completions[0]!.body;
      expect(first.stream === true).toBe(stream);
      expect(first.model).toBe(MODEL);
      expect(
        first.tools.map((tool: { type: string; function: { name: string } }) => [
          tool.type,
          tool.function.name,
        ]),
      ).toEqual(TOOL_DEFINITIONS.map((tool) => ["function", tool.name]));
      expect(first.messages[0].role).toBe("system");
      expect(first.messages[0].content).toMatch(/Host: blender-\d+, version 3\.\d/);

      expect(toolMessage(1).content).toContain("bpy.ops.mesh.primitive_cube_add");
      expect(toolMessage(2).content).toMatch(/outcome: error[\s\S]*ZeroDivisionError[\s\S]*line 4/);
      expect(toolMessage(3).content).toMatch(/outcome: ok[\s\S]*value: 3/);
      expect(messages.requests).toHaveLength(0);

      const check = await fx.run({ app: "blender", code: "D.objects['SW_OpenCube'].location.x" });
      expect(check.value).toBe(3);
      const listed = (await (await fx.api("/api/sessions")).json()) as Array<Record<string, unknown>>;
      expect(listed.find((session) => session.id === id)).toMatchObject({
        provider: "openai",
        model: MODEL,
        status: "done",
        scripts: 2,
      });
      const { records: kept } = await records(id);
      expect(kept[0]).toMatchObject({ type: "session", provider: "openai", model: MODEL });
    },
    120_000,
  );

  /**
   * A transcript and event list without what differs between two runs of one conversation:
   * ids (numbered in order of appearance, so a tool result still names its call), times,
   * durations, token counts, the provider and model names, and how the text was cut into deltas.
   */
  function comparable(kept: Array<Record<string, unknown>>, events: SessionEvent[]) {
    const merged: SessionEvent[] = [];
    for (const event of events) {
      const previous = merged.at(-1);
      if (event.type === "text" && previous?.type === "text")
        merged[merged.length - 1] = { type: "text", delta: previous.delta + event.delta };
      else merged.push(event);
    }
    const ids = new Map<string, string>();
    const idOf = (raw: string) => {
      if (!ids.has(raw)) ids.set(raw, `id${ids.size}`);
      return ids.get(raw)!;
    };
    const text = JSON.stringify({ kept, events: merged })
      .replace(
        /"(toolu_[A-Za-z0-9_]+|call_[A-Za-z0-9]+|[0-9a-f]{8}-[0-9a-f-]{27}|\d{8}-\d{6}-[0-9a-f]{6})"/g,
        (_m, raw: string) => `"${idOf(raw)}"`,
      )
      .replace(/\d+ ms/g, "N ms")
      .replace(/"(at|createdAt|durationMs|provider|model)":("[^"]*"|\d+(\.\d+)?)/g, '"$1":"*"')
      .replace(/"(input|output|cacheRead|cacheWrite)":\d+/g, '"$1":0');
    return JSON.parse(text) as unknown;
  }

  it("a conversation's transcript and events are the same on both providers, approvals included", async () => {
    const victim = join(fx.dataDir, "keep-me.txt");
    writeFileSync(victim, "important");
    const conversation: Say[] = [
      {
        tools: [
          {
            name: "run_script",
            input: { description: "clean up", code: `import os\nos.remove(${JSON.stringify(victim)})` },
          },
        ],
      },
      {
        text: "Understood, I will not delete it.",
        tools: [{ name: "run_script", input: { description: "compute", code: "2 + 2" } }],
      },
      { text: "Done." },
    ];
    /** Denies the first script, approves the second with an edit. */
    const decide = (event: SessionEvent, sessionId: string) => {
      if (event.type !== "approval-needed") return;
      const first = event.script.description === "clean up";
      void fx.api(`/api/sessions/${sessionId}/approvals`, {
        method: "POST",
        json: first
          ? { scriptId: event.script.id, approved: false, reason: "denied by the user" }
          : { scriptId: event.script.id, approved: true, code: "40 + 2" },
      });
    };
    const runs: unknown[] = [];
    for (const provider of ["openai", "anthropic"]) {
      if (provider === "anthropic") await useAnthropic();
      chat.set(toChat(conversation));
      anthropicReplies = toMessages(conversation);
      const { id, events } = await startSession(
        fx,
        { app: "blender", prompt: "tidy up", approval: "ask" },
        decide,
      );
      expect(events.at(-1)).toMatchObject({ type: "done" });
      const kept = await records(id);
      expect(kept.provider).toBe(provider);
      runs.push(comparable(kept.records, events));
    }
    expect(existsSync(victim)).toBe(true);
    expect(chat.completions).toHaveLength(3);
    expect(messages.requests).toHaveLength(3);
    expect(toolMessage(1).content).toBe("not run: denied by the user");
    expect(toolMessage(2).content).toMatch(/edited the script[\s\S]*value: 42/);
    expect(runs[0]).toEqual(runs[1]);
  }, 120_000);

  describe("bad input", () => {
    it("an endpoint that is down: a clear error, and the session works once it is back", async () => {
      const down = await ChatCompletionsServer.start([]);
      const url = down.url;
      await down.close();
      await useOpenAI({ baseUrl: url });
      const { id, events } = await startSession(fx, { app: "blender", prompt: "hello", approval: "auto" });
      const error = events.at(-1)!;
      expect(error).toMatchObject({ type: "error", kind: "network" });
      expect(error.type === "error" && error.message).toMatch(
        new RegExp(`^could not reach the model endpoint at ${url.replaceAll(".", "\\.")} \\(.*ECONNREFUSED`),
      );
      await useOpenAI();
      chat.set([{ text: "Back again." }]);
      const more = await followUp(fx, id, { text: "are you there?" });
      expect(textOf(more)).toBe("Back again.");
      expect(chat.completions[0]!.body.messages.map((m: { role: string }) => m.role)).toEqual([
        "system",
        "user",
      ]);
    }, 60_000);

    it("a model the endpoint does not have: the error names it; a follow-up with one it has works", async () => {
      chat.set([{ text: "Hi from llama." }]);
      const { id, events } = await startSession(fx, {
        app: "blender",
        prompt: "hello",
        model: "gpt-nope",
        approval: "auto",
      });
      const error = events.at(-1)!;
      expect(error).toMatchObject({ type: "error", kind: "bad-request" });
      expect(error.type === "error" && error.message).toContain('no model "gpt-nope" there');
      expect(error.type === "error" && error.message).toContain("`scriptwright models`");
      const more = await followUp(fx, id, { text: "again", model: "llama-test:3b" });
      expect(textOf(more)).toBe("Hi from llama.");
      const kept = await records(id);
      expect(kept.model).toBe("llama-test:3b");
      expect(kept.records.filter((record) => record.type === "model")).toEqual([
        expect.objectContaining({ provider: "openai", model: "llama-test:3b" }),
      ]);
    }, 60_000);

    it("malformed tool arguments: the model is told what was wrong, and its next call runs", async () => {
      chat.set([
        {
          toolCalls: [
            { name: "run_script", arguments: '{"code": "7 * 6", "description": "mult', id: "call_cut" },
          ],
        },
        { toolCalls: [{ name: "run_script", input: { code: "7 * 6", description: "multiply" } }] },
        { text: "It is 42." },
      ]);
      const { events } = await startSession(fx, { app: "blender", prompt: "what is 7*6?", approval: "auto" });
      expect(events.at(-1)).toEqual({ type: "done", stopReason: "end_turn" });
      const told = toolMessage(1);
      expect(told).toMatchObject({ role: "tool", tool_call_id: "call_cut" });
      expect(told.content).toMatch(
        /^not run: the arguments of your run_script call are not valid JSON \(.+\); they began: \{"code": "7 \* 6", "description": "mult$/,
      );
      expect(toolMessage(2).content).toMatch(/outcome: ok[\s\S]*value: 42/);
      expect(events.filter((event) => event.type === "script-result")).toHaveLength(1);
    }, 60_000);

    it("a reply with no tool call and no text: one hint, then an answer", async () => {
      chat.set([{ text: "" }, { text: "Hello!" }]);
      const { events } = await startSession(fx, { app: "blender", prompt: "hello", approval: "auto" });
      expect(events.at(-1)).toEqual({ type: "done", stopReason: "end_turn" });
      expect(textOf(events)).toBe("Hello!");
      const hinted = chat.completions[1]!.body.messages as Array<{ role: string; content: string }>;
      expect(hinted.map((m) => m.role)).toEqual(["system", "user"]);
      expect(hinted[1]!.content).toBe(
        "hello\n\nYour last reply was empty: no text and no tool call. Call one of the tools (search_docs, read_doc, list_docs, run_script, get_app_state, save_macro, run_macro) through tool calling, or answer in text.".replace(
          "(search_docs, read_doc, list_docs, run_script, get_app_state, save_macro, run_macro)",
          `(${TOOL_DEFINITIONS.map((tool) => tool.name).join(", ")})`,
        ),
      );
    }, 60_000);

    it("two empty replies in a row end the turn with a clear error; the session stays usable", async () => {
      chat.set([{ text: "" }, { text: "" }]);
      const { id, events } = await startSession(fx, { app: "blender", prompt: "hello", approval: "auto" });
      expect(events.at(-1)).toEqual({
        type: "error",
        kind: "bad-reply",
        message: `the model ${MODEL} sent an empty reply (no text and no tool call) again after being told; send the message again, or use a larger model`,
      });
      chat.set([{ text: "Better now." }]);
      expect(textOf(await followUp(fx, id, { text: "hello?" }))).toBe("Better now.");
    }, 60_000);

    it("a tool call written as text gets one hint, then a clear error", async () => {
      const asText = '```json\n{"name": "run_script", "arguments": {"code": "1", "description": "one"}}\n```';
      chat.set([{ text: asText }, { text: asText }]);
      const { events } = await startSession(fx, { app: "blender", prompt: "run 1", approval: "auto" });
      const hint = chat.completions[1]!.body.messages.at(-1);
      expect(hint).toEqual({
        role: "user",
        content:
          "You wrote a call to run_script as text, so it did not run. Tools run only when called through tool calling: call run_script as a tool, with its arguments as one JSON object.",
      });
      expect(events.at(-1)).toMatchObject({ type: "error", kind: "bad-reply" });
      expect(events.at(-1)!.type === "error" && (events.at(-1) as { message: string }).message).toContain(
        "again wrote a call to run_script as text instead of calling the tool",
      );
      expect(events.some((event) => event.type === "script-result")).toBe(false);
    }, 60_000);
  });

  describe("pictures from capture", () => {
    /** The user message that follows the capture call's tool message in the n-th request. */
    const afterCapture = (server: ChatCompletionsServer, request: number) => {
      const sent = server.completions[request]!.body.messages as Array<{ role: string; content: unknown }>;
      return sent[sent.findIndex((message) => message.role === "tool") + 1]!;
    };
    const CAPTURE: ChatReply[] = [
      { toolCalls: [{ name: "capture", input: {} }] },
      { text: "I see the scene." },
    ];

    it("go to a model that takes images as image parts", async () => {
      chat.set(CAPTURE);
      const { events } = await startSession(fx, { app: "blender", prompt: "look", approval: "auto" });
      expect(events.at(-1)).toEqual({ type: "done", stopReason: "end_turn" });
      const shown = afterCapture(chat, 1);
      expect(shown.role).toBe("user");
      expect(shown.content).toEqual([
        { type: "text", text: expect.stringMatching(/^Pictures from tool call call_/) },
        { type: "image_url", image_url: { url: expect.stringMatching(/^data:image\/png;base64,iVBOR/) } },
      ]);
    }, 120_000);

    it("to a model that refuses images, as a line saying the picture was taken and where it is saved", async () => {
      const textOnly = await ChatCompletionsServer.start(CAPTURE, { refuseImages: true });
      try {
        await useOpenAI({ baseUrl: textOnly.url });
        const { id, events } = await startSession(fx, { app: "blender", prompt: "look", approval: "auto" });
        expect(events.at(-1)).toEqual({ type: "done", stopReason: "end_turn" });
        expect(textOf(events)).toBe("I see the scene.");
        // The refused request, then the same turn again with a line instead of the picture.
        const sent = textOnly.completions.at(-1)!.body.messages as Array<{ content: unknown }>;
        expect(JSON.stringify(sent)).not.toContain("image_url");
        const texts = sent.flatMap((message) =>
          typeof message.content === "string"
            ? [message.content]
            : ((message.content ?? []) as Array<{ text?: string }>).flatMap((part) => part.text ?? []),
        );
        const line =
          /\[a picture was taken but is not shown: the model in use does not take images; it is saved at ([^\]]+)\]/.exec(
            texts.join("\n"),
          );
        expect(line, texts.join("\n")).not.toBeNull();
        const saved = line![1]!;
        expect(saved.startsWith(join(fx.dataDir, "sessions", `${id}.pictures`))).toBe(true);
        expect(readFileSync(saved).subarray(1, 4).toString()).toBe("PNG");
      } finally {
        await textOnly.close();
      }
    }, 120_000);
  });

  it("small-model mode sends three tools and a short prompt", async () => {
    await useOpenAI({ smallModel: true });
    chat.set([{ text: "Hi." }]);
    await startSession(fx, { app: "blender", prompt: "hello", approval: "auto" });
    const small = chat.completions[0]!.body;
    await useOpenAI();
    chat.set([{ text: "Hi." }]);
    chat.requests.length = 0;
    await startSession(fx, { app: "blender", prompt: "hello", approval: "auto" });
    const full = chat.completions[0]!.body;
    expect(small.tools.map((tool: { function: { name: string } }) => tool.function.name)).toEqual([
      "search_docs",
      "read_doc",
      "run_script",
    ]);
    expect(small.messages[0].content.length).toBeLessThan(full.messages[0].content.length * 0.75);
    expect(small.messages[0].content).toContain("Never write a tool call as text.");
    expect(small.messages[0].content).toContain("bpy");
  }, 60_000);

  it("GET /api/models lists the endpoint's models and the one in use", async () => {
    const res = await fx.api("/api/models");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      provider: "openai",
      endpoint: chat.url,
      model: MODEL,
      models: [
        expect.objectContaining({ id: "qwen-test:7b" }),
        expect.objectContaining({ id: "llama-test:3b" }),
      ],
    });
    await useOpenAI({ baseUrl: "http://127.0.0.1:9/v1" });
    const down = await fx.api("/api/models");
    expect(down.status).toBe(502);
    expect(((await down.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: "model",
      message: expect.stringMatching(/^could not reach the model endpoint at http:\/\/127\.0\.0\.1:9\/v1/),
    });
  });
});
