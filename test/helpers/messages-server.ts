// A scripted stand-in for the Messages API on 127.0.0.1: the real SDK talks to it over HTTP and
// gets the same SSE event sequence (or error bodies) the API sends, one scripted reply per request.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type Anthropic from "@anthropic-ai/sdk";
import { closeServer } from "./close-server.js";

type UsageCounts = {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
};

export type ScriptedReply =
  | {
      text?: string;
      toolUses?: Array<{ name: string; input: unknown; id?: string }>;
      stopReason?: "end_turn" | "tool_use" | "max_tokens";
      usage?: Partial<UsageCounts>;
    }
  /** An HTTP error; `error` defaults to the API's type for the status. */
  | { status: number; error?: { type: string; message: string }; headers?: Record<string, string> }
  /** A broken stream; `error` sets the body of the "error-event" kind. */
  | { malformed: "garbage" | "truncated" | "error-event"; error?: { type: string; message: string } }
  /** Sends some text deltas, then never finishes (for cancel and stall tests). */
  | { stallAfterText: string };

/** The request body as sent; unknown fields (e.g. a stray `temperature`) stay visible. */
export type RecordedBody = Partial<Anthropic.MessageStreamParams> & Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: RecordedBody;
}

type Script = ScriptedReply[] | ((request: RecordedRequest, index: number) => ScriptedReply);

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  504: "timeout_error",
  529: "overloaded_error",
};

export class MessagesServer {
  readonly requests: RecordedRequest[] = [];
  private served = 0;

  private constructor(
    private readonly server: Server,
    private readonly script: Script,
    readonly url: string,
  ) {}

  static async start(replies: Script): Promise<MessagesServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    const { port } = server.address() as AddressInfo;
    const instance = new MessagesServer(server, replies, `http://127.0.0.1:${port}`);
    server.on("request", (req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        raw += chunk;
      });
      req.on("end", () => {
        instance.handle(req.method ?? "GET", req.url ?? "/", req.headers, raw, res);
      });
    });
    return instance;
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
    let body: RecordedBody;
    try {
      body = JSON.parse(raw || "{}") as RecordedBody;
    } catch {
      return sendError(res, 400, { type: "invalid_request_error", message: "body is not valid JSON" });
    }
    const request: RecordedRequest = { method, path, headers, body };
    this.requests.push(request);

    if (method !== "POST" || path !== "/v1/messages") {
      return sendError(res, 404, { type: "not_found_error", message: `no route ${method} ${path}` });
    }
    if (!headers["x-api-key"] && !headers.authorization) {
      return sendError(res, 401, { type: "authentication_error", message: "x-api-key header is required" });
    }
    // Only requests that reach the script use up a reply; the 401/404 above do not.
    const index = this.served++;
    const reply = Array.isArray(this.script) ? this.script[index] : this.script(request, index);
    if (!reply) {
      const scripted = Array.isArray(this.script) ? ` of ${this.script.length}` : "";
      return sendError(res, 500, {
        type: "api_error",
        message: `MessagesServer: the script ran out (reply #${index + 1} requested${scripted})`,
      });
    }
    const stream = body.stream === true;
    const model = typeof body.model === "string" ? body.model : "unknown-model";

    if ("status" in reply) {
      const type = ERROR_TYPES[reply.status] ?? (reply.status >= 500 ? "api_error" : "invalid_request_error");
      return sendError(
        res,
        reply.status,
        reply.error ?? { type, message: `scripted ${reply.status}` },
        reply.headers,
      );
    }
    if ("malformed" in reply) return sendMalformed(res, reply.malformed, reply.error, model, stream);
    if ("stallAfterText" in reply) return sendStall(res, reply.stallAfterText, model);
    const message = buildMessage(reply, model);
    if (!stream) return sendJson(res, 200, message);
    return sendStream(res, message);
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", "request-id": requestId(), ...headers });
  res.end(JSON.stringify(value));
}

function sendError(
  res: ServerResponse,
  status: number,
  error: { type: string; message: string },
  headers?: Record<string, string>,
) {
  sendJson(res, status, { type: "error", error }, headers);
}

function requestId(): string {
  return `req_test_${randomUUID().replaceAll("-", "")}`;
}

function toolId(): string {
  return `toolu_test_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
}

type ReplyContent = Extract<ScriptedReply, { text?: string }>;

function buildMessage(reply: ReplyContent, model: string): Anthropic.Message {
  const content: Anthropic.ContentBlock[] = [];
  if (reply.text !== undefined) content.push({ type: "text", text: reply.text, citations: null });
  for (const use of reply.toolUses ?? []) {
    content.push({
      type: "tool_use",
      id: use.id ?? toolId(),
      name: use.name,
      input: use.input,
      caller: { type: "direct" },
    });
  }
  const usage = reply.usage ?? {};
  return {
    id: `msg_test_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: reply.stopReason ?? (reply.toolUses?.length ? "tool_use" : "end_turn"),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: usage.input_tokens ?? 25,
      output_tokens: usage.output_tokens ?? 10,
      cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
      cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
      cache_creation: null,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: "standard",
      speed: null,
    },
  };
}

