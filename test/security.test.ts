import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import { ProtocolHost } from "./helpers/protocol-host.js";
import { rawRequest } from "./helpers/raw-http.js";

let fx: BridgeFixture;
beforeAll(async () => {
  fx = await startBridge({ allowedOrigins: ["http://panel.allowed:1234"] });
});
afterAll(() => fx.close());

const port = () => fx.bridge.port;

describe("Host header (DNS rebinding)", () => {
  it("refuses a foreign Host with 403, even on /api/health", async () => {
    const res = await rawRequest(port(), {
      path: "/api/health",
      headers: { host: `evil.example:${port()}` },
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe("forbidden");
  });

  it("refuses a loopback name with the wrong port", async () => {
    const res = await rawRequest(port(), {
      path: "/api/health",
      headers: { host: `127.0.0.1:${port() + 1}` },
    });
    expect(res.status).toBe(403);
  });

  it.each(["127.0.0.1", "localhost", "[::1]", "LOCALHOST"])(
    "accepts %s with the bridge's port",
    async (name) => {
      const res = await rawRequest(port(), { path: "/api/health", headers: { host: `${name}:${port()}` } });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ ok: true, protocol: 1 });
    },
  );
});

describe("Origin header (cross-site requests)", () => {
  it("refuses a foreign Origin on HTTP with 403", async () => {
    const res = await fx.api("/api/hosts", { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
  });

  it("accepts the bridge's own origin and an allow-listed one", async () => {
    expect((await fx.api("/api/hosts", { headers: { origin: fx.url } })).status).toBe(200);
    expect((await fx.api("/api/hosts", { headers: { origin: "http://panel.allowed:1234" } })).status).toBe(
      200,
    );
  });

  it("refuses a WebSocket upgrade from a foreign Origin with 403", async () => {
    const status = await upgradeStatus({ origin: "https://evil.example" });
    expect(status).toBe(403);
  });

  it("refuses a WebSocket upgrade with a foreign Host with 403", async () => {
    const status = await upgradeStatus({ host: `evil.example:${port()}` });
    expect(status).toBe(403);
  });

  it("never answers Access-Control-Allow-Origin: *", async () => {
    const probes = [
      await rawRequest(port(), {
        path: "/api/health",
        headers: { host: `127.0.0.1:${port()}`, origin: fx.url },
      }),
      await rawRequest(port(), {
        method: "OPTIONS",
        path: "/api/run",
        headers: { host: `127.0.0.1:${port()}`, origin: fx.url, "access-control-request-method": "POST" },
      }),
      await rawRequest(port(), { path: "/api/hosts", headers: { host: `127.0.0.1:${port()}` } }),
      await rawRequest(port(), { path: "/nope", headers: { host: `127.0.0.1:${port()}` } }),
    ];
    for (const res of probes) expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("sets headers that stop foreign pages from framing the bridge", async () => {
    const res = await fx.api("/api/health");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

describe("token", () => {
  it("is required on /api routes other than health", async () => {
    expect((await fetch(`${fx.url}/api/hosts`)).status).toBe(401);
    expect((await fx.api("/api/hosts", { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fx.api("/api/hosts", { headers: { authorization: `Bearer ${fx.token}x` } })).status).toBe(
      401,
    );
    expect((await fx.api("/api/hosts")).status).toBe(200);
    expect((await fetch(`${fx.url}/api/health`)).status).toBe(200);
  });

  it("is at least 32 random bytes, URL-safe", () => {
    expect(fx.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  });
});

describe("request bodies", () => {
  it("accepts only application/json on POST", async () => {
    const res = await fx.api("/api/run", {
      method: "POST",
      body: "code=1",
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(415);
  });

  it("answers malformed JSON with 400", async () => {
    const res = await fx.api("/api/run", {
      method: "POST",
      body: "{nope",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe("bad-json");
  });

  it("answers a schema-invalid run request with 400 naming the field", async () => {
    const res = await fx.api("/api/run", { method: "POST", json: { code: 42 } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/code/);
  });
});

describe("WebSocket frames before the hello is authenticated", () => {
  it("a 1 MiB first frame closes with 1009 on its header alone: nothing of it is buffered", async () => {
    const socket = await rawUpgrade(port());
    // FIN + text, masked, 64-bit length of 1 MiB, then the mask: the header only, no payload.
    const header = Buffer.alloc(14);
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(1024 * 1024), 2);
    socket.write(header);
    const close = await new Promise<Buffer>((resolve) => socket.once("data", resolve));
    expect(close[0]).toBe(0x88); // a close frame, sent before any byte of the payload
    expect(close.readUInt16BE(2)).toBe(1009);
    socket.destroy();
  });
});

describe("logs", () => {
  it("never contain the token", async () => {
    await fx.api("/api/hosts");
    await fx.api("/api/run", { method: "POST", json: { app: "none", code: "1" } });
    const rejected = new WebSocket(`ws://127.0.0.1:${port()}/ws/host`);
    await new Promise((resolve) => rejected.once("open", resolve));
    rejected.send(
      JSON.stringify({
        type: "hello",
        protocol: 1,
        token: `${fx.token}-wrong`,
        app: "a",
        appVersion: "1",
        language: "echo",
        name: "n",
        capabilities: [],
      }),
    );
    await new Promise((resolve) => rejected.once("close", resolve));
    const host = await ProtocolHost.connect({ url: fx.url, token: fx.token });
    await fx.api("/api/run", { method: "POST", json: { host: host.hostId, code: "1" } });
    host.close();
    await host.closed();
    fx.bridge.logger.flush();
    const log = readFileSync(join(fx.dataDir, "logs", "bridge.log"), "utf8");
    expect(log).toContain("host connected");
    expect(log).toContain("host refused: wrong token");
    expect(log).not.toContain(fx.token);
  });
});

/** A /ws/host upgrade by hand, so a test can write frames byte by byte. */
function rawUpgrade(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        [
          "GET /ws/host HTTP/1.1",
          `Host: 127.0.0.1:${port}`,
          "Upgrade: websocket",
          "Connection: Upgrade",
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`,
          "Sec-WebSocket-Version: 13",
          "",
          "",
        ].join("\r\n"),
      );
    });
    socket.once("error", reject);
    socket.once("data", (data) => {
      if (data.toString("latin1").startsWith("HTTP/1.1 101")) resolve(socket);
      else reject(new Error(`upgrade refused: ${data.toString("latin1").split("\r\n")[0]}`));
    });
  });
}

function upgradeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port()}/ws/host`, { headers });
    socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.on("open", () => reject(new Error("upgrade was accepted")));
    socket.on("error", () => undefined);
  });
}
