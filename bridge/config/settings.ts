// The model settings a person keeps in <data-dir>/config.json, one entry each: the name the
// `config` command uses, the field in the file and the HTTP API, what may override it, and
// the rule a value must meet. A new setting (issue 19: provider, base URL) is one more entry.
// Rules are data checked by hand, not zod: `config` must start fast, and zod alone costs more
// than the rest of the command (as with bridge.json in discovery.ts); the HTTP route builds
// its zod schema from the same rules.

/** Where a value in effect came from, in the order they win: a flag, the environment, the file, the default. */
export type SettingSource = "flag" | "environment" | "config" | "default";

export const PRECEDENCE = "flag > environment > config.json > default";

/** The current Sonnet. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

export type SettingRule =
  | {
      kind: "string";
      min: number;
      max: number;
      /** Characters the whole value must consist of, and how to say so. */
      pattern: RegExp;
      patternText: string;
    }
  | { kind: "integer"; min: number; max: number };

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
  readonly default?: string | number;
  readonly rule: SettingRule;
  /** One line for `config` help. */
  readonly describe: string;
}

/** A value's characters: printable ASCII without spaces (keys and model names never hold others). */
const NO_SPACES = /^[\x21-\x7e]+$/;

export const SETTINGS = [
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
    name: "model",
    field: "model",
    env: ["SCRIPTWRIGHT_MODEL"],
    flag: "--model",
    default: DEFAULT_MODEL,
    rule: { kind: "string", min: 1, max: 128, pattern: NO_SPACES, patternText: "no spaces" },
    describe: `the model sessions use (default ${DEFAULT_MODEL})`,
  },
  {
    name: "max-tokens",
    field: "maxTokens",
    env: [],
    default: 8192,
    rule: { kind: "integer", min: 1, max: 1_000_000 },
    describe: "the most output tokens per model turn (default 8192)",
  },
] as const satisfies readonly SettingSpec[];

export type SettingField = (typeof SETTINGS)[number]["field"];
export type SettingValues = Partial<Record<SettingField, string | number>>;

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

/** A value typed on the command line, in the setting's type (a number for integers). */
export function fromText(spec: SettingSpec, text: string): string | number {
  const trimmed = text.trim();
  if (spec.rule.kind === "integer" && /^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed;
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
  return `no API key: the bridge reads ANTHROPIC_API_KEY from its own environment or \`api-key\` in ${configFile} (set it with \`scriptwright config set api-key\`)`;
}
