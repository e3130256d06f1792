// The OpenAI-compatible provider (Ollama, LM Studio, vLLM, llama.cpp server, hosted ones): one
// chat-completions turn through the official `openai` client, loaded on first use, with every
// failure a ModelError whose message names the endpoint and what to do. The wire mapping lives
// in openai-wire.ts; this file talks to the endpoint.
import type OpenAI from "openai";
import type { ModelConfig } from "./model-config.js";
import { droppedConnection, ModelError, type ModelErrorKind, oneLine, rootCause } from "./model-error.js";
import type { ModelInfo, ModelProvider, TurnMessage, TurnRequest } from "./model-provider.js";
import { NO_PLATFORM_HEADERS } from "./no-telemetry.js";
import {
  hasPictures,
  partsOfCompletion,
  type ReplyParts,
  StreamedReply,
  toChatMessages,
  toChatTools,
  toTurnMessage,
} from "./openai-wire.js";

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

type Sdk = typeof import("openai");
let sdk: Promise<Sdk> | null = null;
/** The SDK is loaded only by a bridge that uses this provider. */
const loadSdk = (): Promise<Sdk> => {
  sdk ??= import("openai");
  return sdk;
};

/** Endpoint and model pairs that refused pictures: later turns send them as a line of text. */
const refusesPictures = new Set<string>();
/** Endpoints that refused `max_tokens` (hosted reasoning models): they get max_completion_tokens. */
const wantsCompletionTokens = new Set<string>();

export class OpenAIChatClient implements ModelProvider {
  readonly provider = "openai" as const;
  private client: OpenAI | null = null;
  /** The loaded SDK, for telling its errors apart. */
  private sdk: Sdk | null = null;

  constructor(private readonly config: ModelConfig) {}

  get model(): string {
    return this.config.model;
  }

  get endpoint(): string {
    return this.config.baseURL ?? DEFAULT_BASE_URL;
  }

  get smallModel(): boolean {
    return this.config.smallModel === true;
  }

  async streamTurn(request: TurnRequest, onText?: (delta: string) => void): Promise<TurnMessage> {
    const { signal } = request;
    if (!this.config.model) throw new ModelError("missing-model", this.missingModelMessage());
    if (signal?.aborted) throw new ModelError("cancelled", "cancelled");
    const client = await this.sdkClient();
    const pair = `${this.endpoint} ${this.model}`;
    const tools = toChatTools(request.tools);
    for (let attempt = 0; ; attempt++) {
      const messages = toChatMessages(request, { images: !refusesPictures.has(pair) });
      const limit = request.maxTokens ?? this.config.maxTokens;
      const body = {
        model: this.config.model,
        messages,
        ...(tools.length ? { tools } : {}),
        ...(wantsCompletionTokens.has(this.endpoint)
          ? { max_completion_tokens: limit }
          : { max_tokens: limit }),
      };
      try {
        const parts =
          this.config.stream === false
            ? await this.whole(client, body, signal, onText)
            : await this.streamed(client, body, signal, onText);
        return toTurnMessage(parts, this.config.model);
      } catch (error) {
        // Each adjustment is tried once; the second failure is reported as it is.
        if (attempt < 2 && isRefusal(error, /image|vision|multi-?modal/i) && hasPictures(messages)) {
          refusesPictures.add(pair);
          continue;
        }
        if (
          attempt < 2 &&
          isRefusal(error, /max_completion_tokens/) &&
          !wantsCompletionTokens.has(this.endpoint)
        ) {
          wantsCompletionTokens.add(this.endpoint);
          continue;
        }
        throw this.toModelError(error, signal);
      }
    }
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const client = await this.sdkClient();
    try {
      const models: ModelInfo[] = [];
      for await (const info of client.models.list({ signal })) {
        models.push({
          id: info.id,
          ...(typeof info.created === "number" && info.created > 0
            ? { createdAt: new Date(info.created * 1000).toISOString() }
            : {}),
          ...(info.owned_by ? { ownedBy: info.owned_by } : {}),
        });
      }
      return models;
    } catch (error) {
      throw this.toModelError(error, signal, { listing: true });
    }
  }

