// The real SDK against a scripted Messages API on 127.0.0.1: streaming, tool use, usage, the
// request we send, config precedence, and how every failure becomes a ModelError.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ModelClient, ModelError, type TurnRequest } from "../bridge/agent/model-client.js";
import { DEFAULT_MODEL, type ModelConfig, resolveModelConfig } from "../bridge/agent/model-config.js";
import { MessagesServer, type ScriptedReply } from "./helpers/messages-server.js";
import { rejectedWith } from "./helpers/thrown.js";

const TOOL: Anthropic.Tool = {
  name: "run_script",
  description: "Runs a script in the app.",
  input_schema: { type: "object", properties: { code: { type: "string" } }, required: ["code"] },
};

const servers: MessagesServer[] = [];
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(replies: ScriptedReply[]): Promise<MessagesServer> {
  const server = await MessagesServer.start(replies);
  servers.push(server);
  return server;
}

function config(baseURL: string, overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    model: "claude-sonnet-5-5",
    apiKey: "sk-ant-test-key",
    baseURL,
    maxTokens: 1024,
    maxRetries: 0,
    // Longer than any test may take: a test that meets a timeout meets the one it set itself.
    timeoutMs: 600_000,
    ...overrides,
  };
}

function turn(overrides: Partial<TurnRequest> = {}): TurnRequest {
  return {
    system: [{ type: "text", text: "You write scripts.", cache_control: { type: "ephemeral" } }],
    tools: [TOOL],
    messages: [{ role: "user", content: "Make a cube." }],
    ...overrides,
  };
}

/** The turn must fail with a ModelError; returns it for assertions. */
const failure = (turn: Promise<unknown>) => rejectedWith(ModelError, turn);

