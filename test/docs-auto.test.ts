// Docs made on first need, through the real bridge, with stand-in apps whose builds and hosts
// the test holds and releases: docs calls wait for a build in progress (bounded), a host of a
// version without docs is synced on connect, a run sent mid-sync goes before the sync's next
// batch, and a tree nobody can make says why.
import { afterEach, describe, expect, it } from "vitest";
import type { DocSet } from "../adapters/shared/docs-model.js";
import type { Adapter } from "../adapters/types.js";
import type { BridgeOptions } from "../bridge/server/bridge-server.js";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import { call, connectHttp } from "./helpers/mcp.js";
import { ProtocolHost } from "./helpers/protocol-host.js";
import { sampleDocSet } from "./helpers/sample-docset.js";

/** A promise the test resolves when it chooses. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const docSetOf = (app: string, version = "2.0"): DocSet => ({ ...sampleDocSet(version), app });

/** Built from a dependency; each build waits for `release` and is counted. */
function dependencyApp(app: string, build: (version?: string) => Promise<DocSet>): Adapter {
  return {
    app,
    displayName: `${app} (dependency)`,
    language: "echo",
    docs: { versions: () => ["2.0", "1.0"], build },
  };
}

const liveApp: Adapter = {
  app: "liveapp",
  displayName: "Live App",
  language: "echo",
  docs: { introspection: { listScript: "LIST", describeScript: "DESCRIBE", batchSize: 2 } },
};
const cloneApp: Adapter = {
  app: "cloneapp",
  displayName: "Clone App",
  language: "echo",
  docs: { readsDocsOf: "liveapp" },
};
const helpApp: Adapter = {
  app: "helpapp",
  displayName: "Help App",
  language: "echo",
  docs: { buildFrom: async () => docSetOf("helpapp"), fromHint: "<install>/help" },
};

const NAMES = ["Scene", "Item", "BlendMode", "app"];

let fx: BridgeFixture | undefined;
const hosts: ProtocolHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) host.close();
  await fx?.close();
  fx = undefined;
});

async function bridge(adapters: Adapter[], options: Partial<BridgeOptions> = {}): Promise<BridgeFixture> {
  fx = await startBridge({
    adapters: new Map(adapters.map((adapter) => [adapter.app, adapter])),
    autoDocs: true,
    docsWaitMs: 300_000,
    ...options,
  });
  return fx;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies asserted field by field.
async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await fx!.api(path);
  return { status: res.status, body: await res.json() };
}

/** A live app host: answers the listing at once and each describe batch when `describe` lets it. */
async function liveHost(options: { describe?: () => Promise<void>; app?: string } = {}) {
  // The echo kit does not pass the batch's names: batches come in order, two entries each.
  let described = 0;
  const host = await ProtocolHost.connect({
    url: fx!.url,
    token: fx!.token,
    app: options.app ?? "liveapp",
    onRun: async (run) => {
      if (run.code === "LIST") return { output: JSON.stringify({ version: "1.0", names: NAMES }) };
      if (run.code === "DESCRIBE") {
        const batch = described++;
        await options.describe?.();
        return { output: JSON.stringify(docSetOf("liveapp", "1.0").entries.slice(2 * batch, 2 * batch + 2)) };
      }
      return { output: JSON.stringify(`ran ${run.code}`) };
    },
  });
  hosts.push(host);
  return host;
}

