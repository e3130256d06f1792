// The OpenAI-compatible provider: the real `openai` client against a scripted chat-completions
// server on 127.0.0.1, streamed and whole: what we send (tools under our names, the history
// mapped both ways, pictures, no machine-describing headers, no key for a local server), what
// we make of the reply (text, tool calls, usage) and how each failure reads.
import type Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import type { ModelConfig } from "../bridge/agent/model-config.js";
import { ModelError } from "../bridge/agent/model-error.js";
import { createModelProvider, type TurnRequest } from "../bridge/agent/model-provider.js";
import { OpenAIChatClient } from "../bridge/agent/openai-client.js";
import { TOOL_DEFINITIONS } from "../bridge/agent/tools.js";
import {
  ChatCompletionsServer,
  type ChatReply,
  type ChatServerOptions,
} from "./helpers/chat-completions-server.js";
import { rejectedWith } from "./helpers/thrown.js";

const servers: ChatCompletionsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(replies: ChatReply[], options?: ChatServerOptions): Promise<ChatCompletionsServer> {
  const server = await ChatCompletionsServer.start(replies, options);
  servers.push(server);
  return server;
}

function config(baseURL: string, overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    provider: "openai",
    model: "qwen-test:7b",
    apiKey: undefined,
    baseURL,
    maxTokens: 1024,
    maxRetries: 0,
    timeoutMs: 10_000,
    ...overrides,
  };
}

function turn(overrides: Partial<TurnRequest> = {}): TurnRequest {
  return {
    system: [
      { type: "text", text: "You write scripts.", cache_control: { type: "ephemeral" } },
      { type: "text", text: "Host: blender-1." },
    ],
    tools: TOOL_DEFINITIONS,
    messages: [{ role: "user", content: "Make a cube." }],
    ...overrides,
  };
}

/** The turn must fail with a ModelError; returns it for assertions. */
const failure = (turn: Promise<unknown>) => rejectedWith(ModelError, turn);

