// panels/cep/bootstrap.js — the panel's start-up logic — loaded as CommonJS in Node and as
// a plain browser script in a VM context. The health check runs against a real bridge.

import * as fs from "node:fs";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packagePath } from "../adapters/shared/package-path.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";

interface Info {
  url: string;
  port: number;
  token: string;
  file?: string;
}
interface Bootstrap {
  START_HINT: string;
  bridgeFilePath(o: { env?: Record<string, string>; home?: string }): string;
  findBridge(o: { env?: Record<string, string>; home?: string; fs?: unknown }): Info;
  panelUrl(info: { url: string; token: string }): string;
  parsePastedUrl(text: string): Info;
  checkHealth(url: string, o: { http?: unknown; fetch?: unknown; timeoutMs?: number }): Promise<{ ok: true }>;
  connect(
    o: Record<string, unknown>,
  ): Promise<{ ok: true; target: string; info: Info } | { ok: false; code: string; message: string }>;
  nodeRuntime(g: unknown): { fs: unknown; http: unknown; home: string; env: unknown } | null;
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const file = packagePath("panels", "cep", "bootstrap.js");
const boot = createRequire(import.meta.url)(file) as Bootstrap;

const bridgeJson = { url: "http://127.0.0.1:7821", port: 7821, token: "tok/en+1", pid: 1, version: "0.1.0" };
let home: string;
let custom: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "sw-cep-home-"));
  custom = mkdtempSync(join(tmpdir(), "sw-cep-data-"));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(custom, { recursive: true, force: true });
});

function writeBridge(dir: string, content: unknown) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "bridge.json"), typeof content === "string" ? content : JSON.stringify(content));
}

describe("findBridge", () => {
  it("missing file → tells the user to start the bridge", () => {
    expect(() => boot.findBridge({ env: {}, home, fs })).toThrow(
      /No bridge is running \(no .*\.scriptwright\/bridge\.json\): start the bridge: scriptwright serve/,
    );
    try {
      boot.findBridge({ env: {}, home, fs });
    } catch (error) {
      expect((error as { code: string }).code).toBe("no-bridge-file");
    }
  });

  it("reads ~/.scriptwright/bridge.json", () => {
    writeBridge(join(home, ".scriptwright"), bridgeJson);
    const info = boot.findBridge({ env: {}, home, fs });
    expect(info).toMatchObject({ url: "http://127.0.0.1:7821", port: 7821, token: "tok/en+1" });
    expect(info.file).toBe(join(home, ".scriptwright", "bridge.json"));
  });

  it("$SCRIPTWRIGHT_HOME wins over the home folder", () => {
    writeBridge(custom, { ...bridgeJson, url: "http://127.0.0.1:9000/", port: 9000 });
    const info = boot.findBridge({ env: { SCRIPTWRIGHT_HOME: custom }, home, fs });
    expect(info.url).toBe("http://127.0.0.1:9000");
    expect(info.file).toBe(join(custom, "bridge.json"));
  });

  it("an empty $SCRIPTWRIGHT_HOME is ignored; Windows homes keep backslashes", () => {
    expect(boot.bridgeFilePath({ env: { SCRIPTWRIGHT_HOME: "" }, home: "/Users/a" })).toBe(
      "/Users/a/.scriptwright/bridge.json",
    );
    expect(boot.bridgeFilePath({ env: {}, home: "C:\\Users\\a" })).toBe(
      "C:\\Users\\a\\.scriptwright\\bridge.json",
    );
  });

  it("a broken or foreign bridge.json is a clear error", () => {
    const dir = join(custom, "broken");
    writeBridge(dir, "{not json");
    expect(() => boot.findBridge({ env: { SCRIPTWRIGHT_HOME: dir }, fs })).toThrow(/not a valid bridge file/);
    writeBridge(dir, { ...bridgeJson, url: "http://evil.example:7821" });
    expect(() => boot.findBridge({ env: { SCRIPTWRIGHT_HOME: dir }, fs })).toThrow(
      /must be http:\/\/127\.0\.0\.1/,
    );
  });

  it("without Node (no fs) says so", () => {
    expect(() => boot.findBridge({ env: {}, home })).toThrow(/Node\.js is not available/);
  });
});