/** A TCP server for failures the scripted HTTP server cannot produce; returns its URL. */
async function rawServer(onSocket: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    // close() waits for open sockets, so drop them first.
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("ModelClient streaming", () => {
  it("streams text in deltas and resolves with the final message", async () => {
    const text = "Here is a cube at the origin, one unit wide.";
    const server = await serve([{ text }]);
    const deltas: string[] = [];
    const message = await new ModelClient(config(server.url)).streamTurn(turn(), (delta) =>
      deltas.push(delta),
    );

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(text);
    expect(message.content).toEqual([{ type: "text", text, citations: null }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.role).toBe("assistant");
    expect(message.id).toMatch(/^msg_/);
  });

  it("returns tool_use blocks with their input parsed", async () => {
    const input = {
      code: "import bpy\nbpy.ops.mesh.primitive_cube_add(size=2)",
      options: { undo: true, n: [1, 2] },
    };
    const server = await serve([
      {
        text: "Adding the cube.",
        toolUses: [
          { name: "run_script", input, id: "toolu_fixed_1" },
          { name: "search_docs", input: { query: "primitive_cube_add" } },
        ],
      },
    ]);
    const message = await new ModelClient(config(server.url)).streamTurn(turn());

    expect(message.stop_reason).toBe("tool_use");
    const uses = message.content.filter(
      (block): block is Anthropic.ToolUseBlock => block.type === "tool_use",
    );
    expect(uses.map((use) => use.name)).toEqual(["run_script", "search_docs"]);
    expect(uses[0]?.id).toBe("toolu_fixed_1");
    expect(uses[0]?.input).toEqual(input);
    expect(uses[1]?.input).toEqual({ query: "primitive_cube_add" });
    expect(uses[1]?.id).toMatch(/^toolu_/);
    expect(message.content[0]).toMatchObject({ type: "text", text: "Adding the cube." });
  });

  it("returns content that can be sent back as the next turn's history unchanged", async () => {
    const server = await serve([
      { toolUses: [{ name: "run_script", input: { code: "print(1)" }, id: "toolu_a" }] },
      { text: "Printed 1." },
    ]);
    const client = new ModelClient(config(server.url));
    const first = await client.streamTurn(turn());
    const messages: Anthropic.MessageParam[] = [
      ...turn().messages,
      { role: "assistant", content: first.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_a", content: "1" }] },
    ];
    await client.streamTurn(turn({ messages }));

    // No stream bookkeeping (partial JSON buffers) leaks into what is sent back.
    expect(server.requests[1]?.body.messages?.[1]).toEqual({
      role: "assistant",
      content: [
        {
          type: "tool_use",
          id: "toolu_a",
          name: "run_script",
          input: { code: "print(1)" },
          caller: { type: "direct" },
        },
      ],
    });
    expect(server.requests[1]?.body.messages?.[2]).toEqual(messages[2]);
  });

  it("reports usage, cache fields included", async () => {
    const usage = {
      input_tokens: 120,
      output_tokens: 45,
      cache_read_input_tokens: 3000,
      cache_creation_input_tokens: 800,
    };
    const server = await serve([{ text: "ok", usage, stopReason: "max_tokens" }]);
    const message = await new ModelClient(config(server.url)).streamTurn(turn());

    expect(message.usage).toMatchObject(usage);
    expect(message.stop_reason).toBe("max_tokens");
  });

  it("sends the configured model and max_tokens, the request as given, and no sampling parameters", async () => {
    const server = await serve([{ text: "one" }, { text: "two" }]);
    const client = new ModelClient(config(server.url, { model: "claude-test-model", maxTokens: 2048 }));
    expect(client.model).toBe("claude-test-model");
    const messages: Anthropic.MessageParam[] = [
      { role: "user", content: "Make a cube." },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_1", name: "run_script", input: { code: "x" } }],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "done" }] },
    ];
    await client.streamTurn(turn({ messages }));
    await client.streamTurn(turn({ maxTokens: 99 }));

    const [first, second] = server.requests;
    expect(first?.path).toBe("/v1/messages");
    expect(first?.body.model).toBe("claude-test-model");
    expect(first?.body.max_tokens).toBe(2048);
    expect(first?.body.stream).toBe(true);
    for (const name of ["temperature", "top_p", "top_k"]) expect(first?.body).not.toHaveProperty(name);
    expect(first?.body.system).toEqual(turn().system);
    expect(first?.body.tools).toEqual([TOOL]);
    expect(first?.body.messages).toEqual(messages);
    expect(first?.headers["anthropic-version"]).toBeTruthy();
    const auth = `${first?.headers["x-api-key"] ?? ""} ${first?.headers.authorization ?? ""}`;
    expect(auth).toContain("sk-ant-test-key");
    expect(second?.body.max_tokens).toBe(99);
    // Nothing describing this machine (OS, CPU, Node version, SDK version) leaves with a request.
    for (const request of server.requests) {
      const machine = Object.keys(request.headers).filter((name) =>
        /^x-stainless-(os|arch|runtime|runtime-version|lang|package-version|retry-count|timeout)$/.test(name),
      );
      expect(machine).toEqual([]);
    }
  });

  it("rethrows an error from onText as is and stops the stream", async () => {
    const server = await serve([{ text: "a fairly long reply split into pieces" }]);
    const boom = new Error("panel went away");
    const promise = new ModelClient(config(server.url)).streamTurn(turn(), () => {
      throw boom;
    });
    await expect(promise).rejects.toBe(boom);
  });
});

describe("resolveModelConfig", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  function dataDir(configJson?: string): string {
    const dir = mkdtempSync(join(tmpdir(), "sw-model-config-"));
    dirs.push(dir);
    if (configJson !== undefined) writeFileSync(join(dir, "config.json"), configJson);
    return dir;
  }

  it("takes the model from the flag, then SCRIPTWRIGHT_MODEL, then config.json, then the default", () => {
    const withFile = dataDir(JSON.stringify({ model: "from-file" }));
    const env = { SCRIPTWRIGHT_MODEL: "from-env" };
    expect(resolveModelConfig({ model: "from-flag", dataDir: withFile, env }).model).toBe("from-flag");
    expect(resolveModelConfig({ dataDir: withFile, env }).model).toBe("from-env");
    expect(resolveModelConfig({ dataDir: withFile, env: {} }).model).toBe("from-file");
    expect(resolveModelConfig({ dataDir: dataDir(), env: {} }).model).toBe(DEFAULT_MODEL);
    expect(resolveModelConfig({ dataDir: dataDir("{}"), env: { SCRIPTWRIGHT_MODEL: " " } }).model).toBe(
      DEFAULT_MODEL,
    );
    expect(DEFAULT_MODEL).toBe("claude-sonnet-5-5");
  });

  it("reads the key and base URL from the environment and has the documented defaults", () => {
    const config = resolveModelConfig({
      dataDir: dataDir(),
      env: { ANTHROPIC_API_KEY: "sk-ant-x", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" },
    });
    expect(config).toEqual({
      model: DEFAULT_MODEL,
      apiKey: "sk-ant-x",
      apiKeySource: { kind: "environment", variable: "ANTHROPIC_API_KEY" },
      configPath: expect.stringMatching(/config\.json$/),
      baseURL: "http://127.0.0.1:9",
      maxTokens: 8192,
      maxRetries: 2,
      timeoutMs: 120_000,
    });
    const bare = resolveModelConfig({ dataDir: dataDir(), env: { ANTHROPIC_API_KEY: "" } });
    expect(bare.apiKey).toBeUndefined();
    expect(bare.baseURL).toBeUndefined();
  });

  it("takes the key from ANTHROPIC_API_KEY, else from config.json, and says which", () => {
    const dir = dataDir(JSON.stringify({ apiKey: "sk-ant-from-the-file-0123456789" }));
    const fromFile = resolveModelConfig({ dataDir: dir, env: {} });
    expect(fromFile.apiKey).toBe("sk-ant-from-the-file-0123456789");
    expect(fromFile.apiKeySource).toEqual({ kind: "config", path: join(dir, "config.json") });
    const fromEnv = resolveModelConfig({ dataDir: dir, env: { ANTHROPIC_API_KEY: "sk-ant-from-env-0123" } });
    expect(fromEnv.apiKey).toBe("sk-ant-from-env-0123");
    expect(fromEnv.apiKeySource).toEqual({ kind: "environment", variable: "ANTHROPIC_API_KEY" });
    const none = resolveModelConfig({ dataDir: dataDir(), env: { ANTHROPIC_API_KEY: " " } });
    expect(none.apiKey).toBeUndefined();
    expect(none.apiKeySource).toBeUndefined();
  });

  it("lets config.json set maxTokens", () => {
    const dir = dataDir(JSON.stringify({ maxTokens: 4000 }));
    expect(resolveModelConfig({ dataDir: dir, env: {} }).maxTokens).toBe(4000);
  });

  it("names the file when config.json is broken", () => {
    const broken = dataDir("{ model: nope");
    expect(() => resolveModelConfig({ dataDir: broken, env: {} })).toThrow(join(broken, "config.json"));
    expect(() => resolveModelConfig({ dataDir: broken, env: {} })).toThrow(/not valid JSON/);
    expect(() => resolveModelConfig({ dataDir: dataDir("[1]"), env: {} })).toThrow(/JSON object/);
    expect(() => resolveModelConfig({ dataDir: dataDir('{"model": 5}'), env: {} })).toThrow(/"model"/);
    expect(() => resolveModelConfig({ dataDir: dataDir('{"apiKey": "a b"}'), env: {} })).toThrow(/"apiKey"/);
    expect(() => resolveModelConfig({ dataDir: dataDir('{"maxTokens": -1}'), env: {} })).toThrow(
      /"maxTokens"/,
    );
    const isDir = dataDir();
    mkdirSync(join(isDir, "config.json"));
    expect(() => resolveModelConfig({ dataDir: isDir, env: {} })).toThrow(join(isDir, "config.json"));
  });
});

describe("ModelClient errors", () => {
  it("fails fast without a key, naming ANTHROPIC_API_KEY, and makes no request", async () => {
    const server = await serve([{ text: "never" }]);
    const client = new ModelClient(config(server.url, { apiKey: undefined }));
    const error = await failure(client.streamTurn(turn()));
    expect(error.kind).toBe("missing-key");
    expect(error.message).toContain("ANTHROPIC_API_KEY");
    expect(error.message).toContain("config set api-key");
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  it("401 is an auth error, with the API's message, and is not retried", async () => {
    const server = await serve([
      { status: 401, error: { type: "authentication_error", message: "invalid x-api-key" } },
      { text: "a retry would get this" },
    ]);
    const error = await failure(new ModelClient(config(server.url, { maxRetries: 2 })).streamTurn(turn()));
    expect(error.kind).toBe("auth");
    expect(error.status).toBe(401);
    expect(error.message).toContain("the API key was rejected (check ANTHROPIC_API_KEY)");
    expect(error.message).toContain("invalid x-api-key");
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it("names the config.json a missing key can be stored in", async () => {
    const client = new ModelClient(
      config("http://127.0.0.1:9", { apiKey: undefined, configPath: "/d/config.json" }),
    );
    const error = await failure(client.streamTurn(turn()));
    expect(error.message).toBe(
      "no API key: the bridge reads ANTHROPIC_API_KEY from its own environment or `api-key` in /d/config.json (set it with `scriptwright config set api-key`); a local model on an OpenAI-compatible server needs no key (`scriptwright config set provider openai`)",
    );
  });

  it("a rejected key says where it came from and how to replace it there", async () => {
    const rejected: ScriptedReply = {
      status: 401,
      error: { type: "authentication_error", message: "invalid x-api-key" },
    };
    const server = await serve([rejected, rejected]);
    const fromFile = new ModelClient(
      config(server.url, { apiKeySource: { kind: "config", path: "/d/config.json" } }),
    );
    const file = await failure(fromFile.streamTurn(turn()));
    expect(file.kind).toBe("auth");
    expect(file.message).toContain("it came from `api-key` in /d/config.json");
    expect(file.message).toContain("scriptwright config set api-key");
    expect(file.message).toContain("invalid x-api-key");
    const fromEnv = new ModelClient(
      config(server.url, { apiKeySource: { kind: "environment", variable: "ANTHROPIC_API_KEY" } }),
    );
    const env = await failure(fromEnv.streamTurn(turn()));
    expect(env.message).toContain("it came from ANTHROPIC_API_KEY in the bridge's environment");
    expect(env.message).not.toContain("config.json");
  });

  it("403 is a permission error and is not retried", async () => {
    const server = await serve([
      { status: 403, error: { type: "permission_error", message: "key lacks access to this model" } },
    ]);
    const error = await failure(new ModelClient(config(server.url, { maxRetries: 2 })).streamTurn(turn()));
    expect(error.kind).toBe("permission");
    expect(error.status).toBe(403);
    expect(error.message).toContain("key lacks access to this model");
    expect(server.requests).toHaveLength(1);
  });

  it("400 and 404 are bad requests, not retried; 404 names the model", async () => {
    const server = await serve([
      { status: 400, error: { type: "invalid_request_error", message: "temperature is not supported" } },
      { status: 404, error: { type: "not_found_error", message: "model: claude-nope" } },
    ]);
    const client = new ModelClient(config(server.url, { model: "claude-nope", maxRetries: 2 }));
    const bad = await failure(client.streamTurn(turn()));
    expect(bad.kind).toBe("bad-request");
    expect(bad.message).toContain("temperature is not supported");
    const missing = await failure(client.streamTurn(turn()));
    expect(missing.kind).toBe("bad-request");
    expect(missing.status).toBe(404);
    expect(missing.message).toContain('"claude-nope"');
    expect(server.requests).toHaveLength(2);
  });

  it("429 is retried per maxRetries, honouring retry-after, then a rate-limit error", async () => {
    const limited: ScriptedReply = {
      status: 429,
      error: { type: "rate_limit_error", message: "Number of requests has exceeded your rate limit" },
      headers: { "retry-after": "1.5" },
    };
    const replies = [limited, limited, limited, { text: "too late" }];
    const arrivals: number[] = [];
    const server = await MessagesServer.start((_request, index) => {
      arrivals.push(performance.now());
      return replies[index]!;
    });
    servers.push(server);
    const error = await failure(new ModelClient(config(server.url, { maxRetries: 2 })).streamTurn(turn()));
    expect(server.requests).toHaveLength(3);
    // Each retry waited the 1.5 s asked for, where the SDK's own backoff waits at most 0.5 s,
    // then 1 s. A lower bound, which a busy machine cannot break (10 ms for timer rounding).
    const waits = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    expect(
      waits.every((wait) => wait >= 1490),
      `waits ${waits.join(", ")} ms`,
    ).toBe(true);
    expect(error.kind).toBe("rate-limit");
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("retry after 1.5 s");
    expect(error.message).toContain("exceeded your rate limit");
  });

  it("a retried 429 that then succeeds resolves normally", async () => {
    const server = await serve([{ status: 429, headers: { "retry-after": "0.01" } }, { text: "fine now" }]);
    const message = await new ModelClient(config(server.url, { maxRetries: 1 })).streamTurn(turn());
    expect(message.content[0]).toMatchObject({ text: "fine now" });
    expect(server.requests).toHaveLength(2);
  });

  it("500 is retried, then a server error", async () => {
    const broken: ScriptedReply = {
      status: 500,
      error: { type: "api_error", message: "Internal server error" },
      headers: { "retry-after-ms": "5" },
    };
    const server = await serve([broken, broken]);
    const error = await failure(new ModelClient(config(server.url, { maxRetries: 1 })).streamTurn(turn()));
    expect(server.requests).toHaveLength(2);
    expect(error.kind).toBe("server");
    expect(error.status).toBe(500);
    expect(error.message).toContain("HTTP 500");
    expect(error.message).toContain("Internal server error");
  });

  it("529 is overloaded", async () => {
    const server = await serve([{ status: 529, error: { type: "overloaded_error", message: "Overloaded" } }]);
    const error = await failure(new ModelClient(config(server.url)).streamTurn(turn()));
    expect(error.kind).toBe("overloaded");
    expect(error.status).toBe(529);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("Overloaded");
  });

  it("an overloaded_error event inside the stream is overloaded too", async () => {
    const server = await serve([
      { malformed: "error-event", error: { type: "overloaded_error", message: "Overloaded mid-stream" } },
    ]);
    const error = await failure(new ModelClient(config(server.url)).streamTurn(turn()));
    expect(error.kind).toBe("overloaded");
    expect(error.message).toContain("Overloaded mid-stream");
  });

  it.each(["garbage", "truncated", "error-event"] as const)(
    "a %s stream is bad-stream",
    async (malformed) => {
      const server = await serve([{ malformed }]);
      const deltas: string[] = [];
      const error = await failure(
        new ModelClient(config(server.url)).streamTurn(turn(), (delta) => deltas.push(delta)),
      );
      expect(error.kind).toBe("bad-stream");
      expect(error.message).not.toContain("\n");
      if (malformed === "error-event") expect(error.message).toContain("Internal server error");
      if (malformed !== "garbage") expect(deltas.join("")).toBe("Hello there, ");
    },
  );

  it("an exhausted script fails clearly", async () => {
    const server = await serve([]);
    const error = await failure(new ModelClient(config(server.url)).streamTurn(turn()));
    expect(error.kind).toBe("server");
    expect(error.message).toContain("script ran out");
  });

  it("nothing listening is a network error naming the URL", async () => {
    const server = await MessagesServer.start([]);
    const url = server.url;
    await server.close();
    const error = await failure(new ModelClient(config(url)).streamTurn(turn()));
    expect(error.kind).toBe("network");
    expect(error.message).toContain(url);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.retryable).toBe(true);
  });

  it("a server that hangs up is a network error naming the URL, after retries", async () => {
    let connections = 0;
    const url = await rawServer((socket) => {
      connections++;
      socket.destroy();
    });
    const error = await failure(new ModelClient(config(url, { maxRetries: 1 })).streamTurn(turn()));
    expect(error.kind).toBe("network");
    expect(error.message).toContain(url);
    expect(connections).toBe(2);
  });

  it("a connection dropped mid-stream is a network error", async () => {
    const url = await rawServer((socket) => {
      socket.once("data", () => {
        const event = `event: message_start\ndata: ${JSON.stringify({
          type: "message_start",
          message: {
            id: "msg_1",
            type: "message",
            role: "assistant",
            model: "m",
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 1, output_tokens: 1 },
          },
        })}\n\n`;
        const chunk = `${Buffer.byteLength(event).toString(16)}\r\n${event}\r\n`;
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${chunk}`,
        );
        setTimeout(() => socket.destroy(), 50);
      });
    });
    const error = await failure(new ModelClient(config(url)).streamTurn(turn()));
    expect(error.kind).toBe("network");
    expect(error.message).toContain(url);
  });

  it("no response headers within timeoutMs is a timeout", async () => {
    const url = await rawServer(() => {});
    const error = await failure(new ModelClient(config(url, { timeoutMs: 200 })).streamTurn(turn()));
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain(url);
    expect(error.message).toContain("within 0.2 s");
  });

  it("a stream that goes quiet for timeoutMs is a timeout", async () => {
    const server = await serve([{ stallAfterText: "Thinking about it" }]);
    const error = await failure(new ModelClient(config(server.url, { timeoutMs: 300 })).streamTurn(turn()));
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("stalled");
  });

  it("aborting the signal mid-stream stops the turn promptly as cancelled", async () => {
    const server = await serve([{ stallAfterText: "Let me start by" }]);
    const controller = new AbortController();
    const deltas: string[] = [];
    // The stream stalls for good (and the client's timeout is past the test's): only the abort
    // can end this turn.
    const promise = new ModelClient(config(server.url)).streamTurn(
      turn({ signal: controller.signal }),
      (delta) => {
        deltas.push(delta);
        controller.abort();
      },
    );
    const error = await failure(promise);
    expect(error.kind).toBe("cancelled");
    expect(error.retryable).toBe(false);
    expect(deltas.length).toBeGreaterThan(0);
  });

  it("an already aborted signal is cancelled without a request", async () => {
    const server = await serve([{ text: "never" }]);
    const controller = new AbortController();
    controller.abort();
    const error = await failure(
      new ModelClient(config(server.url)).streamTurn(turn({ signal: controller.signal })),
    );
    expect(error.kind).toBe("cancelled");
    expect(server.requests).toHaveLength(0);
  });
});

describe("MessagesServer", () => {
  it("answers a non-streaming request with the whole Message and requires a key header", async () => {
    const server = await serve([{ text: "whole", toolUses: [{ name: "t", input: { a: 1 } }] }]);
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ model: "m", max_tokens: 5, messages: [] }),
      });

    const anonymous = await post({});
    expect(anonymous.status).toBe(401);
    const response = await post({ "x-api-key": "k" });
    expect(response.headers.get("content-type")).toContain("application/json");
    const message = (await response.json()) as Anthropic.Message;
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      model: "m",
      stop_reason: "tool_use",
    });
    expect(message.content).toMatchObject([
      { type: "text", text: "whole" },
      { type: "tool_use", name: "t", input: { a: 1 } },
    ]);
    expect(server.requests.map((request) => request.headers["x-api-key"])).toEqual([undefined, "k"]);
  });
});
