// <data-dir>/config.json: read and checked against the settings' rules, and changed by the
// `config` command and PUT /api/config alike. It may hold the API key, so it is written the
// way bridge.json is: to a private temp file (0600) that is then renamed over it, so no
// reader ever sees half a file or a wider mode. Fields it does not know are kept as they are.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import { ensurePrivateDir } from "../data-dir.js";
import { writePrivateFile } from "../private-file.js";
import {
  DEFAULT_MODEL,
  SETTINGS,
  type SettingField,
  type SettingSpec,
  type SettingValue,
  type SettingValues,
  settingProblem,
} from "./settings.js";

/** config.json cannot be read, or a value for it breaks its rule: the message says which and what to do. */
export class ConfigError extends ScriptwrightError {
  override name = "ConfigError";
  constructor(message: string, status = 500) {
    super("config", message, { status });
  }
}

export function configPath(dataDir: string): string {
  return join(dataDir, "config.json");
}

/** The settings config.json holds (only valid ones: a broken value is an error, not ignored). */
export function readConfig(dataDir: string): SettingValues {
  const path = configPath(dataDir);
  const raw = readObject(path);
  const values: SettingValues = {};
  for (const spec of SETTINGS) {
    const value = raw[spec.field];
    if (value === undefined) continue;
    const clean = typeof value === "string" ? value.trim() : value;
    const problem = settingProblem(spec, clean);
    if (problem) {
      throw new ConfigError(
        `${path}: "${spec.field}" is not valid (${problem}); fix it, or set it again with \`scriptwright config set ${spec.name}\``,
      );
    }
    values[spec.field] = clean as SettingValue;
  }
  return values;
}

/**
 * Sets (a value) or removes (null) settings in config.json, keeping everything else in it.
 * A value that breaks its rule is refused with status 400 and nothing is written.
 */
export function updateConfig(dataDir: string, changes: Partial<Record<SettingField, SettingValue | null>>) {
  const path = configPath(dataDir);
  ensurePrivateDir(dataDir);
  const raw = readObject(path);
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const spec = SETTINGS.find((candidate) => candidate.field === field) as SettingSpec | undefined;
    if (!spec) throw new ConfigError(`no setting "${field}"`, 400);
    if (value === null) {
      delete raw[field];
      continue;
    }
    const problem = settingProblem(spec, value);
    if (problem) throw new ConfigError(problem, 400);
    raw[field] = value;
  }
  writePrivate(path, `${JSON.stringify(raw, null, 2)}\n`);
}

/** The file's JSON object; {} when there is no file. */
function readObject(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON (${(error as Error).message}); fix or delete it`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${path} must hold a JSON object, like {"model": "${DEFAULT_MODEL}"}`);
  }
  return parsed as Record<string, unknown>;
}

function writePrivate(path: string, text: string): void {
  try {
    writePrivateFile(path, text);
  } catch (error) {
    throw new ConfigError(`cannot write ${path}: ${(error as Error).message}`);
  }
}
