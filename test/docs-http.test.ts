import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Adapter } from "../adapters/types.js";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import { sampleDocSet } from "./helpers/sample-docset.js";

const sampleAdapter: Adapter = {
  app: "sampleapp",
  displayName: "Sample App",
  language: "echo",
  docs: { build: (v) => sampleDocSet(v ?? "2.0") },
};

let fx: BridgeFixture;
beforeAll(async () => {
  fx = await startBridge({ adapters: new Map([[sampleAdapter.app, sampleAdapter]]) });
});
afterAll(() => fx.close());

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies asserted field by field.
const get = async (path: string): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${fx.url}${path}`, { headers: { authorization: `Bearer ${fx.token}` } });
  return { status: res.status, body: await res.json() };
};

describe("docs over HTTP", () => {
  it("says which command builds a missing tree, then serves it once built", async () => {
    const missing = await get("/api/docs/search?app=sampleapp&q=circle");
    expect(missing.status).toBe(404);
    expect((missing.body as ErrorBody).error.message).toMatch(/docs build --app sampleapp/);

    const built = await fx.api("/api/docs/build", { method: "POST", json: { app: "sampleapp" } });
    expect(built.status).toBe(200);
    expect(await built.json()).toMatchObject({ app: "sampleapp", version: "2.0", entries: 4 });

    const search = await get("/api/docs/search?app=sampleapp&q=add%20a%20circle&limit=2");
    expect(search.status).toBe(200);
    expect(search.body.hits).toHaveLength(2);
    expect(search.body.hits[0].symbol).toBe("Scene.addCircle"); // either overload
    expect(search.body.hits[0].path).toMatch(/^classes\/Scene\.md#addCircle(-2)?$/);

    const read = await get(
      `/api/docs/read?app=sampleapp&path=${encodeURIComponent(search.body.hits[0].path)}`,
    );
    expect(read.body.text).toMatch(/^<a id="addCircle(-2)?"><\/a>\n### addCircle/);
    const ls = await get("/api/docs/ls?app=sampleapp&path=enums");
    expect(ls.body.items[0]).toMatchObject({ path: "enums/BlendMode.md", symbol: "BlendMode" });
  });

  it("needs the token", async () => {
    expect((await fetch(`${fx.url}/api/docs/search?app=sampleapp&q=x`)).status).toBe(401);
  });

  it.each([
    ["/api/docs/read?app=sampleapp&path=..%2F..%2Fetc%2Fpasswd", 400],
    ["/api/docs/read?app=sampleapp&path=%2Fetc%2Fpasswd", 400],
    ["/api/docs/ls?app=sampleapp&path=..", 400],
    ["/api/docs/read?app=sampleapp&path=classes%2FNope.md", 404],
    ["/api/docs/search?app=sampleapp&q=", 400],
    ["/api/docs/search?app=nope&q=x", 404],
    ["/api/docs/search?app=sampleapp&q=x&limit=abc", 400],
    ["/api/docs/read?app=sampleapp", 400],
  ])("%s → %i with a clear error", async (path, status) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect((res.body as ErrorBody).error.message.length).toBeGreaterThan(5);
  });

  it("refuses a regex the linear-time engine cannot run with 400 naming the pattern and why", async () => {
    const res = await get(`/api/docs/search?app=sampleapp&mode=regex&q=${encodeURIComponent("(a)\\1")}`);
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).error).toMatchObject({
      code: "bad-query",
      message: expect.stringMatching(/`\(a\)\\1` uses a backreference .*linear-time/),
    });
  });

  it("sync without a connected app says so", async () => {
    const res = await fx.api("/api/docs/sync", { method: "POST", json: { app: "sampleapp" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/introspection/);
  });
});
