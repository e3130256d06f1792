// config.json as the bridge and the `config` command share it: checked writes (0600, atomic,
// other fields kept), the precedence of flag > environment > file > default, and a view of it
// that never holds the key.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, readConfig, updateConfig } from "../bridge/config/config-file.js";
import { ConfigStore } from "../bridge/config/config-store.js";
import { resolveSettings, viewOf } from "../bridge/config/resolve.js";
import { DEFAULT_MODEL, secretHint } from "../bridge/config/settings.js";
import { redact } from "../bridge/security/redact.js";
import { thrownBy } from "./helpers/thrown.js";

const KEY = "sk-ant-config-file-test-0123456789abcdef";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function dataDir(configJson?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sw-config-"));
  dirs.push(dir);
  if (configJson !== undefined) writeFileSync(join(dir, "config.json"), configJson, { mode: 0o644 });
  return dir;
}
const mode = (path: string) => statSync(path).mode & 0o777;

describe("updateConfig", () => {
  it.skipIf(process.platform === "win32")("writes config.json with mode 0600, even over a wider file", () => {
    const dir = dataDir(JSON.stringify({ model: "m" }));
    expect(mode(join(dir, "config.json"))).toBe(0o644);
    updateConfig(dir, { apiKey: KEY });
    expect(mode(join(dir, "config.json"))).toBe(0o600);
    const fresh = dataDir();
    updateConfig(fresh, { model: "claude-x" });
    expect(mode(join(fresh, "config.json"))).toBe(0o600);
  });

  it("keeps the fields it does not know and leaves no temp file", () => {
    const dir = dataDir(JSON.stringify({ provider: "openai", maxTokens: 1000 }));
    updateConfig(dir, { apiKey: KEY, model: "claude-x" });
    expect(JSON.parse(readFileSync(join(dir, "config.json"), "utf8"))).toEqual({
      provider: "openai",
      maxTokens: 1000,
      apiKey: KEY,
      model: "claude-x",
    });
    expect(readdirSync(dir)).toEqual(["config.json"]);
  });

  it("removes a setting given null", () => {
    const dir = dataDir(JSON.stringify({ apiKey: KEY, model: "claude-x" }));
    updateConfig(dir, { apiKey: null });
    expect(readConfig(dir)).toEqual({ model: "claude-x" });
  });

  it("refuses a value that breaks its rule, writes nothing and does not quote it", () => {
    const dir = dataDir(JSON.stringify({ model: "claude-x" }));
    const before = readFileSync(join(dir, "config.json"), "utf8");
    const spaced = `${KEY} trailing words`;
    const error = thrownBy(ConfigError, () => updateConfig(dir, { apiKey: spaced }));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/api-key must be printable characters without spaces/);
    expect(error.message).not.toContain(KEY);
    expect(() => updateConfig(dir, { apiKey: "short" })).toThrow(/api-key must be 8 to 1024 characters/);
    expect(() => updateConfig(dir, { maxTokens: 1.5 })).toThrow(/max-tokens must be a whole number/);
    expect(readFileSync(join(dir, "config.json"), "utf8")).toBe(before);
  });

  it("does not overwrite a config.json it cannot read", () => {
    const dir = dataDir("{ not json");
    expect(() => updateConfig(dir, { model: "claude-x" })).toThrow(/not valid JSON.*fix or delete it/);
    expect(readFileSync(join(dir, "config.json"), "utf8")).toBe("{ not json");
  });
});

describe("resolveSettings", () => {
  it("takes each setting from the flag, then the environment, then config.json, then the default", () => {
    const dir = dataDir(JSON.stringify({ model: "from-file", apiKey: KEY }));
    const env = { SCRIPTWRIGHT_MODEL: "from-env", ANTHROPIC_API_KEY: "sk-ant-from-env-0123456789" };
    const flagged = resolveSettings({ dataDir: dir, env, flags: { model: "from-flag" } });
    expect(flagged.model).toEqual({ value: "from-flag", source: "flag", from: "--model", stored: true });
    const environment = resolveSettings({ dataDir: dir, env });
    expect(environment.model).toMatchObject({
      value: "from-env",
      source: "environment",
      from: "SCRIPTWRIGHT_MODEL",
    });
    expect(environment.apiKey).toMatchObject({
      source: "environment",
      from: "ANTHROPIC_API_KEY",
      stored: true,
    });
    const file = resolveSettings({ dataDir: dir, env: {} });
    expect(file.model).toMatchObject({
      value: "from-file",
      source: "config",
      from: join(dir, "config.json"),
    });
    expect(file.apiKey).toMatchObject({ value: KEY, source: "config" });
    const bare = resolveSettings({ dataDir: dataDir(), env: { ANTHROPIC_API_KEY: "" } });
    expect(bare.model).toMatchObject({ value: DEFAULT_MODEL, source: "default", stored: false });
    expect(bare.apiKey).toEqual({ value: undefined, source: null, from: null, stored: false });
  });

  it("registers a stored key for redaction, even one the environment overrides", () => {
    const stored = "sk-ant-stored-but-overridden-0123456789";
    resolveSettings({
      dataDir: dataDir(JSON.stringify({ apiKey: stored })),
      env: { ANTHROPIC_API_KEY: "sk-ant-in-effect-0123456789" },
    });
    expect(redact(`a script printed ${stored}`)).toBe("a script printed [redacted: API key]");
    expect(redact("and sk-ant-in-effect-0123456789")).toBe("and [redacted: API key]");
  });
});

describe("the view clients get", () => {
  it("has the key only as a hint, with where it came from", () => {
    const dir = dataDir(JSON.stringify({ apiKey: KEY }));
    const view = viewOf(resolveSettings({ dataDir: dir, env: {} }));
    expect(view.apiKey).toEqual({
      name: "api-key",
      set: true,
      source: "config",
      from: join(dir, "config.json"),
      stored: true,
      hint: `sk-…${KEY.slice(-4)}`,
    });
    expect(view.model).toMatchObject({ value: DEFAULT_MODEL, source: "default" });
    expect(view.path).toBe(join(dir, "config.json"));
    expect(view.precedence).toBe("flag > environment > config.json > default");
    expect(JSON.stringify(view)).not.toContain(KEY);
  });

  it("shows nothing of a short key", () => {
    expect(secretHint("sk-short-key")).toBe("…");
    expect(secretHint(KEY)).toBe(`sk-…${KEY.slice(-4)}`);
  });

  it("ConfigStore.update trims a pasted key and answers the new view", () => {
    const dir = dataDir();
    const view = new ConfigStore(dir, {}).update({ apiKey: `${KEY}\n`, model: " claude-y " });
    expect(view.apiKey).toMatchObject({ set: true, source: "config" });
    expect(view.model).toMatchObject({ value: "claude-y", source: "config" });
    expect(readConfig(dir)).toEqual({ apiKey: KEY, model: "claude-y" });
  });
});
