// The Premiere UXP plugin's host runtime (panels/uxp-premiere/host-runtime.js) in Node,
// against the REAL bridge with the uxp-js kit. Premiere cannot run here: `premierepro` is a
// Premiere simulator (a few classes shaped like the UXP DOM) and the WebSocket is the `ws`
// package's, which has the browser API the UXP one has. This proves the plugin's side of
// protocol v1 and the kit end to end, not that Premiere works.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { uxpKit } from "../adapters/uxp-js/index.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import {
  type HostOptions,
  type PluginHost,
  premiereSimulator,
  runtime,
} from "./helpers/premiere-uxp-simulator.js";

const require = createRequire(import.meta.url);

/** Polls wait for the state they mean; the bound only ends a test that would otherwise hang (the machine may be busy). */
const EVENTUALLY = { timeout: 30_000, interval: 50 };

interface HostRow {
  id: string;
  app: string;
  language: string;
  appVersion: string;
  name: string;
  document: string | null;
  capabilities: string[];
}

describe("Premiere UXP plugin host runtime (Premiere simulator) against the real bridge", () => {
  let fx: BridgeFixture;
  let simulator: ReturnType<typeof premiereSimulator>;
  const hosts: PluginHost[] = [];
  const savedRequire = (globalThis as { require?: unknown }).require;

  beforeAll(async () => {
    fx = await startBridge({ kits: new Map([["uxp-js", uxpKit]]), adapters: new Map() });
    simulator = premiereSimulator();
    // UXP gives plugin code a global require; scripts call require("premierepro").
    (globalThis as { require?: unknown }).require = (name: string) => {
      if (name === "premierepro") return simulator.module;
      throw new Error(`the Premiere simulator has no module "${name}"`);
    };
  });

  afterEach(async () => {
    for (const host of hosts.splice(0)) host.stop();
    await expect
      .poll(async () => ((await (await fx.api("/api/hosts")).json()) as unknown[]).length, EVENTUALLY)
      .toBe(0);
  });

  afterAll(async () => {
    (globalThis as { require?: unknown }).require = savedRequire;
    await fx?.close();
  });

  function startHost(options: Partial<HostOptions> = {}) {
    const statuses: string[] = [];
    const host = runtime.createHost({
      WebSocket,
      premierepro: simulator.module,
      url: `${fx.url}/?token=${fx.token}`,
      name: "premiere-sim",
      onStatus: (state, detail) => statuses.push(`${state}: ${detail}`),
      reconnectFirstMs: 50,
      reconnectMaxMs: 200,
      ...options,
    });
    hosts.push(host);
    host.start();
    return { host, statuses };
  }

  async function waitForHost(): Promise<HostRow> {
    let row: HostRow | undefined;
    await expect
      .poll(async () => {
        const list = (await (await fx.api("/api/hosts")).json()) as HostRow[];
        row = list.find((h) => h.app === "premiere");
        return row !== undefined;
      }, EVENTUALLY)
      .toBe(true);
    return row!;
  }

  it("says hello as premiere/uxp-js with the app version and the active project", async () => {
    const { host, statuses } = startHost();
    const row = await waitForHost();
    expect(row).toMatchObject({
      app: "premiere",
      language: "uxp-js",
      appVersion: "25.6.1",
      name: "premiere-sim",
      document: "/Users/editor/Edit.prproj",
      capabilities: ["uxp-js"],
    });
    await expect.poll(() => host.status, EVENTUALLY).toBe("connected");
    expect(host.hostId).toBe(row.id);
    expect(statuses[0]).toMatch(/^connecting: ws:\/\/127\.0\.0\.1:\d+\/ws\/host$/);
  });

  it("runs code with top-level await and returns the final value", async () => {
    startHost();
    const { id } = await waitForHost();
    const result = await fx.run({ host: id, code: "const x = await Promise.resolve(20); x + 22" });
    expect(result).toMatchObject({ outcome: "ok", value: 42 });
  });

  it("reports a throw with the user's line", async () => {
    startHost();
    const { id } = await waitForHost();
    const result = await fx.run({ host: id, code: "const a = 1;\nlog('about to fail');\nnull.x;\n" });
    expect(result.outcome).toBe("error");
    expect(result.error).toMatchObject({ type: "TypeError", line: 3 });
    expect(result.logs).toBe("about to fail\n");
  });

  it("rejects syntax errors in preflight without a round trip", async () => {
    startHost();
    const { id } = await waitForHost();
    const result = await fx.run({ host: id, code: "const = 1" });
    expect(result).toMatchObject({ outcome: "rejected", error: { type: "PreflightError", line: 1 } });
  });

  it("drives the simulated premierepro module: references and one transaction", async () => {
    startHost();
    const { id } = await waitForHost();
    const code = [
      'const ppro = require("premierepro");',
      "const project = await ppro.Project.getActiveProject();",
      "const sequence = await project.getActiveSequence();",
      "project.lockedAccess(() =>",
      "  project.executeTransaction((ca) => {",
      '    ca.addAction(project.createRenameAction(sequence, "Renamed"));',
      '  }, "Rename sequence"),',
      ");",
      "({ project, sequences: await project.getSequences() })",
    ].join("\n");
    const result = await fx.run({ host: id, code });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({
      outcome: "ok",
      value: {
        project: { $ref: "Project", name: "Edit" },
        sequences: [
          { $ref: "Sequence", name: "Renamed", guid: "guid-1" },
          { $ref: "Sequence", name: "Seq 2", guid: "guid-2" },
        ],
      },
    });
    expect(simulator.project.undoStack).toEqual(["Rename sequence"]);
  });

  it("runs one script at a time, in order", async () => {
    startHost();
    const { id } = await waitForHost();
    const code = (n: number) =>
      [
        "globalThis.__swActive = (globalThis.__swActive ?? 0) + 1;",
        "globalThis.__swMax = Math.max(globalThis.__swMax ?? 0, globalThis.__swActive);",
        `await new Promise((resolve) => setTimeout(resolve, ${30 - n * 5}));`,
        "globalThis.__swActive -= 1;",
        `(globalThis.__swOrder ??= []).push(${n});`,
        `[${n}, globalThis.__swMax]`,
      ].join("\n");
    const results = await Promise.all([0, 1, 2, 3].map((n) => fx.run({ host: id, code: code(n) })));
    expect(results.map((r) => r.value)).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect((globalThis as { __swOrder?: number[] }).__swOrder).toEqual([0, 1, 2, 3]);
  });

  it("reconnects with backoff after losing the connection", async () => {
    const sockets: WebSocket[] = [];
    class TrackedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        sockets.push(this);
      }
    }
    const { host, statuses } = startHost({ WebSocket: TrackedWebSocket });
    await waitForHost();
    sockets[0]!.terminate();
    // The event this test means: the plugin saw the drop, scheduled a retry and was welcomed
    // again on a new socket. Not a new host id: a host of the same name gets its id back once
    // the bridge has let the dropped one go, and which of the two comes first is up to the load.
    await expect
      .poll(() => {
        const dropped = statuses.findIndex((s) =>
          /^disconnected: connection closed \(1006\); retrying/.test(s),
        );
        return dropped >= 0 && statuses.slice(dropped).some((s) => s.startsWith("connected:"));
      }, EVENTUALLY)
      .toBe(true);
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    const id = host.hostId;
    expect(id).toMatch(/^premiere-\d+$/);
    // The bridge holds the new connection and no longer the dropped one.
    await expect
      .poll(
        async () => ((await (await fx.api("/api/hosts")).json()) as HostRow[]).map((h) => h.id),
        EVENTUALLY,
      )
      .toEqual([id]);
    expect(await fx.run({ host: id!, code: "'back'" })).toMatchObject({ outcome: "ok", value: "back" });
  });

  it("stops for good when the bridge refuses its token", async () => {
    const sockets: WebSocket[] = [];
    class TrackedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        sockets.push(this);
      }
    }
    const { host, statuses } = startHost({ WebSocket: TrackedWebSocket, token: "not-the-token" });
    await expect.poll(() => host.status, EVENTUALLY).toBe("refused");
    expect(statuses.at(-1)).toMatch(/^refused: unauthorized/);
    await new Promise((resolve) => setTimeout(resolve, 400)); // longer than the backoff
    expect(sockets).toHaveLength(1);
    expect(host.status).toBe("refused");
    expect(await (await fx.api("/api/hosts")).json()).toEqual([]);
  });
});

