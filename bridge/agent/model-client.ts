// The Anthropic provider: one streamed model turn on the official SDK, with every failure turned
// into a ModelError whose one-line message tells the user what to do. Retries are the SDK's own
// (408/409/429/5xx and connection errors only), so a rejected key or a bad request fails at once.
import Anthropic, {
  AnthropicError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "@anthropic-ai/sdk";
import { missingKeyMessage } from "../config/settings.js";
import type { ModelConfig } from "./model-config.js";
import { droppedConnection, ModelError, type ModelErrorKind, oneLine, rootCause } from "./model-error.js";
import type { ModelInfo, ModelProvider, TurnRequest } from "./model-provider.js";
import { NO_PLATFORM_HEADERS } from "./no-telemetry.js";

export { ModelError, type ModelErrorKind, type TurnRequest };

const DEFAULT_BASE_URL = "https://api.anthropic.com";

export class ModelClient implements ModelProvider {
  readonly provider = "anthropic" as const;
  private readonly config: ModelConfig;
  /** Null without a key: the SDK would otherwise go looking for credentials elsewhere. */
  private readonly client: Anthropic | null;

  constructor(config: ModelConfig) {
    this.config = config;
    this.client = config.apiKey
      ? new Anthropic({
          apiKey: config.apiKey,
          // null, not undefined: the base URL was already resolved from our own env in ModelConfig.
          baseURL: config.baseURL ?? null,
          maxRetries: config.maxRetries,
          timeout: config.timeoutMs,
          // Failures reach the user as ModelErrors; SDK console logging only on request.
          logLevel: process.env.ANTHROPIC_LOG ? undefined : "off",
          defaultHeaders: NO_PLATFORM_HEADERS,
        })
      : null;
  }

  get model(): string {
    return this.config.model;
  }

  get endpoint(): string {
    return this.baseURL;
  }

  get smallModel(): boolean {
    return this.config.smallModel === true;
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const client = this.requireClient();
    try {
      const models: ModelInfo[] = [];
      for await (const info of client.models.list({ limit: 1000 }, { signal })) {
        models.push({ id: info.id, displayName: info.display_name, createdAt: info.created_at });
      }
      return models;
    } catch (error) {
      throw this.toModelError(error, { signal, stalled: false });
    }
  }

  private requireClient(): Anthropic {
    if (this.client) return this.client;
    throw new ModelError(
      "missing-key",
      missingKeyMessage(this.config.configPath ?? "<data-dir>/config.json"),
    );
  }

  /** One model turn, streamed: calls onText for each text delta; resolves with the final Message (content blocks incl. tool_use, stop_reason, usage). */
  async streamTurn(request: TurnRequest, onText?: (delta: string) => void): Promise<Anthropic.Message> {
    const client = this.requireClient();
    const { signal } = request;
    if (signal?.aborted) throw new ModelError("cancelled", "cancelled");

    // No sampling parameters: the current API version rejects temperature/top_p/top_k.
    const stream = client.messages.stream(
      {
        model: this.config.model,
        max_tokens: request.maxTokens ?? this.config.maxTokens,
        system: request.system,
        tools: request.tools,
        messages: request.messages,
      },
      { signal },
    );

    // The SDK's timeout covers only the wait for response headers; a stream that goes quiet
    // afterwards would hang forever, so an idle watchdog aborts it.
    let stalled = false;
    let idle: NodeJS.Timeout | undefined;
    const rearm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        stalled = true;
        stream.abort();
      }, this.config.timeoutMs);
    };
    stream.on("connect", rearm);
    stream.on("streamEvent", rearm);

    // A throwing callback must not be mistaken for a broken stream: stop, then rethrow it as is.
    let callbackError: { error: unknown } | undefined;
    stream.on("text", (delta) => {
      if (!onText || callbackError) return;
      try {
        onText(delta);
      } catch (error) {
        callbackError = { error };
        stream.abort();
      }
    });

    try {
      return await stream.finalMessage();
    } catch (error) {
      if (callbackError) throw callbackError.error;
      throw this.toModelError(error, { signal, stalled });
    } finally {
      clearTimeout(idle);
    }
  }

  /** Where the key came from and how to replace it, so a rejected key can be fixed where it lives. */
  private get keyAdvice(): string {
    const from = this.config.apiKeySource;
    if (!from) return "check ANTHROPIC_API_KEY";
    return from.kind === "config"
      ? `it came from \`api-key\` in ${from.path}; replace it with \`scriptwright config set api-key\` or in the chat panel`
      : `it came from ${from.variable} in the bridge's environment; fix it there and restart the bridge, or unset it there and use \`scriptwright config set api-key\``;
  }

  private get baseURL(): string {
    return this.client?.baseURL ?? this.config.baseURL ?? DEFAULT_BASE_URL;
  }

  private toModelError(error: unknown, context: { signal: AbortSignal | undefined; stalled: boolean }) {
    if (error instanceof ModelError) return error;
    const seconds = Math.round(this.config.timeoutMs / 100) / 10;
    if (context.signal?.aborted) return new ModelError("cancelled", "cancelled", { cause: error });
    if (context.stalled) {
      return new ModelError(
        "timeout",
        `the API stream from ${this.baseURL} stalled (no data for ${seconds} s)`,
        {
          cause: error,
        },
      );
    }
    if (error instanceof APIUserAbortError) return new ModelError("cancelled", "cancelled", { cause: error });
    // Timeout is a subclass of connection error, so it goes first.
    if (error instanceof APIConnectionTimeoutError) {
      return new ModelError("timeout", `the API at ${this.baseURL} did not answer within ${seconds} s`, {
        cause: error,
      });
    }
    if (error instanceof APIConnectionError) {
      return new ModelError(
        "network",
        `could not reach the API at ${this.baseURL} (${rootCause(error)}); check the network or ANTHROPIC_BASE_URL`,
        { cause: error },
      );
    }
    if (error instanceof APIError) return this.fromStatus(error);
    if (droppedConnection(error)) {
      return new ModelError(
        "network",
        `the connection to the API at ${this.baseURL} dropped mid-response (${rootCause(error)})`,
        { cause: error },
      );
    }
    // What is left is the SDK failing to read the stream: bad JSON, wrong event order, no message_stop.
    if (error instanceof AnthropicError || error instanceof SyntaxError) {
      return new ModelError(
        "bad-stream",
        `the API sent a broken response stream: ${oneLine(error.message)}`,
        {
          cause: error,
        },
      );
    }
    return error;
  }

  private fromStatus(error: APIError): ModelError {
    const { status } = error;
    const detail = oneLine(error.apiMessage ?? error.message);
    const said = detail ? `: ${detail}` : "";
    const make = (kind: ModelErrorKind, message: string) =>
      new ModelError(kind, message, { status, cause: error });

    if (status === 529 || error.type === "overloaded_error") {
      return make("overloaded", `the API is overloaded; try again in a little while${said}`);
    }
    // No status: an `error` event sent inside an otherwise good stream.
    if (status === undefined) return make("bad-stream", `the API reported an error mid-stream${said}`);
    if (status === 401) return make("auth", `the API key was rejected (${this.keyAdvice})${said}`);
    if (status === 402) return make("permission", `the Anthropic account has a billing problem${said}`);
    if (status === 403)
      return make("permission", `the API key is not allowed to do this (permission denied)${said}`);
    if (status === 404) {
      return make(
        "bad-request",
        `not found: check the model name "${this.config.model}" and ANTHROPIC_BASE_URL${said}`,
      );
    }
    if (status === 408) return make("timeout", `the API timed out the request${said}`);
    if (status === 429) {
      const after = error.headers?.get("retry-after");
      const wait = after ? ` (the API asks to retry after ${after} s)` : "";
      return make("rate-limit", `rate limited by the API${wait}${said}`);
    }
    if (status >= 500) return make("server", `the API had a server error (HTTP ${status})${said}`);
    return make("bad-request", `the API rejected the request (HTTP ${status})${said}`);
  }
}
