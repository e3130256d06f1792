// GET/PUT/POST /api/config against a real in-process bridge whose own environment has no key:
// a key stored over HTTP is what the next session sends (the real SDK against the scripted
// Messages server, which records the x-api-key header), without a restart; the key never
// comes back, and never reaches the log or a transcript.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SessionEvent } from "../bridge/agent/events.js";
import { readSse } from "../bridge/client/sse.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { ProtocolHost } from "./helpers/protocol-host.js";

const KEY_A = "sk-ant-api-test-key-a-0123456789abcdefghij";
const KEY_B = "sk-ant-api-test-key-b-9876543210zyxwvutsrq";

let fx: BridgeFixture;
let server: MessagesServer;
let host: ProtocolHost;
const replies = scriptedReplies();
/** What the host's "script" prints: as if it had read config.json. */
let hostOutput = "null";

beforeAll(async () => {
  server = await MessagesServer.start(replies.responder);
  // The bridge's own environment: the model server, and no key.
  fx = await startBridge({ env: { ANTHROPIC_BASE_URL: server.url } });
  host = await ProtocolHost.connect({ url: fx.url, token: fx.token, onRun: () => ({ output: hostOutput }) });
});
afterAll(async () => {
  host?.close();
  await fx?.close();
  await server?.close();
});
beforeEach(async () => {
  server.requests.length = 0;
  hostOutput = "null";
  await putConfig({ apiKey: null, model: null });
});

async function putConfig(body: unknown, method = "PUT") {
  const res = await fx.api("/api/config", { method, json: body });
  return { status: res.status, text: await res.text() };
}

async function getConfig() {
  const res = await fx.api("/api/config");
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, view: JSON.parse(text) };
}

