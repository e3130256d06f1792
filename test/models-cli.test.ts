// `scriptwright models` as a user runs it: through the running bridge (its provider, endpoint
// and model), or with --provider/--base-url as a bridge started from this shell would see it;
// the scripted chat-completions server stands in for the OpenAI-compatible endpoint. And `ask`
// on that provider with no model chosen says so before starting a session.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { ChatCompletionsServer } from "./helpers/chat-completions-server.js";
import { runCli, startServe } from "./helpers/cli.js";
import { ProtocolHost } from "./helpers/protocol-host.js";

/** The CLI's own environment: nothing from the test runner's may decide what it says. */
const BARE = {
  ANTHROPIC_API_KEY: "",
  SCRIPTWRIGHT_MODEL: "",
  SCRIPTWRIGHT_PROVIDER: "",
  OPENAI_BASE_URL: "",
  OPENAI_API_KEY: "",
};

let fx: BridgeFixture;
let chat: ChatCompletionsServer;
let host: ProtocolHost;
const dirs: string[] = [];

beforeAll(async () => {
  chat = await ChatCompletionsServer.start([]);
  fx = await startBridge({ env: { SCRIPTWRIGHT_PROVIDER: "openai", OPENAI_BASE_URL: chat.url } });
  host = await ProtocolHost.connect({ url: fx.url, token: fx.token });
});
afterAll(async () => {
  host?.close();
  await fx?.close();
  await chat?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], dataDir = fx.dataDir) => runCli([...args, "--data-dir", dataDir], { env: BARE });

describe("scriptwright models", () => {
  it("lists the running bridge's endpoint's models, as text and as JSON", async () => {
    await cli(["config", "set", "model", "llama-test:3b"]);
    const json = await cli(["models", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      provider: "openai",
      endpoint: chat.url,
      model: "llama-test:3b",
      models: [
        expect.objectContaining({ id: "qwen-test:7b" }),
        expect.objectContaining({ id: "llama-test:3b" }),
      ],
    });
    const text = await cli(["models"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      `openai at ${chat.url}: 2 models\n  qwen-test:7b\n* llama-test:3b\n\n* the model new sessions use\n`,
    );
    expect(chat.requests.filter((request) => request.path === "/v1/models").length).toBeGreaterThanOrEqual(2);
  });

  it("says when the model in use is not one the endpoint has", async () => {
    await cli(["config", "set", "model", "gpt-nope"]);
    const text = await cli(["models"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      "The model in use, gpt-nope, is not in this list: sessions will fail until another is chosen.",
    );
  });

  it("without a bridge, asks the endpoint given on the command line", async () => {
    const empty = mkdtempSync(join(tmpdir(), "sw-models-"));
    dirs.push(empty);
    const run = await cli(["models", "--json", "--provider", "openai", "--base-url", chat.url], empty);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      provider: "openai",
      endpoint: chat.url,
      models: [{ id: "qwen-test:7b" }, { id: "llama-test:3b" }],
    });
  });

  it("an endpoint that is down: exit 1 and an error naming it", async () => {
    const down = await ChatCompletionsServer.start([]);
    const url = down.url;
    await down.close();
    const empty = mkdtempSync(join(tmpdir(), "sw-models-"));
    dirs.push(empty);
    const run = await cli(["models", "--provider", "openai", "--base-url", url], empty);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      new RegExp(`^scriptwright: could not reach the model endpoint at ${url.replaceAll(".", "\\.")}`),
    );
  });
});

describe("serve with the model flags", () => {
  it("--provider, --base-url, --model and --small-model come before config.json and the environment", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-models-serve-"));
    dirs.push(dataDir);
    const served = await startServe(
      dataDir,
      ["--provider", "openai", "--base-url", chat.url, "--model", "llama-test:3b", "--small-model"],
      60_000,
      { ...BARE, SCRIPTWRIGHT_MODEL: "qwen-test:7b" },
    );
    try {
      const run = await cli(["models", "--json"], dataDir);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        provider: "openai",
        endpoint: chat.url,
        model: "llama-test:3b",
      });
      const config = await served.api("/api/config");
      expect(config.json).toMatchObject({
        provider: { value: "openai", source: "flag" },
        baseUrl: { value: chat.url, source: "flag" },
        model: { value: "llama-test:3b", source: "flag" },
        smallModel: { value: true, source: "flag" },
      });
    } finally {
      await served.stop();
    }
  }, 90_000);
});

describe("ask on an OpenAI-compatible endpoint", () => {
  it("with no model chosen, says how to choose one and starts no session", async () => {
    await cli(["config", "unset", "model"]);
    const sessions = () =>
      existsSync(join(fx.dataDir, "sessions")) ? readdirSync(join(fx.dataDir, "sessions")).length : 0;
    const before = sessions();
    const run = await cli(["ask", "--host", host.hostId, "--yes", "hello"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `scriptwright: no model chosen for the OpenAI-compatible endpoint at ${chat.url}: give one with --model, or \`scriptwright config set model NAME\` (\`scriptwright models\` lists what it offers)\n`,
    );
    expect(sessions()).toBe(before);
    expect(chat.completions).toHaveLength(0);
  });

  it("with a model, the session goes to the endpoint, and sessions list and show name provider and model", async () => {
    await cli(["config", "set", "model", "qwen-test:7b"]);
    chat.set([{ text: "Hi from the endpoint." }, { text: "Hi from llama." }]);
    const run = await cli(["ask", "--host", host.hostId, "--yes", "hello"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe("Hi from the endpoint.");
    const id = /session (\S+)/.exec(run.stderr)![1]!;
    const more = await cli(["ask", "--session", id, "--model", "llama-test:3b", "and you?"]);
    expect(more.stdout.trim()).toBe("Hi from llama.");
    expect(chat.completions.map((request) => request.body.model)).toEqual(["qwen-test:7b", "llama-test:3b"]);
    const list = await cli(["sessions", "list", "--json"]);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ id, provider: "openai", model: "llama-test:3b" }),
    );
    const show = await cli(["sessions", "show", id]);
    expect(show.stdout).toContain(` · openai qwen-test:7b · approval auto`);
    expect(show.stdout).toContain("[from here on: openai llama-test:3b]");
  });
});