function startStream(res: ServerResponse) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "request-id": requestId(),
  });
}

function sse(res: ServerResponse, type: string, data: unknown) {
  res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** A few pieces, so a client sees several deltas per block. */
function chunks(text: string, count = 3): string[] {
  if (text.length <= 1) return [text];
  const size = Math.ceil(text.length / count);
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

/** message_start carries input usage and empty content; output_tokens arrive with message_delta. */
function messageStart(res: ServerResponse, message: Anthropic.Message) {
  sse(res, "message_start", {
    type: "message_start",
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...message.usage, output_tokens: 1 },
    },
  });
  sse(res, "ping", { type: "ping" });
}

function textBlock(res: ServerResponse, index: number, text: string, pieces = chunks(text)) {
  sse(res, "content_block_start", {
    type: "content_block_start",
    index,
    content_block: { type: "text", text: "", citations: null },
  });
  for (const piece of pieces) {
    sse(res, "content_block_delta", {
      type: "content_block_delta",
      index,
      delta: { type: "text_delta", text: piece },
    });
  }
}

function sendStream(res: ServerResponse, message: Anthropic.Message) {
  startStream(res);
  messageStart(res, message);
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      textBlock(res, index, block.text);
    } else if (block.type === "tool_use") {
      sse(res, "content_block_start", {
        type: "content_block_start",
        index,
        content_block: { ...block, input: {} },
      });
      for (const piece of chunks(JSON.stringify(block.input))) {
        sse(res, "content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: piece },
        });
      }
    }
    sse(res, "content_block_stop", { type: "content_block_stop", index });
  });
  sse(res, "message_delta", {
    type: "message_delta",
    delta: { stop_reason: message.stop_reason, stop_sequence: null, stop_details: null, container: null },
    usage: {
      output_tokens: message.usage.output_tokens,
      input_tokens: message.usage.input_tokens,
      cache_read_input_tokens: message.usage.cache_read_input_tokens,
      cache_creation_input_tokens: message.usage.cache_creation_input_tokens,
    },
  });
  sse(res, "message_stop", { type: "message_stop" });
  res.end();
}

function sendMalformed(
  res: ServerResponse,
  kind: "garbage" | "truncated" | "error-event",
  error: { type: string; message: string } | undefined,
  model: string,
  stream: boolean,
) {
  const message = buildMessage({ text: "Hello there, this is cut short" }, model);
  if (!stream) {
    // The non-streaming equivalents: a body that is not JSON, cut JSON, an error body.
    if (kind === "error-event")
      return sendError(res, 500, error ?? { type: "api_error", message: "Internal server error" });
    res.writeHead(200, { "content-type": "application/json", "request-id": requestId() });
    return res.end(kind === "garbage" ? "<html>Bad gateway</html>" : JSON.stringify(message).slice(0, 40));
  }
  startStream(res);
  if (kind === "garbage") {
    res.write("event: message_start\ndata: {this is not json\n\n");
    return res.end();
  }
  messageStart(res, message);
  textBlock(res, 0, "Hello there, ", ["Hello ", "there, "]);
  if (kind === "truncated") {
    // Ends cleanly at the HTTP level, mid-event and without message_stop.
    res.write('event: content_block_delta\ndata: {"type":"content_block_delta","ind');
    return res.end();
  }
  sse(res, "error", {
    type: "error",
    error: error ?? { type: "api_error", message: "Internal server error" },
  });
  res.end();
}

function sendStall(res: ServerResponse, text: string, model: string) {
  startStream(res);
  messageStart(res, buildMessage({ text }, model));
  textBlock(res, 0, text);
  // Left open on purpose: close() drops the connection.
}

/**
 * Replies a test sets per case: `set([...])` replaces them and starts from the first;
 * retries made by the SDK consume replies too. Pass `responder` to MessagesServer.start.
 */
export function scriptedReplies() {
  let replies: ScriptedReply[] = [];
  let cursor = 0;
  return {
    set(list: ScriptedReply[]): void {
      replies = list;
      cursor = 0;
    },
    responder: (): ScriptedReply =>
      replies[cursor++] ?? {
        status: 500,
        error: { type: "api_error", message: "the test's scripted replies ran out" },
      },
  };
}