/** Starts a session on the test host and follows it to its end. */
async function session(prompt = "hello", approval = "ask") {
  const res = await fx.api("/api/sessions", {
    method: "POST",
    json: { prompt, host: host.hostId, approval },
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  return { id, events: await untilEnd(id) };
}

async function untilEnd(id: string, after = 0): Promise<SessionEvent[]> {
  const stop = new AbortController();
  const res = await fx.api(`/api/sessions/${id}/events`, {
    signal: stop.signal,
    headers: { "last-event-id": String(after) },
  });
  const events: SessionEvent[] = [];
  try {
    for await (const event of readSse(res.body!)) {
      events.push(event as SessionEvent);
      const type = (event as SessionEvent).type;
      if (type === "done" || type === "error") break;
    }
  } finally {
    stop.abort();
  }
  return events;
}

const last = (events: SessionEvent[]) => events.at(-1)!;

/** The key the last model request carried (this SDK sends it as a bearer token; older ones as x-api-key). */
function sentKey(): string | undefined {
  const headers = server.requests.at(-1)!.headers;
  return (headers["x-api-key"] as string | undefined) ?? headers.authorization?.replace(/^Bearer /, "");
}

describe("GET /api/config", () => {
  it("needs the token", async () => {
    const res = await fetch(`${fx.url}/api/config`);
    expect(res.status).toBe(401);
  });

  it("says there is no key, where the bridge looks for one, and the model in use", async () => {
    const { view } = await getConfig();
    expect(view.path).toBe(join(fx.dataDir, "config.json"));
    expect(view.apiKey).toEqual({ name: "api-key", set: false, source: null, from: null, stored: false });
    expect(view.model).toMatchObject({ value: "claude-sonnet-5-5", source: "default" });
    expect(view.precedence).toBe("flag > environment > config.json > default");
  });
});

describe("a key stored over HTTP", () => {
  it("is used by the next session without a restart, and only its hint comes back", async () => {
    const put = await putConfig({ apiKey: KEY_A });
    expect(put.status).toBe(200);
    expect(put.text).not.toContain(KEY_A);
    expect(JSON.parse(put.text).apiKey).toMatchObject({ set: true, source: "config", hint: "sk-…ghij" });
    if (process.platform !== "win32") {
      expect(statSync(join(fx.dataDir, "config.json")).mode & 0o777).toBe(0o600);
    }
    const got = await getConfig();
    expect(got.text).not.toContain(KEY_A);

    replies.set([{ text: "first" }]);
    expect(last((await session()).events)).toMatchObject({ type: "done" });
    expect(sentKey()).toBe(KEY_A);

    // POST does the same as PUT; the next session sends the new key.
    expect((await putConfig({ apiKey: KEY_B, model: "claude-test-model" }, "POST")).status).toBe(200);
    replies.set([{ text: "second" }]);
    expect(last((await session()).events)).toMatchObject({ type: "done" });
    expect(sentKey()).toBe(KEY_B);
    expect(server.requests.at(-1)!.body.model).toBe("claude-test-model");
  });

  it("counts in a session that failed for want of it: the follow-up sends it", async () => {
    replies.set([{ text: "never asked" }]);
    const { id, events } = await session();
    expect(last(events)).toEqual({
      type: "error",
      kind: "missing-key",
      message: `no API key: the bridge reads ANTHROPIC_API_KEY from its own environment or \`api-key\` in ${join(fx.dataDir, "config.json")} (set it with \`scriptwright config set api-key\`); a local model on an OpenAI-compatible server needs no key (\`scriptwright config set provider openai\`)`,
    });
    expect(server.requests).toHaveLength(0);

    await putConfig({ apiKey: KEY_A });
    replies.set([{ text: "now it works" }]);
    const res = await fx.api(`/api/sessions/${id}/messages`, { method: "POST", json: { text: "again" } });
    expect(res.status).toBe(202);
    const { after } = (await res.json()) as { after: number };
    expect(last(await untilEnd(id, after))).toMatchObject({ type: "done" });
    expect(sentKey()).toBe(KEY_A);
  });

  it("that the API rejects is named as coming from config.json", async () => {
    await putConfig({ apiKey: KEY_A });
    replies.set([{ status: 401, error: { type: "authentication_error", message: "invalid x-api-key" } }]);
    const { events } = await session();
    const error = last(events);
    expect(error).toMatchObject({ type: "error", kind: "auth" });
    expect(error.type === "error" && error.message).toContain(
      `it came from \`api-key\` in ${join(fx.dataDir, "config.json")}`,
    );
  });

  it("never reaches the log or a transcript, even when a script prints it", async () => {
    await putConfig({ apiKey: KEY_A });
    hostOutput = JSON.stringify(`config.json holds ${KEY_A}`);
    replies.set([
      { toolUses: [{ name: "run_script", input: { description: "read the config", code: "read()" } }] },
      { text: "done" },
    ]);
    const { id, events } = await session("read it", "auto");
    expect(last(events)).toMatchObject({ type: "done" });
    const toolResult = JSON.stringify(server.requests[1]!.body.messages);
    expect(toolResult).toContain("[redacted: API key]");
    expect(toolResult).not.toContain(KEY_A);
    const transcripts = readdirSync(join(fx.dataDir, "sessions"));
    expect(transcripts).toContain(`${id}.jsonl`);
    for (const file of transcripts) {
      expect(readFileSync(join(fx.dataDir, "sessions", file), "utf8")).not.toContain(KEY_A);
    }

    // A host named after the key (as a careless script could name a document) is logged redacted.
    const named = await ProtocolHost.connect({ url: fx.url, token: fx.token, name: `host ${KEY_A}` });
    named.close();
    await named.closed();
    fx.bridge.logger.flush();
    const log = readFileSync(join(fx.dataDir, "logs", "bridge.log"), "utf8");
    expect(log).toContain("config changed");
    expect(log).toContain("host [redacted: API key]");
    expect(log).not.toContain(KEY_A);
  });
});

describe("bad changes", () => {
  it("are refused with 400 without quoting the value, and change nothing", async () => {
    await putConfig({ apiKey: KEY_A });
    const spaced = await putConfig({ apiKey: `${KEY_B} and more` });
    expect(spaced.status).toBe(400);
    expect(JSON.parse(spaced.text).error.code).toBe("config");
    expect(spaced.text).not.toContain(KEY_B);
    expect((await putConfig({ apiKey: 42 })).status).toBe(400);
    expect((await putConfig({ maxTokens: 0 })).status).toBe(400);
    const unknown = await putConfig({ apiKey: KEY_B, temperature: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("temperature");
    const plain = await fx.api("/api/config", {
      method: "PUT",
      body: KEY_B,
      headers: { "content-type": "text/plain" },
    });
    expect(plain.status).toBe(415);
    expect(JSON.parse(readFileSync(join(fx.dataDir, "config.json"), "utf8")).apiKey).toBe(KEY_A);
  });
});

describe("a broken config.json", () => {
  it("is named when the config is read and when a session starts, and fixing it needs no restart", async () => {
    const file = join(fx.dataDir, "config.json");
    writeFileSync(file, "{ model: nope", { mode: 0o600 });
    try {
      const got = await fx.api("/api/config");
      expect(got.status).toBe(500);
      const body = (await got.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("config");
      expect(body.error.message.startsWith(`${file} is not valid JSON`), body.error.message).toBe(true);
      const start = await fx.api("/api/sessions", {
        method: "POST",
        json: { prompt: "hi", host: host.hostId },
      });
      expect(start.status).toBe(500);
      expect(((await start.json()) as { error: { message: string } }).error.message).toContain(
        "fix or delete it",
      );
    } finally {
      writeFileSync(file, "{}", { mode: 0o600 });
    }
    expect((await fx.api("/api/config")).status).toBe(200);
  });
});

describe("another bridge", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("redacts a key config.json held before it started, and puts its environment's key first", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-config-api-"));
    dirs.push(dataDir);
    const stored = "sk-ant-stored-before-start-0123456789abc";
    writeFileSync(join(dataDir, "config.json"), JSON.stringify({ apiKey: stored }), { mode: 0o600 });
    const envKey = "sk-ant-bridge-environment-0123456789abc";
    const other = await startBridge({
      dataDir,
      env: { ANTHROPIC_API_KEY: envKey, ANTHROPIC_BASE_URL: server.url },
    });
    try {
      const named = await ProtocolHost.connect({
        url: other.url,
        token: other.token,
        name: `host ${stored}`,
      });
      named.close();
      await named.closed();
      const res = await other.api("/api/config");
      const text = await res.text();
      expect(JSON.parse(text).apiKey).toMatchObject({
        set: true,
        source: "environment",
        from: "ANTHROPIC_API_KEY",
        stored: true,
      });
      expect(text).not.toContain(envKey);
      expect(text).not.toContain(stored);
      other.bridge.logger.flush();
      const log = readFileSync(join(dataDir, "logs", "bridge.log"), "utf8");
      expect(log).toContain("host [redacted: API key]");
      expect(log).not.toContain(stored);
    } finally {
      await other.close();
    }
  });
});
