import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HostInfo } from "../bridge/hosts/host.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { SETUP_KEY } from "./helpers/echo-kit.js";
import { ProtocolHost, type ProtocolHostOptions, type RunAnswer } from "./helpers/protocol-host.js";

let fx: BridgeFixture;
const connected: ProtocolHost[] = [];
beforeAll(async () => {
  // Queued runs wait as long as a busy machine may need; no test here waits for that to expire.
  fx = await startBridge({ maxQueuePerHost: 2, queueTimeoutMs: 60_000 });
});
afterAll(() => fx.close());
afterEach(async () => {
  for (const host of connected.splice(0)) {
    host.close();
    await host.closed();
  }
  // The next test starts with no host left in the pool.
  await waitFor(async () => fx.bridge.pool.all().length === 0);
});

async function host(options: Omit<ProtocolHostOptions, "url" | "token"> = {}) {
  const h = await ProtocolHost.connect({ url: fx.url, token: fx.token, ...options });
  connected.push(h);
  return h;
}

/** A host as the supervisor's slot `id` would start it: the pool reserved `id` for its instance. */
async function managedHost(id: string, options: Omit<ProtocolHostOptions, "url" | "token"> = {}) {
  const instance = `instance-of-${id}-${Math.random().toString(36).slice(2)}`;
  fx.bridge.pool.ids.reserve(id, instance);
  const h = await ProtocolHost.connect({ url: fx.url, token: fx.token, instance, ...options });
  connected.push(h);
  return h;
}

const run = (body: Record<string, unknown>) => fx.run(body);
const listHosts = async () => (await (await fx.api("/api/hosts")).json()) as HostInfo[];

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await later(20, null);
  }
}

describe("selection", () => {
  it("picks by host id and by app, and says what is connected when nothing matches", async () => {
    const a = await host({ app: "alpha", onRun: () => ({ output: '"from alpha"' }) });
    const b = await host({ app: "beta", onRun: () => ({ output: '"from beta"' }) });
    expect(await run({ host: b.hostId, code: "x" })).toMatchObject({
      outcome: "ok",
      value: "from beta",
      hostId: b.hostId,
    });
    expect(await run({ app: "alpha", code: "x" })).toMatchObject({
      outcome: "ok",
      value: "from alpha",
      hostId: a.hostId,
    });
    const unknownApp = await run({ app: "gamma", code: "x" });
    expect(unknownApp).toMatchObject({ outcome: "not-dispatched", hostId: null });
    expect(unknownApp.error.message).toContain(a.hostId);
    expect(await run({ host: "nope-1", code: "x" })).toMatchObject({ outcome: "not-dispatched" });
    const ambiguous = await run({ code: "x" });
    expect(ambiguous.outcome).toBe("not-dispatched");
    expect(ambiguous.error.message).toMatch(/several apps/);
  });

  it("spreads runs for one app over its idle managed hosts", async () => {
    // Both hold their answers, so the second run finds the first host still busy.
    let release: () => void = () => {};
    const gate = new Promise<RunAnswer>((resolve) => {
      release = () => resolve({ output: "1" });
    });
    const a = await managedHost("multi-1", { app: "multi", onRun: () => gate });
    const b = await managedHost("multi-2", { app: "multi", onRun: () => gate });
    const pending = [run({ app: "multi", code: "x" }), run({ app: "multi", code: "y" })];
    const queued = async () => (await listHosts()).reduce((sum, h) => sum + h.queued, 0);
    await waitFor(async () => a.runs.length + b.runs.length + (await queued()) === 2);
    expect([a.runs.length, b.runs.length]).toEqual([1, 1]);
    release();
    const results = await Promise.all(pending);
    expect(new Set(results.map((r) => r.hostId))).toEqual(new Set([a.hostId, b.hostId]));
  });

  it("rejects a language the host does not speak, and one with no kit", async () => {
    const h = await host();
    expect(await run({ host: h.hostId, code: "x", language: "vba" })).toMatchObject({ outcome: "rejected" });
    expect(h.runs).toHaveLength(0);
  });

  it("rejects code the kit's preflight refuses, without sending it", async () => {
    const h = await host();
    const response = await run({ host: h.hostId, code: "a\u0000b" });
    expect(response).toMatchObject({ outcome: "rejected", error: { line: 1 } });
    expect(h.runs).toHaveLength(0);
  });
});