describe("docs on first need, from a dependency", () => {
  it("search waits for the build it started, then answers with hits", async () => {
    const release = gate();
    let builds = 0;
    const app = dependencyApp("depapp", async (version) => {
      builds++;
      await release.promise;
      return docSetOf("depapp", version ?? "2.0");
    });
    await bridge([app]);
    const started = new Promise((resolve) => fx!.bridge.autoDocs.builds.once("started", resolve));
    const search = get("/api/docs/search?app=depapp&q=add%20a%20circle");
    await started;
    const listed = await get("/api/docs/builds");
    expect(listed.body).toEqual([
      expect.objectContaining({ app: "depapp", version: "2.0", kind: "build", percent: null }),
    ]);
    release.open();
    const answer = await search;
    expect(answer.status).toBe(200);
    expect(answer.body.hits[0].symbol).toBe("Scene.addCircle");
    expect(builds).toBe(1);
    expect((await get("/api/docs/builds")).body).toEqual([]);
  });

  it("answers that a build is still running after the bounded wait, with how far it got", async () => {
    const release = gate();
    await bridge(
      [
        dependencyApp("depapp", async () => {
          await release.promise;
          return docSetOf("depapp");
        }),
      ],
      { docsWaitMs: 50 },
    );
    const first = await get("/api/docs/search?app=depapp&q=circle");
    expect(first.status).toBe(503);
    expect((first.body as ErrorBody).error).toMatchObject({ code: "building" });
    expect((first.body as ErrorBody).error.message).toMatch(
      /still making the docs: depapp \(dependency\) 2\.0/,
    );

    // The MCP tool gives the model the same answer, as a tool error it can read.
    const client = await connectHttp(fx!.url, fx!.token);
    try {
      const answer = await call(client, "search_docs", { app: "depapp", query: "circle" });
      expect(answer.isError).toBe(true);
      expect(answer.text).toMatch(/still making the docs/);
      const done = new Promise((resolve) => fx!.bridge.autoDocs.builds.once("finished", resolve));
      release.open();
      await done;
      const after = await call(client, "search_docs", { app: "depapp", query: "add a circle" });
      expect(after.isError).toBe(false);
      expect(after.text).toContain("Scene.addCircle");
    } finally {
      await client.close();
    }
  });

  it("says why when the build failed, without building again on every call", async () => {
    let builds = 0;
    await bridge([
      dependencyApp("depapp", async () => {
        builds++;
        throw new Error("types package unreadable");
      }),
    ]);
    for (let i = 0; i < 2; i++) {
      const answer = await get("/api/docs/search?app=depapp&q=circle");
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect((answer.body as ErrorBody).error.message).toMatch(
        /building the depapp \(dependency\) docs failed: .*types package unreadable/,
      );
    }
    expect(builds).toBe(1);
  });

  it("starts the build when a host of the app connects", async () => {
    await bridge([dependencyApp("depapp", async () => docSetOf("depapp"))]);
    const built = new Promise((resolve) => fx!.bridge.autoDocs.builds.once("finished", resolve));
    const { url, token } = fx!;
    hosts.push(await ProtocolHost.connect({ url, token, app: "depapp" }));
    await built;
    expect(fx!.bridge.docs.versions("depapp")).toEqual(["2.0"]);
  });
});

describe("docs synced from a connected host", () => {
  it("syncs when a host of a version without docs connects, once, and search finds it", async () => {
    await bridge([liveApp, cloneApp]);
    const synced = new Promise((resolve) => fx!.bridge.autoDocs.builds.once("finished", resolve));
    const host = await liveHost();
    await synced;
    expect(host.runs.map((run) => run.code)).toEqual(["LIST", "DESCRIBE", "DESCRIBE"]);
    const search = await get("/api/docs/search?app=liveapp&q=add%20a%20circle");
    expect(search.body.version).toBe("1.0");
    expect(search.body.hits[0].symbol).toBe("Scene.addCircle");
    // An app that reads Live App's reference finds it too.
    expect((await get("/api/docs/search?app=cloneapp&q=add%20a%20circle")).body.hits[0].symbol).toBe(
      "Scene.addCircle",
    );

    // A second host of the same version has nothing to add.
    const second = await liveHost();
    await fx!.run({ host: second.hostId, code: "HELLO" });
    expect(second.runs.map((run) => run.code)).toEqual(["HELLO"]);
  });

  it("lets a run sent mid-sync go before the sync's next batch", async () => {
    const describing = gate();
    const release = gate();
    let batches = 0;
    await bridge([liveApp]);
    const synced = new Promise((resolve) => fx!.bridge.autoDocs.builds.once("finished", resolve));
    const host = await liveHost({
      describe: async () => {
        if (batches++ === 0) {
          describing.open();
          await release.promise;
        }
      },
    });
    await describing.promise;
    expect((await get("/api/docs/builds")).body).toEqual([
      expect.objectContaining({
        app: "liveapp",
        kind: "sync",
        hostId: host.hostId,
        done: 0,
        total: 4,
        waiting: 0,
        percent: 0,
      }),
    ]);
    const run = fx!.run({ host: host.hostId, code: "USER" });
    // The run is queued behind the batch in the app; let that batch finish.
    await waitFor(() => fx!.bridge.pool.get(host.hostId)!.load === 2);
    release.open();
    expect(await run).toMatchObject({ outcome: "ok", value: "ran USER" });
    await synced;
    expect(host.runs.map((r) => r.code)).toEqual(["LIST", "DESCRIBE", "USER", "DESCRIBE"]);
  });

  it("a docs call waits for the sync in progress (the agent's search_docs too)", async () => {
    const describing = gate();
    const release = gate();
    await bridge([liveApp]);
    await liveHost({
      describe: async () => {
        describing.open();
        await release.promise;
      },
    });
    await describing.promise;
    const search = get("/api/docs/search?app=liveapp&q=add%20a%20circle");
    const ls = get("/api/docs/ls?app=liveapp");
    // Both calls wait on the sync before it may end.
    await waitFor(() => fx!.bridge.autoDocs.builds.list()[0]?.waiting === 2);
    release.open();
    expect((await search).body.hits[0].symbol).toBe("Scene.addCircle");
    expect((await ls).body).toMatchObject({ version: "1.0" });
  });
});

