// A scripted stand-in for an OpenAI-compatible endpoint (what Ollama, LM Studio, vLLM and
// llama.cpp serve) on 127.0.0.1: the real `openai` client talks to it over HTTP. POST
// /v1/chat/completions answers one scripted reply per request, whole or streamed as the request
// asks (SSE chunks, tool calls in pieces, usage last, [DONE]); GET /v1/models lists its models,
// and an unknown model is refused with 404 as Ollama does.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer } from "./close-server.js";

export type ChatReply =
  | {
      text?: string;
      /** `arguments` is sent as is (to script malformed ones); `input` is sent as its JSON. */
      toolCalls?: Array<{ name: string; input?: unknown; arguments?: string; id?: string }>;
      finishReason?: "stop" | "tool_calls" | "length";
      usage?: { prompt_tokens?: number; completion_tokens?: number; cached_tokens?: number };
    }
  /** An HTTP error with the endpoint's own body ({error: {message, type}}). */
  | { status: number; message?: string }
  /** A broken answer: not JSON, or a stream cut mid-chunk. */
  | { malformed: "garbage" | "truncated" }
  /** Streams some text, then never finishes (cancel tests). */
  | { stallAfterText: string };

export interface ChatRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: the body is whatever the client sent
  body: Record<string, any>;
}

export interface ChatServerOptions {
  /** Models GET /v1/models lists; a completion for another is refused with 404. */
  models?: string[];
  /** Refuse requests whose messages hold image parts, as a text-only model's server does. */
  refuseImages?: boolean;
}

type Script = ChatReply[] | ((request: ChatRequest, index: number) => ChatReply);

export class ChatCompletionsServer {
  readonly requests: ChatRequest[] = [];
  private served = 0;

  private constructor(
    private readonly server: Server,
    private script: Script,
    readonly options: Required<ChatServerOptions>,
    /** The base URL a client is given: it ends in /v1, as the servers' own do. */
    readonly url: string,
  ) {}

  static async start(script: Script, options: ChatServerOptions = {}): Promise<ChatCompletionsServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    const { port } = server.address() as AddressInfo;
    const instance = new ChatCompletionsServer(
      server,
      script,
      {
        models: options.models ?? ["qwen-test:7b", "llama-test:3b"],
        refuseImages: options.refuseImages ?? false,
      },
      `http://127.0.0.1:${port}/v1`,
    );
    server.on("request", (req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        raw += chunk;
      });
      req.on("end", () => instance.handle(req.method ?? "GET", req.url ?? "/", req.headers, raw, res));
    });
    return instance;
  }

  /** Replaces the replies and starts from the first. */
  set(script: Script): void {
    this.script = script;
    this.served = 0;
  }

  /** The requests that reached POST /v1/chat/completions. */
  get completions(): ChatRequest[] {
    return this.requests.filter((request) => request.path === "/v1/chat/completions");
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private handle(
    method: string,
    url: string,
    headers: IncomingHttpHeaders,
    raw: string,
    res: ServerResponse,
  ) {
    const path = url.split("?")[0] ?? url;
    let body: ChatRequest["body"];
    try {
      body = JSON.parse(raw || "{}");
    } catch {
      return sendError(res, 400, "body is not valid JSON");
    }
    this.requests.push({ method, path, headers, body });
    if (method === "GET" && path === "/v1/models") {
      return sendJson(res, 200, {
        object: "list",
        data: this.options.models.map((id) => ({
          id,
          object: "model",
          created: 1_760_000_000,
          owned_by: "library",
        })),
      });
    }
    if (method !== "POST" || path !== "/v1/chat/completions")
      return sendError(res, 404, `404 page not found`);
    const model = String(body.model ?? "");
    if (!this.options.models.includes(model)) {
      return sendError(res, 404, `model "${model}" not found, try pulling it first`, "not_found_error");
    }
    if (this.options.refuseImages && JSON.stringify(body.messages ?? []).includes('"image_url"')) {
      return sendError(res, 400, "this model does not support image input");
    }
    const index = this.served++;
    const reply = Array.isArray(this.script) ? this.script[index] : this.script(this.requests.at(-1)!, index);
    if (!reply) return sendError(res, 500, `ChatCompletionsServer: the script ran out (reply #${index + 1})`);
    if ("status" in reply) return sendError(res, reply.status, reply.message ?? `scripted ${reply.status}`);
    const stream = body.stream === true;
    if ("malformed" in reply) return sendMalformed(res, reply.malformed, stream);
    if ("stallAfterText" in reply) {
      startStream(res);
      chunk(res, model, { role: "assistant", content: reply.stallAfterText }, null);
      return; // left open: close() drops it
    }
    if (!stream) return sendJson(res, 200, completion(reply, model));
    return sendStream(res, reply, model, body.stream_options?.include_usage === true);
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function sendError(res: ServerResponse, status: number, message: string, type = "invalid_request_error") {
  sendJson(res, status, { error: { message, type, param: null, code: null } });
}

type Content = Extract<ChatReply, { text?: string }>;

function toolCalls(reply: Content) {
  return (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? `call_${randomUUID().replaceAll("-", "").slice(0, 12)}`,
    type: "function" as const,
    function: { name: call.name, arguments: call.arguments ?? JSON.stringify(call.input ?? {}) },
  }));
}

