// A fresh data dir, nobody running `docs` commands: a real headless Blender is synced as it
// connects, a run sent meanwhile is not held up by the sync, and the first agent session
// (real SDK, scripted model) finds Blender's API and After Effects' (built from the
// types-for-adobe dependency; no After Effects host exists here) with search_docs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import type { SessionEvent } from "../bridge/agent/events.js";
import type { DocsBuildStatus } from "../bridge/docs/docs-builds.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

describe.skipIf(blender.skip)("docs made on first need, with a real Blender", () => {
  let fx: BridgeFixture;
  let server: MessagesServer;
  const replies = scriptedReplies();
  /** What happened, in order: sync progress, its end, and runs answered. */
  const timeline: string[] = [];
  let firstBatch: Promise<DocsBuildStatus>;
  let synced: Promise<unknown>;

  beforeAll(async () => {
    server = await MessagesServer.start(replies.responder);
    fx = await startBridge({
      kits: languageKits,
      adapters,
      headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
      autoDocs: true,
      // Generous: the After Effects build loads the TypeScript compiler on a busy machine.
      docsWaitMs: 300_000,
      env: {
        ANTHROPIC_API_KEY: "test-key",
        ANTHROPIC_BASE_URL: server.url,
        SCRIPTWRIGHT_MODEL: "claude-sonnet-5-5",
      },
    });
    const builds = fx.bridge.autoDocs.builds;
    builds.on("progress", (status) => {
      if (status.app === "blender") timeline.push(`sync ${status.done}/${status.total}`);
    });
    firstBatch = new Promise((resolve) => {
      const onProgress = (status: DocsBuildStatus) => {
        if (status.app !== "blender" || status.done === 0) return;
        builds.off("progress", onProgress);
        resolve(status);
      };
      builds.on("progress", onProgress);
    });
    synced = new Promise((resolve, reject) => {
      builds.on("finished", (status, built) => {
        if (status.app !== "blender") return;
        timeline.push("synced");
        resolve(built);
      });
      builds.on("failed", (status, error) => {
        if (status.app === "blender") reject(error);
      });
    });
    await fx.bridge.managed!.waitUntilConnected(60_000);
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
    await server?.close();
  });

  it("syncs Blender's docs as it connects, and a run sent mid-sync is answered before the sync ends", async () => {
    const status = await firstBatch;
    expect(status).toMatchObject({ kind: "sync", version: expect.stringMatching(/^\d+\.\d+/) });
    expect(status.total).toBeGreaterThan(1500);
    const run = await fx.run({ app: "blender", code: "len(D.objects)" });
    timeline.push("run answered");
    expect(run.outcome).toBe("ok");
    await synced;
    const answered = timeline.indexOf("run answered");
    expect(answered).toBeGreaterThan(0);
    // The sync went on after the run: the run did not wait for the whole sync.
    expect(timeline.slice(answered + 1).filter((step) => step.startsWith("sync ")).length).toBeGreaterThan(0);
    expect(timeline.at(-1)).toBe("synced");
    expect(await (await fx.api("/api/docs/builds")).json()).toEqual([]);
    // The bridge's log tells the same story.
    const log = readFileSync(join(fx.dataDir, "logs", "bridge.log"), "utf8");
    for (const message of [
      "a host of a version without docs connected",
      "docs: started",
      "docs: 50%",
      "docs synced",
    ])
      expect(log).toContain(`"msg":"${message}`);
  }, 300_000);

  it("the first agent session's search_docs finds Blender and After Effects APIs, nobody having run docs commands", async () => {
    replies.set([
      {
        toolUses: [
          { name: "search_docs", input: { query: "add a cube mesh" } },
          { name: "search_docs", input: { query: "add a text layer to a composition", app: "aftereffects" } },
        ],
      },
      { text: "Found both." },
    ]);
    const created = await fx.api("/api/sessions", {
      method: "POST",
      json: {
        app: "blender",
        prompt: "Which calls add a cube, and a text layer in After Effects?",
        approval: "auto",
      },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const events = await collect(id);
    expect(events.at(-1)).toMatchObject({ type: "done" });

    const messages = server.requests[1]!.body.messages as Array<{ role: string; content: unknown }>;
    const results = messages.at(-1)!.content as Array<{ type: string; content: string; is_error?: boolean }>;
    const [blenderHits, aeHits] = results.filter((block) => block.type === "tool_result");
    expect(blenderHits?.is_error).not.toBe(true);
    expect(blenderHits?.content).toContain("bpy.ops.mesh.primitive_cube_add");
    expect(aeHits?.is_error).not.toBe(true);
    expect(aeHits?.content).toContain("LayerCollection.addText");
    expect(fx.bridge.docs.versions("aftereffects").length).toBe(1);
  }, 600_000);

  /** The session's SSE stream until done or error. */
  async function collect(id: string): Promise<SessionEvent[]> {
    const stop = new AbortController();
    const res = await fx.api(`/api/sessions/${id}/events`, { signal: stop.signal });
    const events: SessionEvent[] = [];
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const data = buffer
            .slice(0, end)
            .split("\n")
            .find((line) => line.startsWith("data: "));
          buffer = buffer.slice(end + 2);
          if (!data) continue;
          const event = JSON.parse(data.slice(6)) as SessionEvent;
          events.push(event);
          if (event.type === "done" || event.type === "error") return events;
        }
      }
      return events;
    } finally {
      stop.abort();
    }
  }
});