describe("which host a run goes to", () => {
  it("by app: an app a person opened before a managed one, the most recently active first; an explicit host wins", async () => {
    const answer = (label: string) => () => ({ output: JSON.stringify(label) });
    const m = await managedHost("pick-1", { app: "pick", onRun: answer("managed") });
    expect(await run({ app: "pick", code: "x" })).toMatchObject({ value: "managed", hostId: m.hostId });
    const a = await host({ app: "pick", onRun: answer("a") });
    const b = await host({ app: "pick", onRun: answer("b") });
    // The last to connect is the last the person opened.
    expect(await run({ app: "pick", code: "x" })).toMatchObject({ value: "b" });
    // A finished run is a sign of use: `a` is now the one last worked in.
    expect(await run({ host: a.hostId, code: "x" })).toMatchObject({ value: "a" });
    expect(await run({ app: "pick", code: "x" })).toMatchObject({ value: "a" });
    // So is an event (the person opened or saved a document in `b`).
    b.socket.send(JSON.stringify({ type: "event", name: "document-changed", document: "/tmp/b.blend" }));
    await waitFor(
      async () => (await listHosts()).find((h) => h.id === b.hostId)?.document === "/tmp/b.blend",
    );
    expect(await run({ app: "pick", code: "x" })).toMatchObject({ value: "b" });
    expect(await run({ host: m.hostId, code: "x" })).toMatchObject({ value: "managed" });
    // Listed in that order: the host a run by app picks comes first, managed ones last.
    expect((await listHosts()).filter((h) => h.app === "pick").map((h) => [h.id, h.kind])).toEqual([
      [b.hostId, "interactive"],
      [a.hostId, "interactive"],
      [m.hostId, "managed"],
    ]);
    // A batch job opens its files in the host: never in an app a person opened.
    expect(fx.bridge.pool.candidates("pick", "batch").map((h) => h.id)).toEqual([m.hostId]);
    for (const h of [a, b]) {
      h.close();
      await h.closed();
    }
    await waitFor(async () => (await listHosts()).filter((h) => h.app === "pick").length === 1);
    expect(await run({ app: "pick", code: "x" })).toMatchObject({ value: "managed" });
  });

  it("by app when busy: the person's app queues the run rather than handing it to another instance", async () => {
    let release: (answer: RunAnswer) => void = () => {};
    const gate = new Promise<RunAnswer>((resolve) => {
      release = resolve;
    });
    const m = await managedHost("queue-1", { app: "queue", onRun: () => ({ output: '"managed"' }) });
    const a = await host({ app: "queue", onRun: (r) => (r.code === "slow" ? gate : { output: '"a"' }) });
    const slow = run({ app: "queue", code: "slow" });
    await waitFor(async () => a.runs.length === 1);
    const next = run({ app: "queue", code: "x" });
    await waitFor(async () => (await listHosts()).find((h) => h.id === a.hostId)?.queued === 1);
    release({ output: '"first"' });
    expect(await slow).toMatchObject({ value: "first" });
    expect(await next).toMatchObject({ value: "a", hostId: a.hostId });
    expect(m.runs).toHaveLength(0);
  });
});

