// An in-process bridge on a free port with its own data dir, for protocol and API tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LanguageKit } from "../../adapters/types.js";
import { Bridge, type BridgeOptions } from "../../bridge/server/bridge-server.js";
import { echoKit, echoKitWithSetup } from "./echo-kit.js";

export interface RunResult {
  outcome: string;
  hostId: string | null;
  value?: unknown;
  logs?: string;
  error: { message: string; type?: string; line?: number; column?: number; stack?: string };
  durationMs: number;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export interface BridgeFixture {
  bridge: Bridge;
  dataDir: string;
  url: string;
  token: string;
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** POST /api/run, expecting 200. */
  run(body: Record<string, unknown>): Promise<RunResult>;
  close(): Promise<void>;
}

/**
 * By default only the echo kit and no adapters: protocol tests need no real language. Docs are
 * not made on their own unless a test asks (autoDocs: true): a sync on connect would add a whole
 * introspection to every test with a real host.
 */
export async function startBridge(options: Partial<BridgeOptions> = {}): Promise<BridgeFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), "sw-test-"));
  const kits = new Map<string, LanguageKit>([
    [echoKit.language, echoKit],
    [echoKitWithSetup.language, echoKitWithSetup],
  ]);
  const bridge = new Bridge({ dataDir, port: 0, kits, adapters: new Map(), autoDocs: false, ...options });
  await bridge.start();
  const url = bridge.url;
  const fixture: BridgeFixture = {
    bridge,
    dataDir,
    url,
    token: bridge.token,
    api(path, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has("authorization")) headers.set("authorization", `Bearer ${bridge.token}`);
      if (json !== undefined) headers.set("content-type", "application/json");
      return fetch(`${url}${path}`, {
        ...rest,
        headers,
        body: json !== undefined ? JSON.stringify(json) : rest.body,
      });
    },
    async run(body) {
      const res = await fixture.api("/api/run", { method: "POST", json: body });
      if (res.status !== 200) throw new Error(`POST /api/run answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as RunResult;
    },
    async close() {
      await bridge.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}
