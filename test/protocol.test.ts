import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { packagePath } from "../adapters/shared/package-path.js";
import { protocolJsonSchemaText } from "../bridge/protocol/json-schema.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { waitUntil } from "./helpers/proc.js";
import { ProtocolHost, type RunAnswer } from "./helpers/protocol-host.js";

const hello = (token: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: "hello",
    protocol: 1,
    token,
    app: "testapp",
    appVersion: "1",
    language: "echo",
    name: "raw",
    capabilities: [],
    ...extra,
  });

function rawSocket(fx: BridgeFixture, options?: WebSocket.ClientOptions): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${fx.bridge.port}/ws/host`, options);
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

function nextMessage(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once("message", (data) => resolve(JSON.parse(data.toString()))));
}

function closeOf(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once("close", (code) => resolve(code)));
}

describe("protocol schema file", () => {
  it("panels/protocol.schema.json matches the zod schemas (run `npm run gen:schema` if this fails)", () => {
    expect(readFileSync(packagePath("panels", "protocol.schema.json"), "utf8")).toBe(
      protocolJsonSchemaText(),
    );
  });
});

describe("frame limit of an authenticated host", () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridge();
  });
  afterAll(() => fx.close());

  it("accepts a result frame of a few MiB once the hello is authenticated", async () => {
    const big = "x".repeat(3 * 1024 * 1024);
    const host = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      onRun: () => ({ output: JSON.stringify(big) }),
    });
    const run = await fx.run({ host: host.hostId, code: "big" });
    expect(run.outcome).toBe("ok");
    expect(run.value).toBe(big);
    host.close();
  });
});

describe("host handshake and frames", () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    // Long enough that a hello sent at once never loses to the timer on a busy machine.
    fx = await startBridge({ maxPayloadBytes: 1024 * 1024, helloTimeoutMs: 2000 });
  });
  afterAll(() => fx.close());

  it("welcomes a host with the right token and lists it", async () => {
    const host = await ProtocolHost.connect({ url: fx.url, token: fx.token, name: "listed" });
    expect(host.hostId).toMatch(/^testapp-\d+$/);
    const hosts = await (await fx.api("/api/hosts")).json();
    expect(hosts).toContainEqual(
      expect.objectContaining({
        id: host.hostId,
        name: "listed",
        app: "testapp",
        managed: false,
        busy: false,
      }),
    );
    host.close();
  });

  it("answers a wrong token with error unauthorized and closes", async () => {
    const socket = await rawSocket(fx);
    const closed = closeOf(socket);
    socket.send(hello("not-the-token"));
    expect(await nextMessage(socket)).toMatchObject({ type: "error", code: "unauthorized" });
    expect(await closed).toBe(1008);
  });

  it("answers another protocol version with protocol-mismatch and closes", async () => {
    const socket = await rawSocket(fx);
    const closed = closeOf(socket);
    socket.send(hello(fx.token, { protocol: 2 }));
    expect(await nextMessage(socket)).toMatchObject({ type: "error", code: "protocol-mismatch" });
    expect(await closed).toBe(1002);
  });

  it("answers malformed frames with bad-message and keeps the socket open", async () => {
    const host = await ProtocolHost.connect({ url: fx.url, token: fx.token, onRun: () => ({ output: "7" }) });
    for (const frame of [
      "{not json",
      JSON.stringify({ type: "result", id: 5 }),
      JSON.stringify({ type: "launch" }),
      "[]",
    ]) {
      const reply = host.next("error");
      host.socket.send(frame);
      expect(await reply).toMatchObject({ type: "error", code: "bad-message" });
    }
    const binary = host.next("error");
    host.socket.send(Buffer.from([1, 2, 3]));
    expect(await binary).toMatchObject({ code: "bad-message" });
    expect(host.socket.readyState).toBe(WebSocket.OPEN);
    const run = await (
      await fx.api("/api/run", { method: "POST", json: { host: host.hostId, code: "x" } })
    ).json();
    expect(run).toMatchObject({ outcome: "ok", value: 7 });
    host.close();
  });

  it("answers a bad hello from a client holding the token with bad-message, socket open", async () => {
    const socket = await rawSocket(fx);
    socket.send(JSON.stringify({ type: "hello", protocol: 1, token: fx.token }));
    expect(await nextMessage(socket)).toMatchObject({ type: "error", code: "bad-message" });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it("closes with 1009 on a frame over the size limit", async () => {
    const host = await ProtocolHost.connect({ url: fx.url, token: fx.token });
    const closed = host.closed();
    host.socket.send("x".repeat(1024 * 1024 + 1));
    expect((await closed).code).toBe(1009);
  });

  it("keeps frames tiny until the hello is authenticated: a hello over 64 KiB closes with 1009", async () => {
    const socket = await rawSocket(fx);
    const closed = closeOf(socket);
    socket.send(hello(fx.token, { name: "x".repeat(64 * 1024) }));
    expect(await closed).toBe(1009);
  });

  it("closes a socket that never says hello", async () => {
    const socket = await rawSocket(fx);
    const closed = closeOf(socket);
    expect(await nextMessage(socket)).toMatchObject({ type: "error", code: "hello-timeout" });
    expect(await closed).toBe(1008);
  });

  it("updates the document on a document-changed event", async () => {
    const host = await ProtocolHost.connect({ url: fx.url, token: fx.token });
    host.socket.send(
      JSON.stringify({ type: "event", name: "document-changed", document: "/tmp/scene.blend" }),
    );
    const documentOf = async () => {
      const hosts = (await (await fx.api("/api/hosts")).json()) as Array<{
        id: string;
        document: string | null;
      }>;
      return hosts.find((h) => h.id === host.hostId)?.document;
    };
    await waitUntil(async () => (await documentOf()) !== null, 30_000, "the event to reach the bridge");
    expect(await documentOf()).toBe("/tmp/scene.blend");
    host.close();
  });
});

describe("heartbeat", () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    // Host and bridge share this process: a period well past a busy machine's scheduling
    // stalls, so a pong sent in time is never read after the next tick.
    fx = await startBridge({ heartbeatMs: 500 });
  });
  afterAll(() => fx.close());

  it("drops a host that stops answering pings: its run ends as host-lost", async () => {
    const host = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      onRun: () => "hang",
      wsOptions: { autoPong: false },
    });
    const response = await fx.run({ host: host.hostId, code: "1", timeoutMs: 120_000 });
    expect(response.outcome).toBe("host-lost");
    expect(response.error.message).toMatch(/unknown/);
    const hosts = (await (await fx.api("/api/hosts")).json()) as Array<{ id: string }>;
    expect(hosts.map((h) => h.id)).not.toContain(host.hostId);
  });

  it("keeps a busy host that answers pings: a slow run ends ok, not host-lost", async () => {
    // The run lasts three heartbeats: it answers after the third ping that came while it ran.
    let pings: number | null = null;
    let answer: (value: RunAnswer) => void = () => {};
    const slow = new Promise<RunAnswer>((resolve) => {
      answer = resolve;
    });
    const onRun = () => {
      pings = 0;
      return slow;
    };
    const host = await ProtocolHost.connect({ url: fx.url, token: fx.token, onRun });
    host.socket.on("ping", () => {
      if (pings !== null && ++pings === 3) answer({ output: '"slow"' });
    });
    const response = await fx.run({ host: host.hostId, code: "1" });
    expect(response).toMatchObject({ outcome: "ok", value: "slow" });
    host.close();
  });
});
