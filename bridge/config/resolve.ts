// Which value of each setting is in effect, and where it came from: a flag, then the
// environment, then config.json, then the default. The bridge resolves them afresh for every
// session (so a change to config.json counts without a restart), GET /api/config and
// `config list` show the same answer without the key in it.
import { registerSecret } from "../security/redact.js";
import { ConfigError, configPath, readConfig } from "./config-file.js";
import {
  DEFAULT_PROVIDER,
  defaultFor,
  envFor,
  fromText,
  PRECEDENCE,
  PROVIDERS,
  type Provider,
  SETTINGS,
  type SettingField,
  type SettingSource,
  type SettingSpec,
  type SettingValue,
  secretHint,
  settingProblem,
} from "./settings.js";

export interface Resolved {
  value: SettingValue | undefined;
  source: SettingSource | null;
  /** The flag, the environment variable or the file the value came from. */
  from: string | null;
  /** config.json holds a value for it (which a flag or the environment may override). */
  stored: boolean;
}

export type ResolvedSettings = Record<SettingField, Resolved> & { path: string };

/** What may be shown of one setting: a secret's value never, only whether it is set and a hint. */
export interface SettingView {
  name: string;
  set: boolean;
  source: SettingSource | null;
  from: string | null;
  stored: boolean;
  value?: SettingValue;
  hint?: string;
}

export type ConfigView = { path: string; precedence: string } & Record<SettingField, SettingView>;

export type SettingFlags = Partial<Record<SettingField, string | boolean | undefined>>;

export function resolveSettings(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  flags?: SettingFlags;
}): ResolvedSettings {
  const path = configPath(options.dataDir);
  const file = readConfig(options.dataDir);
  const resolved = { path } as ResolvedSettings;
  // The provider comes first in the table: the others' environment variables and defaults depend on it.
  let provider: Provider = DEFAULT_PROVIDER;
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    const field = spec.field as SettingField;
    const stored = file[field] !== undefined;
    resolved[field] = pick(spec, provider, options.flags?.[field], options.env, file[field], path, stored);
    if (field === "provider") provider = providerOf(resolved.provider);
    // A secret is redacted from all the bridge sends out, the one in effect and a stored one
    // that the environment overrides alike (a script may read the file).
    if (spec.secret) {
      for (const value of [resolved[field].value, file[field]])
        if (typeof value === "string") registerSecret(value, spec.secret);
    }
  }
  return resolved;
}

/** The provider in effect; a flag or variable naming another is refused with the choices. */
export function providerOf(resolved: Resolved): Provider {
  const value = resolved.value;
  if ((PROVIDERS as readonly unknown[]).includes(value)) return value as Provider;
  throw new ConfigError(
    `${resolved.from ?? "provider"}: "${String(value)}" is not a provider; use one of: ${PROVIDERS.join(", ")}`,
    400,
  );
}

function pick(
  spec: SettingSpec,
  provider: Provider,
  flag: string | boolean | undefined,
  env: NodeJS.ProcessEnv,
  fromFile: SettingValue | undefined,
  path: string,
  stored: boolean,
): Resolved {
  const flagValue = typeof flag === "boolean" ? flag : nonEmpty(flag);
  if (flagValue !== undefined)
    return {
      value: typed(spec, flagValue, spec.flag ?? spec.name),
      source: "flag",
      from: spec.flag ?? null,
      stored,
    };
  for (const name of envFor(spec, provider)) {
    const value = nonEmpty(env[name]);
    if (value !== undefined)
      return { value: typed(spec, value, name), source: "environment", from: name, stored };
  }
  if (fromFile !== undefined) return { value: fromFile, source: "config", from: path, stored };
  const fallback = defaultFor(spec, provider);
  if (fallback !== undefined) return { value: fallback, source: "default", from: null, stored };
  return { value: undefined, source: null, from: null, stored };
}

/** Text from a flag or the environment in the setting's type ("1" for a switch is true). */
function typed(spec: SettingSpec, value: string | boolean, from: string): SettingValue {
  const parsed = typeof value === "string" ? fromText(spec, value) : value;
  // A secret is never checked here: the message could quote it, and the endpoint judges it anyway.
  const problem = spec.secret ? null : settingProblem(spec, parsed);
  if (problem) throw new ConfigError(`${from}: ${problem}`, 400);
  return parsed;
}

/** An empty or blank value (e.g. `ANTHROPIC_API_KEY=`) counts as unset. */
function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The settings as clients may see them: secrets as a hint only. */
export function viewOf(resolved: ResolvedSettings): ConfigView {
  const view = { path: resolved.path, precedence: PRECEDENCE } as ConfigView;
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    const field = spec.field as SettingField;
    const { value, source, from, stored } = resolved[field];
    const base: SettingView = { name: spec.name, set: value !== undefined, source, from, stored };
    if (value === undefined) view[field] = base;
    else if (spec.secret) view[field] = { ...base, hint: secretHint(String(value)) };
    else view[field] = { ...base, value };
  }
  return view;
}
