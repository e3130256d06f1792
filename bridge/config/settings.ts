// The model settings a person keeps in <data-dir>/config.json, one entry each: the name the
// `config` command uses, the field in the file and the HTTP API, what may override it, and
// the rule a value must meet. A setting whose environment variable or default depends on the
// provider in effect (base-url, model) says so per provider.
// Rules are data checked by hand, not zod: `config` must start fast, and zod alone costs more
// than the rest of the command (as with bridge.json in discovery.ts); the HTTP route builds
// its zod schema from the same rules.

/** Where a value in effect came from, in the order they win: a flag, the environment, the file, the default. */
export type SettingSource = "flag" | "environment" | "config" | "default";

export const PRECEDENCE = "flag > environment > config.json > default";

/** The current Sonnet. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

/** Who the agent's model requests go to: the Anthropic API, or any OpenAI-compatible chat-completions endpoint. */
export const PROVIDERS = ["anthropic", "openai"] as const;
export type Provider = (typeof PROVIDERS)[number];
export const DEFAULT_PROVIDER: Provider = "anthropic";

export type SettingValue = string | number | boolean;

export type SettingRule =
  | {
      kind: "string";
      min: number;
      max: number;
      /** Characters the whole value must consist of, and how to say so. */
      pattern: RegExp;
      patternText: string;
    }
  | { kind: "integer"; min: number; max: number }
  | { kind: "choice"; choices: readonly string[] }
  | { kind: "boolean" };

export interface SettingSpec {
  /** As `config set NAME` says it. */
  readonly name: string;
  /** The key in config.json and in GET/PUT /api/config. */
  readonly field: string;
  /**
   * A secret's label in redactions ("[redacted: API key]"). A secret is never printed, logged,
   * answered or taken from argv; only a hint of it is shown.
   */
  readonly secret?: string;
  /** Environment variables of the bridge that override config.json (the first set one wins). */
  readonly env: readonly string[];
  /** The command-line flag that overrides the environment, if any. */
  readonly flag?: string;
  readonly default?: SettingValue;
  /** Per provider, in place of `env` and `default` (ANTHROPIC_BASE_URL or OPENAI_BASE_URL; no default model for other endpoints). */
  readonly byProvider?: Partial<Record<Provider, { env?: readonly string[]; default?: SettingValue | null }>>;
  readonly rule: SettingRule;
  /** One line for `config` help. */
  readonly describe: string;
}

/** A value's characters: printable ASCII without spaces (keys and model names never hold others). */
const NO_SPACES = /^[\x21-\x7e]+$/;
const HTTP_URL = /^https?:\/\/[\x21-\x7e]+$/;

export const SETTINGS = [
  {
    name: "provider",
    field: "provider",
    env: ["SCRIPTWRIGHT_PROVIDER"],
    flag: "--provider",
    default: DEFAULT_PROVIDER,
    rule: { kind: "choice", choices: PROVIDERS },
    describe:
      "anthropic (the default) or openai (any OpenAI-compatible endpoint: Ollama, LM Studio, vLLM, llama.cpp, hosted ones)",
  },
  {
    name: "base-url",
    field: "baseUrl",
    env: [],
    byProvider: { anthropic: { env: ["ANTHROPIC_BASE_URL"] }, openai: { env: ["OPENAI_BASE_URL"] } },
    flag: "--base-url",
    rule: {
      kind: "string",
      min: 8,
      max: 2048,
      pattern: HTTP_URL,
      patternText: "an http:// or https:// URL without spaces",
    },
    describe:
      "the endpoint model requests go to (default: the Anthropic API; for openai e.g. http://127.0.0.1:11434/v1)",
  },
  {
    name: "api-key",
    field: "apiKey",
    secret: "API key",
    env: ["ANTHROPIC_API_KEY"],
    rule: {
      kind: "string",
      min: 8,
      max: 1024,
      pattern: NO_SPACES,
      patternText: "printable characters without spaces",
    },
    describe: "the Anthropic API key (read from stdin or asked for, never from the command line)",
  },
  {
    name: "openai-api-key",
    field: "openaiApiKey",
    secret: "OpenAI API key",
    env: ["OPENAI_API_KEY"],
    rule: {
      kind: "string",
      min: 1,
      max: 1024,
      pattern: NO_SPACES,
      patternText: "printable characters without spaces",
    },
    describe: "the key for an OpenAI-compatible endpoint (optional: local servers need none)",
  },
  {
    name: "model",
    field: "model",
    env: ["SCRIPTWRIGHT_MODEL"],
    flag: "--model",
    default: DEFAULT_MODEL,
    byProvider: { openai: { default: null } },
    rule: { kind: "string", min: 1, max: 128, pattern: NO_SPACES, patternText: "no spaces" },
    describe: `the model sessions use (default ${DEFAULT_MODEL}; for openai, one the endpoint lists: scriptwright models)`,
  },
  {
    name: "max-tokens",
    field: "maxTokens",
    env: [],
    default: 8192,
    rule: { kind: "integer", min: 1, max: 1_000_000 },
    describe: "the most output tokens per model turn (default 8192)",
  },
  {
    name: "small-model",
    field: "smallModel",
    env: ["SCRIPTWRIGHT_SMALL_MODEL"],
    flag: "--small-model",
    default: false,
    rule: { kind: "boolean" },
    describe: "a shorter tool list and prompt, for small local models (true or false; default false)",
  },
  {
    name: "stream",
    field: "stream",
    env: [],
    default: true,
    rule: { kind: "boolean" },
    describe:
      "stream model replies (default true; false for an OpenAI-compatible server that cannot stream tool calls)",
  },
] as const satisfies readonly SettingSpec[];