const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/** A history with a tool call, its result (text and a picture) and a follow-up. */
const HISTORY: Anthropic.MessageParam[] = [
  { role: "user", content: "Show me the scene." },
  {
    role: "assistant",
    content: [
      { type: "text", text: "Let me look." },
      { type: "tool_use", id: "toolu_1", name: "run_script", input: { code: "1 + 1", description: "add" } },
    ],
  },
  {
    role: "user",
    content: [
      {
        type: "tool_result",
        tool_use_id: "toolu_1",
        content: [
          { type: "text", text: "outcome: ok\nvalue: 2" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
        ],
      },
      { type: "text", text: "And now?" },
    ],
  },
];

describe.each([
  ["streamed", true],
  ["whole", false],
])("OpenAI-compatible provider, %s replies", (_label, stream) => {
  const make = (url: string, overrides: Partial<ModelConfig> = {}) =>
    createModelProvider(config(url, { ...(stream ? {} : { stream: false }), ...overrides }));

  it("sends our tools under their names and the system prompt, and reads text, tool calls and usage", async () => {
    const server = await serve([
      {
        text: "I'll add a cube.",
        toolCalls: [
          {
            name: "run_script",
            input: { code: "bpy.ops.mesh.primitive_cube_add()", description: "cube" },
            id: "call_a",
          },
        ],
        usage: { prompt_tokens: 120, completion_tokens: 30, cached_tokens: 20 },
      },
    ]);
    const client = make(server.url);
    expect(client.provider).toBe("openai");
    const deltas: string[] = [];
    const message = await client.streamTurn(turn(), (delta) => deltas.push(delta));

    const sent = server.completions[0]!.body;
    expect(sent.model).toBe("qwen-test:7b");
    expect(sent.stream === true).toBe(stream);
    expect(sent.max_tokens).toBe(1024);
    expect(sent.temperature).toBeUndefined();
    expect(
      sent.tools.map((tool: { type: string; function: { name: string } }) => [tool.type, tool.function.name]),
    ).toEqual(TOOL_DEFINITIONS.map((tool) => ["function", tool.name]));
    const runScript = sent.tools.find(
      (tool: { function: { name: string } }) => tool.function.name === "run_script",
    );
    expect(runScript.function.parameters).toMatchObject({
      type: "object",
      required: ["code", "description"],
    });
    expect(runScript.function.parameters.$schema).toBeUndefined();
    expect(sent.messages[0]).toEqual({ role: "system", content: "You write scripts.\n\nHost: blender-1." });
    expect(sent.messages[1]).toEqual({ role: "user", content: "Make a cube." });

    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "text", text: "I'll add a cube.", citations: null },
      expect.objectContaining({
        type: "tool_use",
        id: "call_a",
        name: "run_script",
        input: { code: "bpy.ops.mesh.primitive_cube_add()", description: "cube" },
      }),
    ]);
    expect(message.toolInputErrors).toBeUndefined();
    expect(message.usage).toMatchObject({
      input_tokens: 100,
      output_tokens: 30,
      cache_read_input_tokens: 20,
    });
    expect(deltas.join("")).toBe("I'll add a cube.");
    if (stream) expect(deltas.length).toBeGreaterThan(1);
  });

  it("maps the history both ways: tool calls, tool results, pictures as image parts", async () => {
    const server = await serve([{ text: "A cube." }]);
    await make(server.url).streamTurn(turn({ messages: HISTORY }));
    const messages = server.completions[0]!.body.messages;
    expect(messages.slice(1)).toEqual([
      { role: "user", content: "Show me the scene." },
      {
        role: "assistant",
        content: "Let me look.",
        tool_calls: [
          {
            id: "toolu_1",
            type: "function",
            function: {
              name: "run_script",
              arguments: JSON.stringify({ code: "1 + 1", description: "add" }),
            },
          },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "outcome: ok\nvalue: 2" },
      {
        role: "user",
        content: [
          { type: "text", text: "Pictures from tool call toolu_1:" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
          { type: "text", text: "And now?" },
        ],
      },
    ]);
  });

  it("sends no key and no headers describing the machine to a local server; a key when there is one", async () => {
    const server = await serve([{ text: "one" }, { text: "two" }]);
    await make(server.url).streamTurn(turn());
    await make(server.url, { apiKey: "sk-local-0123456789" }).streamTurn(turn());
    const [keyless, keyed] = server.completions;
    expect(keyless!.headers.authorization).toBeUndefined();
    expect(keyed!.headers.authorization).toBe("Bearer sk-local-0123456789");
    for (const request of server.completions) {
      const machine = Object.keys(request.headers).filter((name) =>
        /^x-stainless-(os|arch|runtime|runtime-version|lang|package-version|retry-count|timeout)$/.test(name),
      );
      expect(machine).toEqual([]);
    }
  });

  it("turns arguments that are not valid JSON into an error for the model, naming what was wrong", async () => {
    const server = await serve([
      {
        toolCalls: [
          { name: "run_script", arguments: '{"code": "print(1)", "description": ', id: "call_bad" },
          { name: "search_docs", arguments: '"{\\"query\\": \\"cube\\"}"', id: "call_twice" },
          { name: "read_doc", arguments: "[1, 2]", id: "call_array" },
        ],
      },
    ]);
    const message = await make(server.url).streamTurn(turn());
    expect(message.stop_reason).toBe("tool_use");
    const uses = message.content.filter((block) => block.type === "tool_use") as Anthropic.ToolUseBlock[];
    expect(uses.map((use) => use.input)).toEqual([{}, { query: "cube" }, {}]);
    expect(Object.keys(message.toolInputErrors ?? {})).toEqual(["call_bad", "call_array"]);
    expect(message.toolInputErrors!.call_bad).toMatch(
      /^the arguments of your run_script call are not valid JSON \(.+\); they began: \{"code": "print\(1\)", "description":$/,
    );
    expect(message.toolInputErrors!.call_array).toBe(
      "the arguments of your read_doc call must be one JSON object, not an array",
    );
  });

  it("returns a reply with no text and no tool call as an empty message (the loop answers it)", async () => {
    const server = await serve([{ text: "" }]);
    const message = await make(server.url).streamTurn(turn());
    expect(message.content).toEqual([]);
    expect(message.stop_reason).toBe("end_turn");
  });

  it("a model the endpoint does not have: names the model, the endpoint and how to list its models", async () => {
    const server = await serve([{ text: "never" }]);
    const error = await failure(make(server.url, { model: "qwen-nope" }).streamTurn(turn()));
    expect(error.kind).toBe("bad-request");
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      `not found at ${server.url}: no model "qwen-nope" there, or the base URL is wrong (it usually ends in /v1): model "qwen-nope" not found, try pulling it first; \`scriptwright models\` lists what the endpoint offers`,
    );
  });

  it("a broken reply is a bad-stream error, not a crash", async () => {
    const server = await serve([{ malformed: "garbage" }, { malformed: "truncated" }]);
    const client = make(server.url);
    for (let i = 0; i < 2; i++) {
      const error = await failure(client.streamTurn(turn()));
      expect(error.kind).toBe("bad-stream");
      expect(error.message).toContain(server.url);
    }
  });
});