describe("host ids", () => {
  it("are the same in the welcome and the list; managed slots keep theirs, interactive hosts count past them", async () => {
    const managed = await managedHost("ids-1", { app: "ids", name: "ids-headless-1" });
    fx.bridge.pool.ids.reserve("ids-2", "not-started-yet");
    const x = await host({ app: "ids", name: "x-window" });
    expect([managed.hostId, x.hostId]).toEqual(["ids-1", "ids-3"]);
    const listed = (await listHosts()).filter((h) => h.app === "ids");
    expect(listed.map((h) => [h.id, h.name, h.kind])).toEqual([
      ["ids-3", "x-window", "interactive"],
      ["ids-1", "ids-headless-1", "managed"],
    ]);
  });

  it("a host reconnecting under its name gets its id back; never one id for two live hosts", async () => {
    const first = await host({ app: "again", name: "studio" });
    first.close();
    await first.closed();
    await waitFor(async () => !(await listHosts()).some((h) => h.id === first.hostId));
    const back = await host({ app: "again", name: "studio" });
    expect(back.hostId).toBe(first.hostId);
    const twin = await host({ app: "again", name: "studio" });
    expect(twin.hostId).not.toBe(back.hostId);
    const other = await host({ app: "again", name: "other" });
    const ids = (await listHosts()).filter((h) => h.app === "again").map((h) => h.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids.sort()).toEqual([back.hostId, twin.hostId, other.hostId].sort());
  });

  it("a managed slot's new process takes over its id; the stale connection is dropped", async () => {
    const old = await managedHost("slot-1", { app: "slot", onRun: () => ({ output: '"old"' }) });
    // The supervisor restarted the slot while the old process still looked connected.
    const fresh = await managedHost("slot-1", { app: "slot", onRun: () => ({ output: '"new"' }) });
    expect(fresh.hostId).toBe("slot-1");
    await old.closed();
    const listed = (await listHosts()).filter((h) => h.app === "slot");
    expect(listed.map((h) => [h.id, h.kind])).toEqual([["slot-1", "managed"]]);
    expect(await run({ host: "slot-1", code: "x" })).toMatchObject({ value: "new" });
    // A process with a slot's old instance is not that slot any more.
    const stray = await host({ app: "slot", instance: "instance-no-one-reserved" });
    expect(stray.hostId).toBe("slot-2");
    expect((await listHosts()).find((h) => h.id === "slot-2")?.kind).toBe("interactive");
  });
});

describe("serial queue per host", () => {
  it("sends one run at a time, in order", async () => {
    let running = 0;
    let maxRunning = 0;
    const h = await host({
      onRun: async (r) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await later(40, null);
        running--;
        return { output: JSON.stringify(r.code) };
      },
    });
    const results = await Promise.all(["a", "b", "c"].map((code) => run({ host: h.hostId, code })));
    expect(results.map((r) => r.value)).toEqual(["a", "b", "c"]);
    expect(maxRunning).toBe(1);
    expect(h.runs.map((r) => r.code)).toEqual(["a", "b", "c"]);
  });

  it("refuses runs past the queue limit as not-dispatched", async () => {
    // The host holds its answers: one run is running, two wait, the fourth finds no room.
    let release: () => void = () => {};
    const gate = new Promise<RunAnswer>((resolve) => {
      release = () => resolve({ output: "1" });
    });
    const h = await host({ onRun: () => gate });
    const pending = [1, 2, 3, 4].map(() => run({ host: h.hostId, code: "x" }));
    const first = await Promise.race(pending);
    expect(first.outcome).toBe("not-dispatched");
    expect(first.error.message).toMatch(/busy/);
    release();
    const outcomes = (await Promise.all(pending)).map((r) => r.outcome).sort();
    expect(outcomes).toEqual(["not-dispatched", "ok", "ok", "ok"]);
  });
});