  private async sdkClient(): Promise<OpenAI> {
    if (this.client) return this.client;
    this.sdk = await loadSdk();
    this.client = new this.sdk.OpenAI({
      // Local servers need no key: the client wants one, so it gets a stand-in it never sends.
      apiKey: this.config.apiKey ?? "no-key",
      baseURL: this.endpoint,
      // Everything is passed here, so nothing comes from the SDK's own reading of the environment.
      organization: null,
      project: null,
      webhookSecret: null,
      adminAPIKey: null,
      maxRetries: this.config.maxRetries,
      timeout: this.config.timeoutMs,
      logLevel: process.env.OPENAI_LOG ? undefined : "off",
      defaultHeaders: {
        ...NO_PLATFORM_HEADERS,
        ...(this.config.apiKey ? {} : { Authorization: null }),
      },
    });
    return this.client;
  }

  private async whole(
    client: OpenAI,
    body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
    signal: AbortSignal | undefined,
    onText: ((delta: string) => void) | undefined,
  ): Promise<ReplyParts> {
    const completion = await client.chat.completions.create({ ...body, stream: false }, { signal });
    const parts = partsOfCompletion(completion);
    if (!parts)
      throw new ModelError("bad-stream", `the endpoint at ${this.endpoint} answered with no choices`);
    if (parts.text) onText?.(parts.text);
    return parts;
  }

