// Which value of each setting is in effect, and where it came from: a flag, then the
// environment, then config.json, then the default. The bridge resolves them afresh for every
// session (so a change to config.json counts without a restart), GET /api/config and
// `config list` show the same answer without the key in it.
import { registerSecret } from "../security/redact.js";
import { configPath, readConfig } from "./config-file.js";
import {
  PRECEDENCE,
  SETTINGS,
  type SettingField,
  type SettingSource,
  type SettingSpec,
  secretHint,
} from "./settings.js";

export interface Resolved {
  value: string | number | undefined;
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
  value?: string | number;
  hint?: string;
}

export type ConfigView = { path: string; precedence: string } & Record<SettingField, SettingView>;

export function resolveSettings(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  flags?: Partial<Record<SettingField, string | undefined>>;
}): ResolvedSettings {
  const path = configPath(options.dataDir);
  const file = readConfig(options.dataDir);
  const resolved = { path } as ResolvedSettings;
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    const field = spec.field as SettingField;
    const stored = file[field] !== undefined;
    resolved[field] = pick(spec, options.flags?.[field], options.env, file[field], path, stored);
    // A secret is redacted from all the bridge sends out, the one in effect and a stored one
    // that the environment overrides alike (a script may read the file).
    if (spec.secret) {
      for (const value of [resolved[field].value, file[field]])
        if (typeof value === "string") registerSecret(value, spec.secret);
    }
  }
  return resolved;
}

function pick(
  spec: SettingSpec,
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  fromFile: string | number | undefined,
  path: string,
  stored: boolean,
): Resolved {
  const flagValue = nonEmpty(flag);
  if (flagValue !== undefined) return { value: flagValue, source: "flag", from: spec.flag ?? null, stored };
  for (const name of spec.env) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) return { value, source: "environment", from: name, stored };
  }
  if (fromFile !== undefined) return { value: fromFile, source: "config", from: path, stored };
  if (spec.default !== undefined) return { value: spec.default, source: "default", from: null, stored };
  return { value: undefined, source: null, from: null, stored };
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