describe("outcomes", () => {
  it("times out without retrying, sends cancel, and holds later runs until the host answers", async () => {
    const h = await host({ onRun: (r) => (r.code === "hang" ? "hang" : { output: '"next"' }) });
    const timedOut = await run({ host: h.hostId, code: "hang", timeoutMs: 100 });
    expect(timedOut.outcome).toBe("timeout");
    expect(timedOut.error.message).toMatch(/unknown/);
    const cancel = await h.seen("cancel");
    expect(cancel).toMatchObject({ type: "cancel", id: h.runs[0]!.id });
    const hosts = (await (await fx.api("/api/hosts")).json()) as Array<{ id: string; busy: boolean }>;
    expect(hosts.find((x) => x.id === h.hostId)?.busy).toBe(true);

    const next = run({ host: h.hostId, code: "after" });
    await waitFor(
      async () => h.runs.length > 1 || (await listHosts()).find((x) => x.id === h.hostId)?.queued === 1,
    );
    expect(h.runs.map((r) => r.code)).toEqual(["hang"]);
    h.sendResult(h.runs[0]!.id, '"late"');
    expect(await next).toMatchObject({ outcome: "ok", value: "next" });
    expect(h.runs.map((r) => r.code)).toEqual(["hang", "after"]);
  });

  it("ends a run as host-lost when the socket drops mid-run, and queued runs as not-dispatched", async () => {
    const h = await host({ onRun: () => "hang" });
    const first = run({ host: h.hostId, code: "a", timeoutMs: 60_000 });
    const second = run({ host: h.hostId, code: "b", timeoutMs: 60_000 });
    await waitFor(
      async () => h.runs.length === 1 && (await listHosts()).find((x) => x.id === h.hostId)?.queued === 1,
    );
    h.socket.terminate();
    expect((await first).outcome).toBe("host-lost");
    expect((await second).outcome).toBe("not-dispatched");
    expect(h.runs).toHaveLength(1);
  });

  it.each([
    ["empty output", { output: "" }],
    ["unparsable output", { output: "undefined" }],
    ["a failure the wrapper could not catch", { fail: "EvalScript error." }],
  ])("treats %s as error, never ok", async (_label, answer) => {
    const h = await host({ onRun: () => answer as RunAnswer });
    const response = await run({ host: h.hostId, code: "x" });
    expect(response.outcome).toBe("error");
    expect(response.error.message.length).toBeGreaterThan(5);
  });

  it("keeps serving after every kind of bad run", async () => {
    const h = await host({ onRun: (r) => (r.code === "ok" ? { output: "42" } : { output: "" }) });
    await run({ host: h.hostId, code: "bad" });
    expect(await run({ host: h.hostId, code: "ok" })).toMatchObject({ outcome: "ok", value: 42 });
  });
});

describe("language kit setup", () => {
  it("runs once per connection before the first run, and again when the host lost it", async () => {
    let loaded = false;
    const h = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      language: "echo-setup",
      onRun: (r) => {
        if (r.code === "SETUP") {
          loaded = true;
          return { output: "null" };
        }
        return loaded ? { output: JSON.stringify(r.code) } : { fail: `KeyError: '${SETUP_KEY}'` };
      },
    });
    connected.push(h);
    expect(await run({ host: h.hostId, code: "a" })).toMatchObject({ outcome: "ok", value: "a" });
    expect(await run({ host: h.hostId, code: "b" })).toMatchObject({ outcome: "ok", value: "b" });
    expect(h.runs.map((r) => r.code)).toEqual(["SETUP", "a", "b"]);
    loaded = false;
    expect(await run({ host: h.hostId, code: "c" })).toMatchObject({ outcome: "ok", value: "c" });
    expect(h.runs.map((r) => r.code)).toEqual(["SETUP", "a", "b", "c", "SETUP", "c"]);
  });

  it("reports a setup that fails as an error and sends no run", async () => {
    const h = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      language: "echo-setup",
      onRun: (r) => (r.code === "SETUP" ? { output: "" } : { output: "1" }),
    });
    connected.push(h);
    const response = await run({ host: h.hostId, code: "a" });
    expect(response.outcome).toBe("error");
    expect(response.error.message).toMatch(/loading the echo-setup runtime/);
    expect(h.runs.map((r) => r.code)).toEqual(["SETUP"]);
  });
});
