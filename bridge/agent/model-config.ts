// Which model the agent talks to, and how: resolved from the CLI flags, the bridge's environment
// and <dataDir>/config.json (bridge/config), so the rest of the bridge gets plain values.
import type { ResolvedSettings, SettingFlags } from "../config/resolve.js";
import { providerOf, resolveSettings } from "../config/resolve.js";
import { DEFAULT_MODEL, keyFieldFor, type Provider } from "../config/settings.js";

export type { Provider };
export { DEFAULT_MODEL };

export type KeySource = { kind: "environment"; variable: string } | { kind: "config"; path: string };

export interface ModelConfig {
  /** Absent: anthropic (configs made before there was a choice). */
  provider?: Provider;
  /** Empty when the provider has no default and none is set (an OpenAI-compatible endpoint). */
  model: string;
  /** The provider's own key: the Anthropic key is never sent to another endpoint. */
  apiKey: string | undefined;
  /** Where the key came from, for the errors that send a person to fix it where it lives. */
  apiKeySource?: KeySource;
  /** The config.json a missing key can be stored in. */
  configPath?: string;
  baseURL: string | undefined;
  maxTokens: number;
  maxRetries: number;
  timeoutMs: number;
  /** A shorter tool list and prompt for small local models. */
  smallModel?: boolean;
  /** false: ask for whole replies (servers that cannot stream tool calls). */
  stream?: boolean;
}

const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_TIMEOUT_MS = 120_000;

export type ModelFlags = Pick<SettingFlags, "provider" | "baseUrl" | "model" | "smallModel">;

/**
 * Each setting: flag > environment > config.json > default. The provider decides which key
 * (ANTHROPIC_API_KEY / api-key, or OPENAI_API_KEY / openai-api-key) and which base URL
 * variable (ANTHROPIC_BASE_URL or OPENAI_BASE_URL) count.
 */
export function resolveModelConfig(options: {
  model?: string;
  flags?: ModelFlags;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}): ModelConfig {
  const env = options.env ?? process.env;
  const flags = { ...options.flags, ...(options.model ? { model: options.model } : {}) };
  const settings = resolveSettings({ dataDir: options.dataDir, env, flags });
  const provider = providerOf(settings.provider);
  const key = settings[keyFieldFor(provider)];
  const { model, maxTokens, baseUrl } = settings;
  return {
    ...(provider === "anthropic" ? {} : { provider }),
    model: model.value === undefined ? "" : String(model.value),
    apiKey: key.value === undefined ? undefined : String(key.value),
    ...(key.value === undefined ? {} : { apiKeySource: keySource(settings, provider) }),
    configPath: settings.path,
    baseURL: baseUrl.value === undefined ? undefined : String(baseUrl.value),
    maxTokens: Number(maxTokens.value),
    maxRetries: DEFAULT_MAX_RETRIES,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    ...(settings.smallModel.value === true ? { smallModel: true } : {}),
    ...(settings.stream.value === false ? { stream: false } : {}),
  };
}

function keySource(settings: ResolvedSettings, provider: Provider): KeySource {
  const { source, from } = settings[keyFieldFor(provider)];
  return source === "environment" && from
    ? { kind: "environment", variable: from }
    : { kind: "config", path: settings.path };
}