describe("OpenAI-compatible provider failures", () => {
  it("an endpoint that is down: a clear error naming it and where the address comes from", async () => {
    const server = await serve([]);
    const url = server.url;
    await server.close();
    const error = await failure(createModelProvider(config(url)).streamTurn(turn()));
    expect(error.kind).toBe("network");
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(
      new RegExp(
        `^could not reach the model endpoint at ${url.replaceAll(".", "\\.")} \\(.*ECONNREFUSED.*\\); is the server running\\?`,
      ),
    );
    expect(error.message).toContain("--base-url, OPENAI_BASE_URL or base-url in config.json");
  });

  it("no model chosen: says how to choose one, without a request", async () => {
    const server = await serve([{ text: "never" }]);
    const error = await failure(createModelProvider(config(server.url, { model: "" })).streamTurn(turn()));
    expect(error.kind).toBe("missing-model");
    expect(error.message).toContain(`no model chosen for the OpenAI-compatible endpoint at ${server.url}`);
    expect(error.message).toContain("scriptwright models");
    expect(server.requests).toHaveLength(0);
  });

  it("a key the endpoint refuses, and a key it wants but did not get, say which and where to set it", async () => {
    const server = await serve([{ status: 401, message: "Incorrect API key provided" }, { status: 401 }]);
    const keyed = await failure(
      createModelProvider(
        config(server.url, {
          apiKey: "sk-bad-0123456789",
          apiKeySource: { kind: "environment", variable: "OPENAI_API_KEY" },
        }),
      ).streamTurn(turn()),
    );
    expect(keyed.kind).toBe("auth");
    expect(keyed.message).toContain("it came from OPENAI_API_KEY in the bridge's environment");
    expect(keyed.message).toContain("Incorrect API key provided");
    const keyless = await failure(createModelProvider(config(server.url)).streamTurn(turn()));
    expect(keyless.message).toContain(
      "no key was sent: set OPENAI_API_KEY in the bridge's environment or `scriptwright config set openai-api-key`",
    );
  });

  it("a model without tool support is named as such", async () => {
    const server = await serve([
      { status: 400, message: "registry.ollama.ai/library/gemma:2b does not support tools" },
    ]);
    const error = await failure(createModelProvider(config(server.url)).streamTurn(turn()));
    expect(error.message).toContain('the model "qwen-test:7b" at');
    expect(error.message).toContain("does not support tool calling");
  });

  it("a model that takes no pictures gets the turn again with a line in place of each", async () => {
    const server = await serve([{ text: "I see the value is 2." }, { text: "Still 2." }], {
      models: ["text-only:1b"],
      refuseImages: true,
    });
    const client = createModelProvider(config(server.url, { model: "text-only:1b" }));
    const message = await client.streamTurn(turn({ messages: HISTORY }));
    expect(message.content).toEqual([{ type: "text", text: "I see the value is 2.", citations: null }]);
    const [refused, again] = server.completions;
    expect(JSON.stringify(refused!.body.messages)).toContain("image_url");
    expect(JSON.stringify(again!.body.messages)).not.toContain("image_url");
    const tool = again!.body.messages.find((m: { role: string }) => m.role === "tool");
    expect(tool.content).toBe(
      "outcome: ok\nvalue: 2\n[a picture was taken but is not shown: the model in use does not take images]",
    );
    expect(again!.body.messages.at(-1)).toEqual({ role: "user", content: "And now?" });
    // Remembered: the next turn does not try pictures again; it says where the session keeps them.
    await createModelProvider(config(server.url, { model: "text-only:1b" })).streamTurn(
      turn({ messages: HISTORY, pictureFile: (image) => `/data/pictures/${image.source.type}.png` }),
    );
    expect(server.completions).toHaveLength(3);
    expect(JSON.stringify(server.completions[2]!.body.messages)).not.toContain("image_url");
    expect(
      server.completions[2]!.body.messages.find((m: { role: string }) => m.role === "tool").content,
    ).toBe(
      "outcome: ok\nvalue: 2\n[a picture was taken but is not shown: the model in use does not take images; it is saved at /data/pictures/base64.png]",
    );
  });

  it("an endpoint that wants max_completion_tokens gets it", async () => {
    const server = await serve([
      {
        status: 400,
        message:
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      },
      { text: "ok" },
    ]);
    const message = await createModelProvider(config(server.url)).streamTurn(turn());
    expect(message.content).toEqual([{ type: "text", text: "ok", citations: null }]);
    expect(server.completions[1]!.body.max_completion_tokens).toBe(1024);
    expect(server.completions[1]!.body.max_tokens).toBeUndefined();
  });

  it("lists the endpoint's models", async () => {
    const server = await serve([]);
    const client = new OpenAIChatClient(config(server.url));
    expect(await client.listModels()).toEqual([
      { id: "qwen-test:7b", createdAt: new Date(1_760_000_000_000).toISOString(), ownedBy: "library" },
      { id: "llama-test:3b", createdAt: new Date(1_760_000_000_000).toISOString(), ownedBy: "library" },
    ]);
    const down = await serve([]);
    const url = down.url;
    await down.close();
    const error = await failure(new OpenAIChatClient(config(url)).listModels());
    expect(error.kind).toBe("network");
  });
});
