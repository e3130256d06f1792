// Which model the agent talks to, and how: resolved once from the CLI flag, the environment and
// <dataDir>/config.json, so the rest of the bridge gets plain values.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { registerSecret } from "../security/redact.js";

/** The current Sonnet. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

export interface ModelConfig {
  model: string;
  apiKey: string | undefined;
  baseURL: string | undefined;
  maxTokens: number;
  maxRetries: number;
  timeoutMs: number;
}

const DEFAULT_MAX_TOKENS = 8192;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_TIMEOUT_MS = 120_000;

interface FileConfig {
  model?: string;
  maxTokens?: number;
}

/** Model: flag > SCRIPTWRIGHT_MODEL > config.json > DEFAULT_MODEL. Key and base URL come from the environment only. */
export function resolveModelConfig(options: {
  model?: string;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}): ModelConfig {
  const env = options.env ?? process.env;
  const file = readConfigFile(join(options.dataDir, "config.json"));
  registerSecret(nonEmpty(env.ANTHROPIC_API_KEY), "API key");
  return {
    model: nonEmpty(options.model) ?? nonEmpty(env.SCRIPTWRIGHT_MODEL) ?? file.model ?? DEFAULT_MODEL,
    apiKey: nonEmpty(env.ANTHROPIC_API_KEY),
    baseURL: nonEmpty(env.ANTHROPIC_BASE_URL),
    maxTokens: file.maxTokens ?? DEFAULT_MAX_TOKENS,
    maxRetries: DEFAULT_MAX_RETRIES,
    timeoutMs: DEFAULT_TIMEOUT_MS,
  };
}

/** An empty or blank value (e.g. `ANTHROPIC_API_KEY=`) counts as unset. */
function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function readConfigFile(path: string): FileConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); fix or delete it`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path} must hold a JSON object, like {"model": "${DEFAULT_MODEL}"}`);
  }
  const { model, maxTokens } = parsed as Record<string, unknown>;
  if (model !== undefined && (typeof model !== "string" || !model.trim())) {
    throw new Error(`${path}: "model" must be a non-empty string`);
  }
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && (maxTokens as number) > 0)) {
    throw new Error(`${path}: "maxTokens" must be a positive integer`);
  }
  return { model: (model as string | undefined)?.trim(), maxTokens: maxTokens as number | undefined };
}