function usage(reply: Content) {
  const prompt = reply.usage?.prompt_tokens ?? 30;
  const completion = reply.usage?.completion_tokens ?? 12;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: reply.usage?.cached_tokens ?? 0 },
  };
}

function finish(reply: Content): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? "tool_calls" : "stop");
}

function completion(reply: Content, model: string) {
  const calls = toolCalls(reply);
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: reply.text ?? null,
          ...(calls.length ? { tool_calls: calls } : {}),
        },
        finish_reason: finish(reply),
      },
    ],
    usage: usage(reply),
  };
}

function startStream(res: ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
}

function chunk(res: ServerResponse, model: string, delta: unknown, finishReason: string | null, extra = {}) {
  const body = {
    id: "chatcmpl-stream",
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
    ...extra,
  };
  res.write(`data: ${JSON.stringify(body)}\n\n`);
}

/** A few pieces, so a client sees several deltas. */
function pieces(text: string, count = 3): string[] {
  if (text.length <= 1) return [text];
  const size = Math.ceil(text.length / count);
  const out: string[] = [];
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size));
  return out;
}

function sendStream(res: ServerResponse, reply: Content, model: string, includeUsage: boolean) {
  startStream(res);
  chunk(res, model, { role: "assistant", content: "" }, null);
  if (reply.text) for (const piece of pieces(reply.text)) chunk(res, model, { content: piece }, null);
  toolCalls(reply).forEach((call, index) => {
    chunk(
      res,
      model,
      {
        tool_calls: [
          { index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } },
        ],
      },
      null,
    );
    for (const piece of pieces(call.function.arguments))
      chunk(res, model, { tool_calls: [{ index, function: { arguments: piece } }] }, null);
  });
  chunk(res, model, {}, finish(reply));
  if (includeUsage) {
    res.write(
      `data: ${JSON.stringify({ id: "chatcmpl-stream", object: "chat.completion.chunk", created: 0, model, choices: [], usage: usage(reply) })}\n\n`,
    );
  }
  res.write("data: [DONE]\n\n");
  res.end();
}

function sendMalformed(res: ServerResponse, kind: "garbage" | "truncated", stream: boolean) {
  if (!stream) {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(
      kind === "garbage" ? "<html>Bad gateway</html>" : '{"id": "chatcmpl-x", "choices": [{"ind',
    );
  }
  startStream(res);
  if (kind === "garbage") {
    res.write("data: {this is not json\n\n");
    return res.end();
  }
  res.write(
    'data: {"id":"chatcmpl-x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel',
  );
  res.end();
}
