// docs sync runs an adapter's introspection in the language the introspection is written
// in, when that is not the adapter's own: LibreOffice hosts speak VBA and run Python too,
// and its introspection is Python. Driven with a protocol host that records each run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Adapter } from "../adapters/types.js";
import type { Run } from "../bridge/protocol/messages.js";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import { ProtocolHost } from "./helpers/protocol-host.js";

const entry = { name: "Range", kind: "class" as const, group: "objects", members: [] };

const twoLanguageAdapter: Adapter = {
  app: "twolang",
  displayName: "Two Languages",
  language: "echo-setup",
  docs: {
    introspection: { language: "echo", listScript: "LIST", describeScript: "DESCRIBE", batchSize: 10 },
  },
  // A second reference, built from a dependency: a sync never writes it.
  moreDocs: [{ language: "echo", versions: () => ["1.0"], build: () => docSetOf("1.0") }],
};

function docSetOf(version: string) {
  return { app: "twolang", version, source: "test", entries: [entry] };
}

let fx: BridgeFixture;
let host: ProtocolHost;
beforeAll(async () => {
  fx = await startBridge({ adapters: new Map([[twoLanguageAdapter.app, twoLanguageAdapter]]) });
  host = await ProtocolHost.connect({
    url: fx.url,
    token: fx.token,
    app: "twolang",
    language: "echo-setup",
    capabilities: ["echo"],
    onRun: (run: Run) => {
      if (run.code === "LIST") return { output: JSON.stringify({ version: "7.4", names: ["Range"] }) };
      if (run.code === "DESCRIBE") return { output: JSON.stringify([entry]) };
      return { fail: `unexpected ${run.language} run: ${run.code.slice(0, 40)}` };
    },
  });
});
afterAll(async () => {
  host?.close();
  await fx?.close();
});

describe("docs sync in the introspection's language", () => {
  it("sends the list and describe scripts as that language and builds the tree", async () => {
    const res = await fx.api("/api/docs/sync", { method: "POST", json: { app: "twolang" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ app: "twolang", version: "7.4", entries: 1 });
    expect(host.runs.map((run) => [run.language, run.code])).toEqual([
      ["echo", "LIST"],
      ["echo", "DESCRIBE"],
    ]);
  });

  it("--language names the reference: the synced one syncs, another says how it is built", async () => {
    const own = await fx.api("/api/docs/sync", {
      method: "POST",
      json: { app: "twolang", language: "echo-setup" },
    });
    expect(own.status).toBe(200);
    const other = await fx.api("/api/docs/sync", {
      method: "POST",
      json: { app: "twolang", language: "echo" },
    });
    expect(other.status).toBe(400);
    expect(((await other.json()) as ErrorBody).error.message).toMatch(
      /not synced from the app \(a sync writes its echo-setup reference\); make them with: scriptwright docs build --app twolang --language echo/,
    );
    const unknown = await fx.api("/api/docs/sync", {
      method: "POST",
      json: { app: "twolang", language: "klingon" },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).error.message).toMatch(
      /no Two Languages docs in "klingon" \(its docs are in: echo-setup, echo\)/,
    );
  });
});