export type SettingField = (typeof SETTINGS)[number]["field"];
export type SettingValues = Partial<Record<SettingField, SettingValue>>;

export const SETTING_NAMES = SETTINGS.map((spec) => spec.name);

export function settingByName(name: string): SettingSpec | undefined {
  return SETTINGS.find((spec) => spec.name === name);
}

/**
 * Why `value` does not meet the setting's rule, or null when it does. The message never
 * quotes the value: it may be a key pasted in the wrong place.
 */
export function settingProblem(spec: SettingSpec, value: unknown): string | null {
  const { rule } = spec;
  if (rule.kind === "boolean")
    return typeof value === "boolean" ? null : `${spec.name} must be true or false`;
  if (rule.kind === "choice") {
    return typeof value === "string" && rule.choices.includes(value)
      ? null
      : `${spec.name} must be one of: ${rule.choices.join(", ")}`;
  }
  if (rule.kind === "integer") {
    if (typeof value !== "number" || !Number.isInteger(value)) return `${spec.name} must be a whole number`;
    if (value < rule.min || value > rule.max)
      return `${spec.name} must be between ${rule.min} and ${rule.max}`;
    return null;
  }
  if (typeof value !== "string") return `${spec.name} must be a string`;
  if (value.length < rule.min || value.length > rule.max) {
    return rule.min === 1
      ? `${spec.name} must be at most ${rule.max} characters`
      : `${spec.name} must be ${rule.min} to ${rule.max} characters long`;
  }
  if (!rule.pattern.test(value)) return `${spec.name} must be ${rule.patternText}`;
  return null;
}

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);

/** A value typed on the command line or set in the environment, in the setting's type (a number for integers, true/false for a switch). */
export function fromText(spec: SettingSpec, text: string): SettingValue {
  const trimmed = text.trim();
  if (spec.rule.kind === "integer" && /^\d+$/.test(trimmed)) return Number(trimmed);
  if (spec.rule.kind === "boolean") {
    const word = trimmed.toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  return trimmed;
}

/** The environment variables that set this setting under the provider in effect. */
export function envFor(spec: SettingSpec, provider: Provider): readonly string[] {
  return spec.byProvider?.[provider]?.env ?? spec.env;
}

/** Its default under the provider in effect (undefined: none). */
export function defaultFor(spec: SettingSpec, provider: Provider): SettingValue | undefined {
  const own = spec.byProvider?.[provider];
  if (own && "default" in own) return own.default ?? undefined;
  return spec.default;
}

/** Which key setting the provider uses: the Anthropic key is never sent to another endpoint. */
export function keyFieldFor(provider: Provider): "apiKey" | "openaiApiKey" {
  return provider === "openai" ? "openaiApiKey" : "apiKey";
}

/**
 * What may be shown of a secret: the first three and last four characters of a long one
 * ("sk-…1234"), nothing of a short one (a hint would give away too much of it).
 */
export function secretHint(secret: string): string {
  return secret.length >= 20 ? `${secret.slice(0, 3)}…${secret.slice(-4)}` : "…";
}

/** What a session, the chat panel and `ask` say when the bridge has no key: where it looks, and how to set one. */
export function missingKeyMessage(configFile: string): string {
  return `no API key: the bridge reads ANTHROPIC_API_KEY from its own environment or \`api-key\` in ${configFile} (set it with \`scriptwright config set api-key\`); a local model on an OpenAI-compatible server needs no key (\`scriptwright config set provider openai\`)`;
}
