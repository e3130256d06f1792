// Pairing the Premiere UXP plugin once, so it keeps working across bridge restarts: the plugin's
// runtime (panels/uxp-premiere) in Node, in a SIMULATOR of Premiere's UXP runtime (premierepro
// module, secureStorage, localStorage: test/helpers/premiere-uxp-simulator.ts), against real
// `scriptwright serve` processes and the real `scriptwright panel pair|pairings|unpair`
// commands. It proves the plugin's and the bridge's sides of pairing, not that Premiere works.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type CliResult, runCli, type ServeProcess, startServe } from "./helpers/cli.js";
import {
  createPairingStore,
  type HostOptions,
  type PairingStore,
  premiereSimulator,
  runtime,
  uxpStorageSimulator,
} from "./helpers/premiere-uxp-simulator.js";

/** Polls wait for the state they mean; the bound only ends a test that would otherwise hang (the machine may be busy). */
const EVENTUALLY = { timeout: 30_000, interval: 50 };

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sw-pairing-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(dataDir: string, port?: number): Promise<ServeProcess> {
  const started = await startServe(dataDir, port === undefined ? [] : ["--port", String(port)], 60_000);
  cleanups.push(() => started.stop());
  return started;
}

async function api<T>(bridge: ServeProcess, path: string, init: { method?: string; json?: unknown } = {}) {
  const response = await fetch(`${bridge.info.url}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${bridge.info.token}`,
      ...(init.json === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  expect(response.status, `${path}: ${response.status}`).toBe(200);
  return (await response.json()) as T;
}

async function premiereHosts(bridge: ServeProcess) {
  return (await api<{ id: string; app: string; name: string }[]>(bridge, "/api/hosts")).filter(
    (host) => host.app === "premiere",
  );
}

/** The plugin as main.js starts it, in the simulator: the bridge port it was built for, its storage. */
function plugin(options: Partial<HostOptions> & { port: number; store: PairingStore }) {
  const statuses: string[] = [];
  const host = runtime.createHost({
    WebSocket,
    premierepro: premiereSimulator().module,
    name: "premiere-sim",
    onStatus: (state, detail) => statuses.push(`${state}: ${detail}`),
    reconnectFirstMs: 50,
    reconnectMaxMs: 250,
    ...options,
  });
  cleanups.push(() => host.stop());
  host.start();
  return { host, statuses };
}

async function pairWithToken(bridge: ServeProcess) {
  const storage = uxpStorageSimulator();
  const store = createPairingStore(storage.storages);
  const { host, statuses } = plugin({
    url: `${bridge.info.url}/?token=${bridge.info.token}`,
    port: bridge.info.port,
    store,
  });
  await expect.poll(() => host.paired && host.status === "connected", EVENTUALLY).toBe(true);
  const stored = (await store.load())!;
  return { host, statuses, store, storage, stored };
}

function cli(args: string[], dataDir: string): Promise<CliResult> {
  return runCli(["panel", ...args, "--data-dir", dataDir]);
}

function logText(dataDir: string): string {
  return readFileSync(join(dataDir, "logs", "bridge.log"), "utf8");
}

describe("pairing the Premiere UXP plugin (simulator of Premiere's UXP runtime) with real bridges", () => {
  it("pairs with the pasted token, then reconnects with its pairing after the bridge restarts with a new token, without the person", async () => {
    const dataDir = tempDataDir();
    const first = await serve(dataDir);
    const { host, statuses, storage, store, stored } = await pairWithToken(first);

    // Stored on both sides: the plugin's secure storage, the bridge's pairings.json (0600).
    expect(stored).toEqual({
      socketUrl: `ws://127.0.0.1:${first.info.port}/ws/host`,
      id: expect.stringMatching(/^pair-[0-9a-f]{8}$/),
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect([...storage.secureItems.keys()]).toEqual(["scriptwright.pairing"]);
    expect(storage.localItems.size).toBe(0);
    expect(statSync(join(dataDir, "pairings.json")).mode & 0o777).toBe(0o600);
    const listed = await cli(["pairings", "--json"], dataDir);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        id: stored.id,
        app: "premiere",
        name: "premiere-sim",
        createdAt: expect.any(String),
        lastUsedAt: null,
        connected: true,
      },
    ]);
    expect(listed.stdout).not.toContain(stored.secret);

    await first.stop();
    const second = await serve(dataDir, first.info.port);
    expect(second.info.token).not.toBe(first.info.token);
    await expect.poll(async () => (await premiereHosts(second)).length, EVENTUALLY).toBe(1);
    await expect.poll(() => host.status, EVENTUALLY).toBe("connected");
    const reconnectedAt = statuses.findLastIndex((s) => s.startsWith("connected:"));
    expect(statuses.slice(0, reconnectedAt).some((s) => s.startsWith("disconnected:"))).toBe(true);
    expect(await store.load()).toEqual(stored);

    const hello = logText(dataDir)
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; via?: string; pairing?: string; pid?: number })
      .filter((entry) => entry.msg === "host connected");
    expect(hello.at(-1)).toMatchObject({ via: "pairing", pairing: stored.id });

    // The restarted bridge read the secret from its file: a script that prints it gets it redacted.
    (globalThis as { __swPairingStore?: PairingStore }).__swPairingStore = store;
    cleanups.push(() => delete (globalThis as { __swPairingStore?: PairingStore }).__swPairingStore);
    const run = await api<{ outcome: string; value: unknown }>(second, "/api/run", {
      method: "POST",
      json: {
        app: "premiere",
        code: 'const p = await globalThis.__swPairingStore.load();\n"secret=" + p.secret',
      },
    });
    expect(run).toMatchObject({ outcome: "ok", value: "secret=[redacted: pairing secret]" });
    expect(logText(dataDir)).not.toContain(stored.secret);
  });

  it("`panel unpair` revokes a pairing: the panel is disconnected, forgets it, and the next hello with it is refused with a clear message", async () => {
    const dataDir = tempDataDir();
    const bridge = await serve(dataDir);
    const { host, statuses, store, stored } = await pairWithToken(bridge);

    const unpaired = await cli(["unpair", stored.id], dataDir);
    expect(unpaired).toMatchObject({ code: 0 });
    expect(unpaired.stdout).toContain(`Revoked ${stored.id}. 1 connection closed.`);
    await expect.poll(() => host.status, EVENTUALLY).toBe("refused");
    expect(statuses.at(-1)).toMatch(/^refused: unauthorized: this panel's pairing was revoked/);
    await expect.poll(() => store.load(), EVENTUALLY).toBeNull();
    expect(host.paired).toBe(false);

    // A panel that still holds the revoked pairing (say, a second copy) is refused, for good.
    const kept = createPairingStore(uxpStorageSimulator().storages);
    await kept.save(stored);
    const again = plugin({ port: bridge.info.port, store: kept });
    await expect.poll(() => again.host.status, EVENTUALLY).toBe("refused");
    expect(again.statuses.at(-1)).toMatch(
      /^refused: unauthorized: this panel's pairing is not known to the bridge \(revoked with `scriptwright panel unpair`.*pair it again: run `scriptwright panel pair`/,
    );
    expect(await premiereHosts(bridge)).toEqual([]);
    expect(JSON.parse((await cli(["pairings", "--json"], dataDir)).stdout)).toEqual([]);
    expect(logText(dataDir)).not.toContain(stored.secret);
  });

  it("a code from `panel pair` pairs a panel with nothing pasted; a code works once", async () => {
    const dataDir = tempDataDir();
    const bridge = await serve(dataDir);
    const text = await cli(["pair"], dataDir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Premiere Pro: Window › UXP Plugins › Scriptwright");
    const issued = await cli(["pair", "--json"], dataDir);
    const { code } = JSON.parse(issued.stdout) as { code: string };
    expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    // Typed as a person might: lower case, no dash. The first code is over: the second replaced it.
    const typed = code.replace("-", "").toLowerCase();
    const store = createPairingStore(uxpStorageSimulator({ secure: false }).storages);
    const first = plugin({ pairingCode: typed, port: bridge.info.port, store });
    await expect.poll(() => first.host.paired && first.host.status === "connected", EVENTUALLY).toBe(true);
    expect((await store.load())?.socketUrl).toBe(`ws://127.0.0.1:${bridge.info.port}/ws/host`);

    const second = plugin({
      pairingCode: code,
      port: bridge.info.port,
      store: createPairingStore(uxpStorageSimulator().storages),
    });
    await expect.poll(() => second.host.status, EVENTUALLY).toBe("refused");
    expect(second.statuses.at(-1)).toMatch(/^refused: unauthorized: wrong or expired pairing code/);
    expect(JSON.parse((await cli(["pairings", "--json"], dataDir)).stdout)).toHaveLength(1);
    expect(logText(dataDir)).not.toContain(code.replace("-", ""));
  });
});

describe("hello with a pairing on the raw protocol (a real bridge)", () => {
  /** One hello on a fresh socket: the bridge's first answer and how it closed (if it did). */
  async function hello(bridge: ServeProcess, frame: Record<string, unknown>) {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.info.port}/ws/host`);
    const answers: Record<string, unknown>[] = [];
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.on("message", (data) => answers.push(JSON.parse(data.toString())));
    await new Promise((resolve) => ws.once("open", resolve));
    ws.send(JSON.stringify(frame));
    await expect.poll(() => answers.length, EVENTUALLY).toBeGreaterThan(0);
    const first = answers[0]!;
    if (first.type === "welcome") {
      ws.close();
      return { answer: first, close: null };
    }
    const close = first.code === "bad-message" ? null : await closed;
    if (close === null) ws.close();
    return { answer: first, close };
  }

  const about = {
    type: "hello",
    protocol: 1,
    app: "premiere",
    appVersion: "25.6",
    language: "uxp-js",
    name: "raw",
    capabilities: ["uxp-js"],
  };

  it("a wrong or revoked secret is refused like a wrong token; only a valid credential gets a schema error", async () => {
    const dataDir = tempDataDir();
    const bridge = await serve(dataDir);
    const paired = await hello(bridge, { ...about, token: bridge.info.token, pair: true });
    expect(paired.answer).toMatchObject({ type: "welcome", pairing: { id: expect.any(String) } });
    const pairing = paired.answer.pairing as { id: string; secret: string };

    const wrongToken = await hello(bridge, { ...about, token: "not-the-token" });
    expect(wrongToken).toEqual({
      answer: { type: "error", code: "unauthorized", message: "missing or wrong token" },
      close: 1008,
    });
    const wrongSecret = await hello(bridge, {
      ...about,
      token: "",
      pairing: { id: pairing.id, secret: "x".repeat(43) },
    });
    expect(wrongSecret).toMatchObject({ answer: { type: "error", code: "unauthorized" }, close: 1008 });
    expect(wrongSecret.answer.message).toMatch(/^this panel's pairing is not known to the bridge/);
    const unknownId = await hello(bridge, {
      ...about,
      token: "",
      pairing: { id: "pair-00000000", secret: pairing.secret },
    });
    expect(unknownId).toEqual(wrongSecret);

    // A malformed hello: wrong credentials are refused before the schema is judged.
    const { name: _name, ...nameless } = about;
    expect(
      await hello(bridge, { ...nameless, token: "", pairing: { ...pairing, secret: "y".repeat(43) } }),
    ).toEqual(wrongToken);
    const malformed = await hello(bridge, { ...nameless, token: "", pairing });
    expect(malformed.answer).toMatchObject({ type: "error", code: "bad-message" });

    const withPairing = await hello(bridge, { ...about, token: "", pairing });
    expect(withPairing.answer).toMatchObject({ type: "welcome", protocol: 1 });
    expect(withPairing.answer.pairing).toBeUndefined();

    expect((await cli(["unpair", "--all"], dataDir)).stdout).toContain(`Revoked ${pairing.id}.`);
    expect(await hello(bridge, { ...about, token: "", pairing })).toEqual(wrongSecret);
    expect(logText(dataDir)).not.toContain(pairing.secret);
  });
});
