// `scriptwright config list|get|set|unset`: the model settings in <data-dir>/config.json,
// which the bridge reads for every new session (no restart). The key is read from stdin or a
// prompt, never argv, and is only ever shown as a hint. `list` shows what the running bridge
// uses and where each value comes from, since its environment is not this shell's.
import { BridgeClient } from "../client/bridge-client.js";
import { ConfigError, readConfig } from "../config/config-file.js";
import { type ConfigChanges, ConfigStore } from "../config/config-store.js";
import { type ConfigView, resolveSettings, type SettingView, viewOf } from "../config/resolve.js";
import {
  fromText,
  PRECEDENCE,
  SETTING_NAMES,
  SETTINGS,
  type SettingField,
  type SettingSpec,
  secretHint,
  settingByName,
} from "../config/settings.js";
import { CliError, EXIT } from "./exit-codes.js";
import { readSecret, refuseSecretArgument } from "./secret-input.js";

export interface ConfigOptions {
  dataDir: string;
  json?: boolean;
}

/** What the settings are in effect, as the running bridge sees them or, with none, as one started here would. */
export async function configList(options: ConfigOptions): Promise<number> {
  const running = await bridgeView(options.dataDir);
  const view = running?.view ?? viewOf(resolveSettings({ dataDir: options.dataDir, env: process.env }));
  if (options.json) {
    print({ ...view, bridge: running ? { pid: running.pid } : null });
    return EXIT.ok;
  }
  const rows = (SETTINGS as readonly SettingSpec[]).map((spec) => {
    const setting = view[spec.field as SettingField];
    return [spec.name, shown(setting), sourceText(setting, spec)];
  });
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`);
  lines.push(
    "",
    running
      ? `In use by the running bridge (pid ${running.pid}) for its next session.`
      : "No bridge is running: this is what one started from this shell would use.",
    `Each comes from the first of: a flag (serve --provider, ask --model, …), the bridge's environment (${envNames()}), ${view.path}, the default (${PRECEDENCE}).`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.ok;
}

/** The value config.json holds (a secret as a hint); exit 1 when it holds none. */
export function configGet(name: string, options: ConfigOptions): number {
  const spec = known(name);
  const value = readConfig(options.dataDir)[spec.field as SettingField];
  const text = value === undefined ? undefined : spec.secret ? secretHint(String(value)) : value;
  if (options.json) {
    const shownValue = text === undefined ? {} : spec.secret ? { hint: text } : { value: text };
    print({ name: spec.name, set: value !== undefined, ...shownValue });
  } else if (text !== undefined) {
    process.stdout.write(`${text}\n`);
  } else {
    process.stderr.write(`${spec.name} is not set in config.json\n`);
  }
  return value === undefined ? EXIT.scriptError : EXIT.ok;
}

/** Stores a setting; a secret comes from stdin or a hidden prompt, never from `value` (argv). */
export async function configSet(
  name: string,
  argument: string | undefined,
  options: ConfigOptions,
): Promise<number> {
  const spec = known(name);
  let text: string;
  if (spec.secret) {
    if (argument !== undefined) refuseSecretArgument(spec.name);
    text = await readSecret(`${spec.secret} (not shown as you type or paste): `);
    if (!text) throw new CliError(`no ${spec.name} given: nothing was stored`, EXIT.usage);
  } else {
    if (argument === undefined)
      throw new CliError(`give the value: scriptwright config set ${spec.name} VALUE`, EXIT.usage);
    text = argument;
  }
  const value = fromText(spec, text);
  const view = update(options.dataDir, { [spec.field]: value });
  const shownValue = spec.secret ? { hint: secretHint(text) } : { value };
  if (options.json) print({ name: spec.name, stored: true, ...shownValue });
  else process.stdout.write(`${spec.name} stored in ${view.path}: ${Object.values(shownValue)[0]}\n`);
  await warnIfOverridden(options.dataDir, spec);
  return EXIT.ok;
}

export async function configUnset(name: string, options: ConfigOptions): Promise<number> {
  const spec = known(name);
  const view = update(options.dataDir, { [spec.field]: null });
  if (options.json) print({ name: spec.name, stored: false });
  else process.stdout.write(`${spec.name} removed from ${view.path}\n`);
  return EXIT.ok;
}

/** The bridge's code for changing config.json; a value that breaks its rule is a usage error here. */
function update(dataDir: string, changes: ConfigChanges): ConfigView {
  try {
    return new ConfigStore(dataDir, process.env).update(changes);
  } catch (error) {
    if (error instanceof ConfigError && error.status === 400) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

function known(name: string): SettingSpec {
  const spec = settingByName(name);
  if (!spec) throw new CliError(`no setting "${name}"; settings: ${SETTING_NAMES.join(", ")}`, EXIT.usage);
  return spec;
}

/** The running bridge's view, or null when none answers (not running, stale bridge.json, an older bridge). */
async function bridgeView(dataDir: string): Promise<{ pid: number; view: ConfigView } | null> {
  try {
    const client = BridgeClient.fromDataDir(dataDir);
    const view = await client.get<ConfigView>("/api/config", AbortSignal.timeout(3000));
    return { pid: client.info.pid, view };
  } catch {
    return null;
  }
}

/** A stored value the running bridge will not use, because its environment sets one: say so. */
async function warnIfOverridden(dataDir: string, spec: SettingSpec): Promise<void> {
  const running = await bridgeView(dataDir);
  const setting = running?.view[spec.field as SettingField];
  if (running && setting?.source === "environment") {
    process.stderr.write(
      `note: the running bridge (pid ${running.pid}) has ${setting.from} in its environment, which comes first; it keeps using that until it is restarted without it\n`,
    );
  }
}

function shown(setting: SettingView): string {
  if (!setting.set) return "(not set)";
  return String(setting.hint ?? setting.value);
}

function sourceText(setting: SettingView, spec: SettingSpec): string {
  const overridden =
    setting.stored && setting.source !== "config" ? " (config.json holds another, not used)" : "";
  switch (setting.source) {
    case "flag":
      return `${setting.from}${overridden}`;
    case "environment":
      return `environment: ${setting.from}${overridden}`;
    case "config":
      return "config.json";
    case "default":
      return "default";
    default:
      return spec.secret ? `set it with: scriptwright config set ${spec.name}` : "";
  }
}

function envNames(): string {
  const names = (SETTINGS as readonly SettingSpec[]).flatMap((spec) => [
    ...spec.env,
    ...Object.values(spec.byProvider ?? {}).flatMap((own) => own.env ?? []),
  ]);
  return [...new Set(names)].join(", ");
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
