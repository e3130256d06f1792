// Which model the agent talks to, and how: resolved from the CLI flag, the bridge's environment
// and <dataDir>/config.json (bridge/config), so the rest of the bridge gets plain values.
import type { ResolvedSettings } from "../config/resolve.js";
import { resolveSettings } from "../config/resolve.js";
import { DEFAULT_MODEL } from "../config/settings.js";

export { DEFAULT_MODEL };

export type KeySource = { kind: "environment"; variable: string } | { kind: "config"; path: string };

export interface ModelConfig {
  model: string;
  apiKey: string | undefined;
  /** Where the key came from, for the errors that send a person to fix it where it lives. */
  apiKeySource?: KeySource;
  /** The config.json a missing key can be stored in. */
  configPath?: string;
  baseURL: string | undefined;
  maxTokens: number;
  maxRetries: number;
  timeoutMs: number;
}

const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_TIMEOUT_MS = 120_000;

/** Model: flag > SCRIPTWRIGHT_MODEL > config.json > default; key: ANTHROPIC_API_KEY > config.json; base URL: the environment. */
export function resolveModelConfig(options: {
  model?: string;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}): ModelConfig {
  const env = options.env ?? process.env;
  const settings = resolveSettings({ dataDir: options.dataDir, env, flags: { model: options.model } });
  const { apiKey, model, maxTokens } = settings;
  return {
    model: String(model.value),
    apiKey: apiKey.value === undefined ? undefined : String(apiKey.value),
    ...(apiKey.value === undefined ? {} : { apiKeySource: keySource(settings) }),
    configPath: settings.path,
    baseURL: nonEmpty(env.ANTHROPIC_BASE_URL),
    maxTokens: Number(maxTokens.value),
    maxRetries: DEFAULT_MAX_RETRIES,
    timeoutMs: DEFAULT_TIMEOUT_MS,
  };
}

function keySource(settings: ResolvedSettings): KeySource {
  const { source, from } = settings.apiKey;
  return source === "environment" && from
    ? { kind: "environment", variable: from }
    : { kind: "config", path: settings.path };
}

/** An empty or blank value (e.g. `ANTHROPIC_BASE_URL=`) counts as unset. */
function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