describe("a sync that fails", () => {
  it("says why, is not run again on every call, and is when a host connects again", async () => {
    await bridge([liveApp]);
    const failed = new Promise((resolve) => fx!.bridge.autoDocs.builds.once("failed", resolve));
    const broken = await ProtocolHost.connect({
      url: fx!.url,
      token: fx!.token,
      app: "liveapp",
      onRun: (run) =>
        run.code === "LIST"
          ? { output: JSON.stringify({ version: "1.0", names: NAMES }) }
          : { fail: "describe crashed" },
    });
    hosts.push(broken);
    await failed;
    for (let i = 0; i < 2; i++) {
      const answer = await get("/api/docs/search?app=liveapp&q=circle");
      expect(answer.status).toBe(502);
      expect((answer.body as ErrorBody).error.message).toMatch(
        /^reading the Live App docs failed: introspecting Live App ended in error: .*describe crashed/,
      );
    }
    expect(broken.runs.map((run) => run.code)).toEqual(["LIST", "DESCRIBE"]);

    broken.close();
    await broken.closed();
    const synced = new Promise((resolve) => fx!.bridge.autoDocs.builds.once("finished", resolve));
    await liveHost();
    await synced;
    expect((await get("/api/docs/search?app=liveapp&q=add%20a%20circle")).body.hits[0].symbol).toBe(
      "Scene.addCircle",
    );
  });
});

describe("a tree nobody can make", () => {
  it("says exactly why: no host to read it from, help files only a person has, or whose it borrows", async () => {
    await bridge([liveApp, cloneApp, helpApp]);
    const live = await get("/api/docs/search?app=liveapp&q=x");
    expect(live.status).toBe(404);
    expect((live.body as ErrorBody).error.message).toMatch(
      /no Live App docs yet: they are read from a running Live App \(live introspection\), and none is connected.*made as soon as one connects/,
    );
    const clone = await get("/api/docs/search?app=cloneapp&q=x");
    expect((clone.body as ErrorBody).error.message).toMatch(
      /^Clone App reads the Live App reference; no Live App docs yet/,
    );
    const help = await get("/api/docs/ls?app=helpapp");
    expect((help.body as ErrorBody).error.message).toMatch(
      /cannot make them by itself: they are built from your own copy of Help App's API help.*docs build --app helpapp --from <install>\/help/,
    );
  });
});

describe("the default version", () => {
  it("stays the newest built: an older one built later is not the default, and says so", async () => {
    await bridge([dependencyApp("depapp", async (version) => docSetOf("depapp", version ?? "2.0"))]);
    const newer = await fx!.api("/api/docs/build", { method: "POST", json: { app: "depapp" } });
    expect(await newer.json()).toMatchObject({ version: "2.0", latest: "2.0" });
    const older = await fx!.api("/api/docs/build", {
      method: "POST",
      json: { app: "depapp", version: "1.0" },
    });
    expect(await older.json()).toMatchObject({ version: "1.0", latest: "2.0" });
    expect((await get("/api/docs/ls?app=depapp")).body).toMatchObject({
      version: "2.0",
      versions: ["2.0", "1.0"],
    });
    expect((await get("/api/docs/ls?app=depapp&version=1.0")).body).toMatchObject({ version: "1.0" });
  });
});

/** Polls a condition the bridge exposes no event for (a host's queue length). */
async function waitFor(condition: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
