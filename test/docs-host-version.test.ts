// The agent reads the docs of its host's own version: with an older version synced after a
// newer one (the newer stays the default), a session on the older host searches, reads and
// lists the older tree; a host whose version has no tree reads the default.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocSet } from "../adapters/shared/docs-model.js";
import type { Adapter } from "../adapters/types.js";
import { runTool, type ToolContext } from "../bridge/agent/tools.js";
import { DocsService } from "../bridge/docs/docs-service.js";
import { sampleDocSet } from "./helpers/sample-docset.js";

const liveApp: Adapter = {
  app: "liveapp",
  displayName: "Live App",
  language: "echo",
  docs: { introspection: { listScript: "LIST", describeScript: "DESCRIBE", batchSize: 2 } },
};

/** The sample reference plus one class only this version has. */
function docSet(version: string, only: string): DocSet {
  const base = sampleDocSet(version);
  return {
    ...base,
    app: "liveapp",
    entries: [
      ...base.entries,
      { name: only, kind: "class", group: "classes", description: `Only in ${version}.`, members: [] },
    ],
  };
}

let dataDir: string;
let docs: DocsService;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "sw-docs-host-"));
  docs = new DocsService(dataDir, new Map([[liveApp.app, liveApp]]));
  docs.write(liveApp, docSet("4.2.0", "NewThing"));
  docs.write(liveApp, docSet("3.4.1", "OldThing"));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** What the agent's tools see for a session on a host reporting `appVersion`. */
function session(appVersion: string): ToolContext {
  return {
    app: "liveapp",
    hostId: "liveapp-1",
    pool: { get: (id: string) => (id === "liveapp-1" ? { hello: { appVersion } } : undefined) },
    docs,
  } as unknown as ToolContext;
}

describe("docs for the session host's version", () => {
  it("the newer version stays the default", () => {
    expect(docs.ls("liveapp").version).toBe("4.2.0");
  });

  it("a session on the older host searches, reads and lists the older tree", async () => {
    const ctx = session("3.4.1");
    const found = await runTool("search_docs", { query: "OldThing" }, ctx);
    expect(found.content).toMatch(/^classes\/OldThing\.md {2}OldThing/);
    expect((await runTool("search_docs", { query: "NewThing" }, ctx)).content).not.toContain("NewThing.md");
    expect((await runTool("read_doc", { path: "classes/OldThing.md" }, ctx)).content).toContain(
      "Only in 3.4.1.",
    );
    expect((await runTool("list_docs", { path: "classes" }, ctx)).content).toContain("OldThing");
  });

  it("a session on the newer host, or on a version without a tree, reads the default", async () => {
    for (const version of ["4.2.0", "5.0.0"]) {
      const found = await runTool("search_docs", { query: "NewThing" }, session(version));
      expect(found.content).toMatch(/^classes\/NewThing\.md {2}NewThing/);
    }
  });
});
