// The bridge's side of config.json: what it shows (GET /api/config) and how it is changed
// (PUT /api/config), against the bridge's own environment, which is what its sessions see.
import { registerSecret } from "../security/redact.js";
import { updateConfig } from "./config-file.js";
import { type ConfigView, resolveSettings, type SettingFlags, viewOf } from "./resolve.js";
import { SETTINGS, type SettingField, type SettingSpec, type SettingValue } from "./settings.js";

export type ConfigChanges = Partial<Record<SettingField, SettingValue | null>>;

export class ConfigStore {
  constructor(
    readonly dataDir: string,
    readonly env: NodeJS.ProcessEnv,
    /** Settings the bridge's command line gave (`serve --provider …`): they come first. */
    readonly flags: SettingFlags = {},
  ) {}

  /** What sessions would use now, without secrets. */
  view(): ConfigView {
    return viewOf(resolveSettings({ dataDir: this.dataDir, env: this.env, flags: this.flags }));
  }

  /** Writes the changes (null removes a setting; text is trimmed: a pasted key ends in a newline) and answers the new view. */
  update(changes: ConfigChanges): ConfigView {
    const clean: ConfigChanges = {};
    for (const spec of SETTINGS as readonly SettingSpec[]) {
      const field = spec.field as SettingField;
      const value = changes[field];
      if (value === undefined) continue;
      clean[field] = typeof value === "string" ? value.trim() : value;
      // Registered before anything can log or answer it, even a refusal.
      if (spec.secret && typeof clean[field] === "string") registerSecret(clean[field], spec.secret);
    }
    updateConfig(this.dataDir, clean);
    return this.view();
  }

  /** Registers the key config.json holds now, so it is redacted before any session reads it; a broken file waits for the session to say so. */
  registerStoredSecrets(): void {
    try {
      resolveSettings({ dataDir: this.dataDir, env: this.env, flags: this.flags });
    } catch {
      // the first session (or GET /api/config) reports the broken file
    }
  }
}
