// MCP over Streamable HTTP at /mcp, against `scriptwright serve --mcp-auto-approve` with a
// managed headless Blender: the tools through the official SDK client, then the endpoint's
// guards (token, Host, Origin, JSON only) with raw requests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServeProcess, startServe } from "./helpers/cli.js";
import { call, connectHttp, toolSuite } from "./helpers/mcp.js";
import { rawRequest } from "./helpers/raw-http.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

describe.skipIf(blender.skip)("MCP over HTTP at /mcp", () => {
  let dataDir: string;
  let serve: ServeProcess;
  let client: Client;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-mcp-http-"));
    serve = await startServe(dataDir, ["--headless", "blender:1", "--mcp-auto-approve"]);
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${serve.info.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${serve.info.token}`, "content-type": "application/json" },
      });
    const built = await api("/api/docs/build", {
      method: "POST",
      body: JSON.stringify({ app: "aftereffects" }),
    });
    expect(built.status).toBe(200);
    const deadline = Date.now() + 60_000;
    while (!((await (await api("/api/hosts")).json()) as unknown[]).length) {
      if (Date.now() > deadline) throw new Error(`no Blender host: ${serve.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    client = await connectHttp(serve.info.url, serve.info.token);
  });

  afterAll(async () => {
    await client?.close();
    await serve?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  toolSuite(() => client);

  it("with --mcp-auto-approve a script that changes the scene runs without asking", async () => {
    const answer = await call(client, "run_script", {
      code: "bpy.ops.mesh.primitive_uv_sphere_add()\nC.active_object.name = 'SW_Http'\nC.active_object.name",
    });
    expect(answer.isError).toBe(false);
    expect(answer.text).toContain('value: "SW_Http"');
  });

  describe("the endpoint's guards", () => {
    const post = (headers: Record<string, string>, body = INITIALIZE) =>
      rawRequest(serve.info.port, {
        method: "POST",
        path: "/mcp",
        headers: {
          host: `127.0.0.1:${serve.info.port}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
        body,
      });
    const bearer = () => ({ authorization: `Bearer ${serve.info.token}` });

    it("answers an initialize with the right token", async () => {
      const res = await post(bearer());
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ id: 1, result: { serverInfo: { name: "scriptwright" } } });
    });

    it("refuses a request without a token or with a wrong one (401)", async () => {
      const none = await post({});
      expect(none.status).toBe(401);
      expect(none.headers["www-authenticate"]).toMatch(/^Bearer/);
      const wrong = await post({ authorization: `Bearer ${serve.info.token.slice(0, -2)}xx` });
      expect(wrong.status).toBe(401);
      expect(JSON.parse(wrong.body).error.code).toBe("unauthorized");
    });

    it("refuses a foreign Origin and a foreign Host even with the token (403)", async () => {
      const origin = await post({ ...bearer(), origin: "https://evil.example" });
      expect(origin.status).toBe(403);
      const host = await post({ ...bearer(), host: `evil.example:${serve.info.port}` });
      expect(host.status).toBe(403);
      const rebound = await post({ ...bearer(), host: "127.0.0.1:80" });
      expect(rebound.status).toBe(403);
      const own = await post({ ...bearer(), origin: `http://127.0.0.1:${serve.info.port}` });
      expect(own.status).toBe(200);
    });

    it("takes only JSON bodies, and no GET stream (stateless)", async () => {
      const text = await post({ ...bearer(), "content-type": "text/plain" });
      expect(text.status).toBe(415);
      const get = await rawRequest(serve.info.port, {
        path: "/mcp",
        headers: { host: `127.0.0.1:${serve.info.port}`, ...bearer(), accept: "text/event-stream" },
      });
      expect(get.status).toBe(405);
      expect(get.headers.allow).toBe("POST");
    });
  });
});
