// What the agent loop needs from a model, whoever serves it: one turn on Anthropic-shaped
// messages (the loop's history stays in that shape for every provider; only the wire format
// differs) and the list of models the endpoint offers. createModelProvider picks the client
// for the provider in effect; the OpenAI one (and its SDK) is loaded only when used.
import type Anthropic from "@anthropic-ai/sdk";
import { ModelClient } from "./model-client.js";
import type { ModelConfig, Provider } from "./model-config.js";
import { OpenAIChatClient } from "./openai-client.js";

export interface TurnRequest {
  system: Anthropic.TextBlockParam[];
  tools: Anthropic.Tool[];
  messages: Anthropic.MessageParam[];
  maxTokens?: number;
  signal?: AbortSignal;
  /** Where the session keeps a picture in its history, said to a model that cannot be shown it. */
  pictureFile?: (image: Anthropic.ImageBlockParam) => string | undefined;
}

/**
 * A turn's reply. `toolInputErrors` names the tool calls whose arguments could not be read
 * (by tool_use id; their input is `{}`), so the loop tells the model what was wrong
 * instead of running them.
 */
export type TurnMessage = Anthropic.Message & { toolInputErrors?: Record<string, string> };

export interface ModelInfo {
  id: string;
  /** A human name, where the endpoint gives one. */
  displayName?: string;
  createdAt?: string;
  ownedBy?: string;
}

export interface ModelProvider {
  readonly provider: Provider;
  readonly model: string;
  /** Where requests go (the endpoint's base URL). */
  readonly endpoint: string;
  readonly smallModel: boolean;
  /** One model turn: calls onText for each text delta; resolves with the whole reply. */
  streamTurn(request: TurnRequest, onText?: (delta: string) => void): Promise<TurnMessage>;
  /** The endpoint's models (`GET /v1/models`), every failure a ModelError. */
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
}

export function createModelProvider(config: ModelConfig): ModelProvider {
  return (config.provider ?? "anthropic") === "openai"
    ? new OpenAIChatClient(config)
    : new ModelClient(config);
}
