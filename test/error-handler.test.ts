// The bridge's one HTTP error handler: routes throw, and the answer depends only on what
// was thrown. A real express app on a free port, the route's errors chosen by the test.
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocsError } from "../adapters/shared/docs-errors.js";
import { SessionRequestError } from "../bridge/agent/session-manager.js";
import { silentLogger } from "../bridge/logger.js";
import { MacroError } from "../bridge/macros/errors.js";
import { StateProbeError } from "../bridge/runs/state-probe.js";
import { errorHandler } from "../bridge/server/error-handler.js";

const thrown: Record<string, () => unknown> = {
  macro: () => new MacroError(409, "exists", 'a macro named "x" already exists (use replace)'),
  docs: () => new DocsError("no-docs", "no docs for blender yet"),
  session: () => new SessionRequestError(409, "session s is still working"),
  probe: () => new StateProbeError(501, "no-state-probe", "no state probe for excel"),
  bug: () => new Error("secret detail at /home/someone/bridge.ts:12"),
  refused: () => Object.assign(new Error("unsupported charset"), { status: 415, expose: true }),
};

let base: string;
let close: () => void;
beforeAll(async () => {
  const app = express();
  app.get("/sync/:kind", (req) => {
    throw thrown[req.params.kind]!();
  });
  app.get("/async/:kind", async (req) => {
    await Promise.resolve();
    throw thrown[req.params.kind]!();
  });
  app.post("/body", express.json({ limit: 10 }), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(errorHandler({ logger: silentLogger(), maxBodyBytes: 10 }));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

async function answer(path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`, init);
  return { status: response.status, body: await response.json() };
}

describe("errorHandler", () => {
  it("answers each error family with its own status, code and message, thrown or rejected", async () => {
    for (const mode of ["sync", "async"]) {
      expect(await answer(`/${mode}/macro`)).toEqual({
        status: 409,
        body: { error: { code: "exists", message: 'a macro named "x" already exists (use replace)' } },
      });
      expect(await answer(`/${mode}/docs`)).toEqual({
        status: 404,
        body: { error: { code: "no-docs", message: "no docs for blender yet" } },
      });
      expect(await answer(`/${mode}/session`)).toEqual({
        status: 409,
        body: { error: { code: "session", message: "session s is still working" } },
      });
      expect(await answer(`/${mode}/probe`)).toEqual({
        status: 501,
        body: { error: { code: "no-state-probe", message: "no state probe for excel" } },
      });
    }
  });

  it("answers anything else with a 500 that says nothing of the bridge's insides", async () => {
    const { status, body } = await answer("/async/bug");
    expect(status).toBe(500);
    expect(body).toEqual({
      error: { code: "internal", message: "the bridge failed to handle this request" },
    });
  });

  it("keeps the status of express's own refusals", async () => {
    expect((await answer("/sync/refused")).status).toBe(415);
    const post = (body: string) =>
      answer("/body", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(await post("{")).toEqual({
      status: 400,
      body: { error: { code: "bad-json", message: "request body is not valid JSON" } },
    });
    expect(await post(JSON.stringify({ long: "x".repeat(20) }))).toEqual({
      status: 413,
      body: { error: { code: "too-large", message: "request body is larger than 10 bytes" } },
    });
  });
});