describe("panelUrl and pasted URLs", () => {
  it("panelUrl opens the bridge page with the token", () => {
    expect(boot.panelUrl(bridgeJson)).toBe("http://127.0.0.1:7821/?token=tok%2Fen%2B1");
    expect(boot.panelUrl({ url: "http://localhost:8000/", token: "t" })).toBe(
      "http://localhost:8000/?token=t",
    );
  });

  it("panelUrl refuses non-loopback or tokenless targets (the panel may have Node)", () => {
    expect(() => boot.panelUrl({ url: "https://example.com", token: "t" })).toThrow(/must be http/);
    expect(() => boot.panelUrl({ url: "http://127.0.0.1:1", token: "" })).toThrow(/no token/);
  });

  it("parses the URL serve printed", () => {
    expect(boot.parsePastedUrl("  http://127.0.0.1:7821/?token=abc  ")).toMatchObject({
      url: "http://127.0.0.1:7821",
      token: "abc",
    });
    expect(() => boot.parsePastedUrl("http://127.0.0.1:7821/")).toThrow(/no \?token/);
    expect(() => boot.parsePastedUrl("")).toThrow(/paste the URL/);
    expect(() => boot.parsePastedUrl("nonsense")).toThrow(/not a URL/);
  });
});

describe("health check and connect (real bridge)", () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridge();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("Node's http passes the bridge's origin guard", async () => {
    await expect(boot.checkHealth(fx.url, { http })).resolves.toMatchObject({ ok: true });
  });

  it("a closed port → bridge not reachable at …", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    await expect(boot.checkHealth(dead, { http, timeoutMs: 2000 })).rejects.toThrow(
      `bridge not reachable at ${dead} (ECONNREFUSED): start the bridge: scriptwright serve`,
    );
  });

  it("something that is not the bridge is not accepted", async () => {
    const other = http.createServer((_req, res) => res.end("hello"));
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const port = (other.address() as { port: number }).port;
    await expect(boot.checkHealth(`http://127.0.0.1:${port}`, { http })).rejects.toThrow(
      /not a Scriptwright bridge/,
    );
    other.close();
  });

  it("connect: bridge.json → health → the page URL", async () => {
    const result = await boot.connect({ env: { SCRIPTWRIGHT_HOME: fx.dataDir }, home, fs, http });
    expect(result).toEqual(expect.objectContaining({ ok: true, target: `${fx.url}/?token=${fx.token}` }));
  });

  it("connect: a stale bridge.json gives the unreachable state, never throws", async () => {
    const dir = join(custom, "stale");
    const port = await closedPort();
    writeBridge(dir, { ...bridgeJson, url: `http://127.0.0.1:${port}`, port });
    const result = await boot.connect({ env: { SCRIPTWRIGHT_HOME: dir }, fs, http, timeoutMs: 2000 });
    expect(result).toMatchObject({ ok: false, code: "unreachable" });
    expect(result.ok === false && result.message).toContain(
      `bridge not reachable at http://127.0.0.1:${port}`,
    );
  });

  it("connect: a pasted URL works without Node (fetch fallback)", async () => {
    const result = await boot.connect({ pasted: `${fx.url}/?token=${fx.token}`, fetch });
    expect(result).toMatchObject({ ok: true, target: `${fx.url}/?token=${fx.token}` });
  });

  it("connect: no bridge.json → the start hint", async () => {
    const result = await boot.connect({ env: {}, home: join(custom, "nobody"), fs, http });
    expect(result).toMatchObject({ ok: false, code: "no-bridge-file" });
    expect(result.ok === false && result.message).toContain(boot.START_HINT);
  });
});

describe("as a browser script", () => {
  it("attaches to window without CommonJS and finds Node through require or cep_node", () => {
    const window: Record<string, unknown> = {};
    runInNewContext(fs.readFileSync(file, "utf8"), {
      window,
      URL,
      AbortController,
      setTimeout,
      clearTimeout,
    });
    const api = window.ScriptwrightBootstrap as Bootstrap;
    expect(typeof api.connect).toBe("function");
    const req = createRequire(import.meta.url);
    expect(api.nodeRuntime({ require: req, process })?.home).toBeTruthy();
    expect(api.nodeRuntime({ cep_node: { require: req, process } })?.fs).toBe(req("fs"));
    expect(api.nodeRuntime({})).toBeNull();
  });
});