  private async streamed(
    client: OpenAI,
    body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
    signal: AbortSignal | undefined,
    onText: ((delta: string) => void) | undefined,
  ): Promise<ReplyParts> {
    // The SDK's timeout covers only the wait for headers; a stream that goes quiet afterwards
    // would hang forever, so an idle watchdog aborts it.
    const idleStop = new AbortController();
    const both = signal ? AbortSignal.any([signal, idleStop.signal]) : idleStop.signal;
    let idle: NodeJS.Timeout | undefined;
    const rearm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => idleStop.abort(new StalledError()), this.config.timeoutMs);
    };
    rearm();
    const reply = new StreamedReply();
    try {
      const stream = await client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        { signal: both },
      );
      for await (const chunk of stream) {
        rearm();
        const text = reply.add(chunk);
        // A throwing callback is the caller's failure, not the stream's: it propagates as it is.
        if (text && onText) {
          try {
            onText(text);
          } catch (error) {
            throw new CallbackError(error);
          }
        }
      }
      // Every server ends a reply with a finish reason: a stream without one was cut short.
      if (!reply.parts.finishReason) {
        throw new ModelError(
          "bad-stream",
          `the stream from ${this.endpoint} ended before the reply was complete`,
        );
      }
      return reply.parts;
    } catch (error) {
      if (error instanceof CallbackError) throw error.error;
      if (idleStop.signal.aborted && !signal?.aborted) {
        const seconds = Math.round(this.config.timeoutMs / 100) / 10;
        throw new ModelError(
          "timeout",
          `the stream from ${this.endpoint} stalled (no data for ${seconds} s)`,
          {
            cause: error,
          },
        );
      }
      throw error;
    } finally {
      clearTimeout(idle);
    }
  }

  private missingModelMessage(): string {
    return `no model chosen for the OpenAI-compatible endpoint at ${this.endpoint}: pick one in the chat panel, or set one with \`scriptwright config set model NAME\`, $SCRIPTWRIGHT_MODEL or --model (\`scriptwright models\` lists what the endpoint offers)`;
  }

  /** Where the key came from (or that there is none), so a refusal can be fixed where it lives. */
  private get keyAdvice(): string {
    const from = this.config.apiKeySource;
    if (!this.config.apiKey)
      return "no key was sent: set OPENAI_API_KEY in the bridge's environment or `scriptwright config set openai-api-key`";
    if (!from) return "check OPENAI_API_KEY";
    return from.kind === "config"
      ? `it came from \`openai-api-key\` in ${from.path}; replace it with \`scriptwright config set openai-api-key\``
      : `it came from ${from.variable} in the bridge's environment; fix it there and restart the bridge`;
  }

  private toModelError(error: unknown, signal: AbortSignal | undefined, context: { listing?: boolean } = {}) {
    if (error instanceof ModelError) return error;
    if (signal?.aborted) return new ModelError("cancelled", "cancelled", { cause: error });
    const at = this.endpoint;
    const seconds = Math.round(this.config.timeoutMs / 100) / 10;
    const errors = this.sdk;
    if (!errors) return error;
    if (error instanceof errors.APIUserAbortError)
      return new ModelError("cancelled", "cancelled", { cause: error });
    // Timeout is a subclass of connection error, so it goes first.
    if (error instanceof errors.APIConnectionTimeoutError) {
      return new ModelError("timeout", `the model endpoint at ${at} did not answer within ${seconds} s`, {
        cause: error,
      });
    }
    if (error instanceof errors.APIConnectionError) {
      return new ModelError(
        "network",
        `could not reach the model endpoint at ${at} (${rootCause(error)}); is the server running? The address comes from --base-url, OPENAI_BASE_URL or base-url in config.json`,
        { cause: error },
      );
    }
    if (error instanceof errors.APIError) return this.fromStatus(error, context);
    if (droppedConnection(error)) {
      return new ModelError("network", `the connection to ${at} dropped mid-response (${rootCause(error)})`, {
        cause: error,
      });
    }
    if (error instanceof SyntaxError || error instanceof errors.OpenAIError) {
      return new ModelError(
        "bad-stream",
        `the endpoint at ${at} sent a response that is not valid: ${oneLine((error as Error).message)}`,
        { cause: error },
      );
    }
    return error;
  }

  private fromStatus(error: ApiErrorLike, context: { listing?: boolean }): ModelError {
    const { status } = error;
    const at = this.endpoint;
    const detail = oneLine(apiMessage(error));
    const said = detail ? `: ${detail}` : "";
    const make = (kind: ModelErrorKind, message: string) =>
      new ModelError(kind, message, { status, cause: error });
    if (status === undefined)
      return make("bad-stream", `the endpoint at ${at} reported an error mid-stream${said}`);
    if (status === 401)
      return make("auth", `the endpoint at ${at} refused the request (${this.keyAdvice})${said}`);
    if (status === 403)
      return make("permission", `the endpoint at ${at} does not allow this (permission denied)${said}`);
    if (status === 404) {
      return make(
        "bad-request",
        context.listing
          ? `the endpoint at ${at} has no model list (HTTP 404): check the base URL (it usually ends in /v1)${said}`
          : `not found at ${at}: no model "${this.model}" there, or the base URL is wrong (it usually ends in /v1)${said}; \`scriptwright models\` lists what the endpoint offers`,
      );
    }
    if (status === 408) return make("timeout", `the endpoint at ${at} timed out the request${said}`);
    if (status === 429) return make("rate-limit", `rate limited by the endpoint at ${at}${said}`);
    if (/tool/i.test(detail) && /support/i.test(detail)) {
      return make(
        "bad-request",
        `the model "${this.model}" at ${at} does not support tool calling${said}; pick one that does (\`scriptwright models\` lists what the endpoint offers)`,
      );
    }
    if (status >= 500)
      return make("server", `the endpoint at ${at} had a server error (HTTP ${status})${said}`);
    return make("bad-request", `the endpoint at ${at} rejected the request (HTTP ${status})${said}`);
  }
}

interface ApiErrorLike extends Error {
  status: number | undefined;
  error?: unknown;
}

/** The SDK's APIError family, told apart by shape so the SDK need not be loaded to check. */
function isApiError(error: unknown): error is ApiErrorLike {
  return error instanceof Error && "status" in error && "headers" in error && "error" in error;
}

/** The endpoint's own words: OpenAI's {error: {message}}, Ollama's and llama.cpp's {error: "…"}. */
function apiMessage(error: ApiErrorLike): string {
  const body = error.error as { message?: unknown } | string | undefined;
  if (typeof body === "string") return body;
  if (body && typeof body.message === "string") return body.message;
  return error.message.replace(/^\d{3}\s*/, "");
}

/** A refusal of the request as sent (not of the key, the rate or the connection) that names `pattern`. */
function isRefusal(error: unknown, pattern: RegExp): boolean {
  if (!isApiError(error) || error.status === undefined) return false;
  if ([401, 403, 404, 408, 429].includes(error.status)) return false;
  return pattern.test(apiMessage(error));
}

class StalledError extends Error {
  override name = "StalledError";
}

class CallbackError extends Error {
  constructor(readonly error: unknown) {
    super("callback failed");
  }
}