describe("host runtime against a scripted bridge (protocol edge cases)", () => {
  it("queues runs the bridge sends at once, runs them one at a time and drops a cancelled queued run", async () => {
    const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    const port = (server.address() as { port: number }).port;
    const received: Record<string, unknown>[] = [];
    server.on("connection", (socket) => {
      socket.on("message", (data) => {
        const message = JSON.parse(data.toString()) as Record<string, unknown>;
        received.push(message);
        if (message.type !== "hello") return;
        socket.send(JSON.stringify({ type: "welcome", hostId: "premiere-1", protocol: 1 }));
        const slow =
          "globalThis.__swLog = ['a-start'];\nawait new Promise((r) => setTimeout(r, 50));\nglobalThis.__swLog.push('a-end');\n'a'";
        const run = (id: string, code: string) =>
          socket.send(
            JSON.stringify({
              type: "run",
              id,
              language: "uxp-js",
              code: uxpKit.wrap(code).code,
              timeoutMs: 5000,
            }),
          );
        run("a", slow);
        run("b", "globalThis.__swLog.push('b');\n'b'");
        run("c", "globalThis.__swLog.push('c');\n'c'");
        socket.send(JSON.stringify({ type: "cancel", id: "c" }));
        socket.send(JSON.stringify({ type: "run", id: "d", language: "python", code: "1", timeoutMs: 5000 }));
      });
    });
    const host = runtime
      .createHost({
        WebSocket,
        url: `http://127.0.0.1:${port}/?token=t`,
        appVersion: "26.0",
      })
      .start();
    try {
      await expect.poll(() => received.filter((m) => m.type === "result").length, EVENTUALLY).toBe(3);
      const results = received.filter((m) => m.type === "result");
      expect(results.map((r) => r.id)).toEqual(["a", "b", "d"]);
      expect(results[0]).toMatchObject({ ok: true });
      expect(uxpKit.unwrap(results[1]!.output as string, { code: "", lineOffset: 0 })).toEqual({
        value: "b",
      });
      expect(results[2]).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/runs uxp-js, not python/) },
      });
      expect((globalThis as { __swLog?: string[] }).__swLog).toEqual(["a-start", "a-end", "b"]);
      expect(received[0]).toMatchObject({ type: "hello", appVersion: "26.0", token: "t", document: null });
    } finally {
      host.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("bridge URL parsing (what the user pastes into the panel)", () => {
  it("reads the printed URL into the host socket URL and token", () => {
    expect(runtime.parseBridgeUrl(" http://127.0.0.1:7821/?token=ab%2Bc ")).toEqual({
      socketUrl: "ws://127.0.0.1:7821/ws/host",
      token: "ab+c",
    });
    expect(runtime.parseBridgeUrl("ws://localhost:9000/ws/host")).toEqual({
      socketUrl: "ws://localhost:9000/ws/host",
      token: "",
    });
  });

  it("refuses anything but loopback", () => {
    expect(() => runtime.parseBridgeUrl("http://example.com:7821/?token=x")).toThrow(/this computer/);
    expect(() => runtime.parseBridgeUrl("http://127.0.0.1.evil.com/?token=x")).toThrow(/this computer/);
    expect(() => runtime.parseBridgeUrl("ftp://127.0.0.1/")).toThrow(/scheme/);
    expect(() => runtime.parseBridgeUrl("")).toThrow(/paste/);
  });

  it("refuses a port the plugin was not built for, saying how to rebuild it", () => {
    expect(runtime.parseBridgeUrl("http://127.0.0.1:7821/?token=x", 7821).socketUrl).toBe(
      "ws://127.0.0.1:7821/ws/host",
    );
    expect(() => runtime.parseBridgeUrl("http://127.0.0.1:9000/?token=x", 7821)).toThrow(
      "this plugin reaches only port 7821, the one it was built for, but the bridge is on 9000: rebuild it with `scriptwright panel install premiere --port 9000` and install the new .ccx, or start the bridge with --port 7821",
    );
    expect(() => runtime.parseBridgeUrl("http://localhost/?token=x", 7821)).toThrow(/bridge is on 80:/);
  });

  it("tells a pairing code from a URL", () => {
    expect(runtime.parsePanelInput(" abcd-efgh ", 7821)).toEqual({ kind: "code", code: "ABCDEFGH" });
    expect(runtime.parsePanelInput("http://127.0.0.1:7821/?token=t", 7821)).toEqual({
      kind: "url",
      socketUrl: "ws://127.0.0.1:7821/ws/host",
      token: "t",
    });
    expect(() => runtime.parsePanelInput("hello world!", 7821)).toThrow(/neither a URL nor a pairing code/);
    expect(() => runtime.parsePanelInput("  ", 7821)).toThrow(/scriptwright panel pair/);
  });
});

describe("UXP plugin manifest", () => {
  const manifest = JSON.parse(
    readFileSync(new URL("../panels/uxp-premiere/manifest.json", import.meta.url), "utf8"),
  ) as Record<string, unknown> & {
    host: { app: string; minVersion: string };
    entrypoints: { type: string; id: string }[];
    requiredPermissions: {
      network: { domains: string[] };
      allowCodeGenerationFromStrings: boolean;
      localFileSystem: string;
    };
  };

  it("is a v5 manifest for Premiere Pro 25.6 or later with a panel", () => {
    expect(manifest.manifestVersion).toBe(5);
    for (const field of ["id", "name", "version"]) expect(typeof manifest[field]).toBe("string");
    expect(manifest.main).toBe("index.html");
    // One host as an object: a .ccx installs into one app.
    expect(manifest.host.app).toBe("premierepro");
    const [major, minor] = manifest.host.minVersion.split(".").map(Number);
    expect(major! > 25 || (major === 25 && minor! >= 6)).toBe(true);
    expect(manifest.entrypoints.filter((e) => e.type === "panel")).toHaveLength(1);
  });

  it("allows only the loopback bridge on the default port (what bridge-config.js says), code generation and files", () => {
    const { network, allowCodeGenerationFromStrings, localFileSystem } = manifest.requiredPermissions;
    expect(allowCodeGenerationFromStrings).toBe(true);
    // Scripts open and export media anywhere, and capture reads the frames Premiere wrote into the
    // bridge's folder: without it UXP allows only the plugin's own sandbox.
    expect(localFileSystem).toBe("fullAccess");
    expect([...network.domains].sort()).toEqual(
      ["http://127.0.0.1:7821", "http://localhost:7821", "ws://127.0.0.1:7821", "ws://localhost:7821"].sort(),
    );
    for (const domain of network.domains) expect(domain).not.toMatch(/\*/);
    expect(require("../panels/uxp-premiere/bridge-config.js")).toEqual({ port: 7821 });
  });

  it("ships the files the manifest names", () => {
    const html = readFileSync(new URL("../panels/uxp-premiere/index.html", import.meta.url), "utf8");
    expect(html).toMatch(/<script src="main\.js"><\/script>/);
    expect(html).toMatch(/<sp-textfield id="bridge-url"/);
    const main = readFileSync(new URL("../panels/uxp-premiere/main.js", import.meta.url), "utf8");
    for (const file of ["host-runtime.js", "pairing-store.js", "bridge-config.js"]) {
      expect(main).toContain(`require("./${file}")`);
    }
    expect(main).toMatch(/secureStorage/);
  });
});
