// Code an agent saved as a macro is unreviewed until a person approves that exact version:
// the store's rule, the HTTP routes, and the CLI (`macro approve`, `macro run`, `batch run`),
// without any app: a refusal never reaches a host.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adapters } from "../adapters/registry.js";
import { MacroStore } from "../bridge/macros/store.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { runCli } from "./helpers/cli.js";
import { rejected, thrown } from "./helpers/thrown.js";

const fromSession = (code: string) => ({
  name: "tidy",
  app: "blender",
  description: "tidy the scene",
  code,
  source: { kind: "session" as const, sessionId: "20261207-101010-abcdef" },
});

describe("macro review in the store", () => {
  let dataDir: string;
  let store: MacroStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-review-"));
    store = new MacroStore(dataDir, { adapters });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps code a session saved unreviewed until a person approves that version", async () => {
    const saved = await store.save(fromSession("len(D.objects)"));
    expect(saved.reviewed).toBe(false);
    expect(store.list().macros.find((m) => m.name === "tidy")).toMatchObject({ reviewed: false });
    expect(thrown(() => store.requireReviewed(saved))).toMatchObject({ status: 409, code: "unreviewed" });

    expect(await rejected(() => store.approve("tidy", { via: "cli", hash: "0".repeat(64) }))).toMatchObject({
      status: 409,
      code: "changed",
    });
    const approved = await store.approve("tidy", { via: "cli", hash: saved.hash });
    expect(approved).toMatchObject({ reviewed: true, review: { hash: saved.hash, via: "cli" } });
    expect(store.get("tidy").reviewed).toBe(true);
    // The approval lives in the file, next to the code it approved.
    expect(JSON.parse(readFileSync(approved.file, "utf8")).review.hash).toBe(saved.hash);

    // The session saving other code over it needs a new approval.
    const changed = await store.save(fromSession("D.objects.clear()"), { replace: true });
    expect(changed.reviewed).toBe(false);
  });

  it("takes what people save as theirs, and never takes a review from the caller's input", async () => {
    expect((await store.save({ ...fromSession("1"), source: { kind: "api" } })).reviewed).toBe(true);
    expect(
      (await store.save({ ...fromSession("1"), name: "f", source: { kind: "file", path: "/x.py" } }))
        .reviewed,
    ).toBe(true);
    const forged = await rejected(() =>
      store.save({
        ...fromSession("1"),
        name: "forged",
        review: { hash: "0".repeat(64), at: new Date().toISOString(), via: "cli" },
      }),
    );
    expect(forged).toMatchObject({ status: 400 });
    expect(forged.message).toMatch(/review/);
  });

  it("approves a run's macro only when it is still the version the person saw", async () => {
    const saved = await store.save(fromSession("1"));
    await store.save(fromSession("2"), { replace: true });
    expect(await store.approveRun("tidy", saved.hash)).toBe(false);
    expect(store.get("tidy").reviewed).toBe(false);
    expect(await store.approveRun("tidy", store.get("tidy").hash)).toBe(true);
    expect(await store.approveRun("gone", saved.hash)).toBe(false);
  });

  it("does not take a hand-edited approval for other code", async () => {
    const saved = await store.save(fromSession("1"));
    await store.approve("tidy", { via: "cli" });
    // Someone edits the code and the hash in the file by hand, keeping the old review.
    const file = JSON.parse(readFileSync(saved.file, "utf8"));
    const other = await store.save({ ...fromSession("2"), name: "other" });
    writeFileSync(saved.file, JSON.stringify({ ...file, code: "2", hash: other.hash }));
    expect(store.get("tidy").reviewed).toBe(false);
  });
});

describe("macro review over HTTP", () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridge({ adapters });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("takes a macro a person saves over HTTP from a session's script (the panel's Save as macro) as reviewed", async () => {
    const res = await fx.api("/api/macros", {
      method: "POST",
      json: { ...fromSession("'kept'"), name: "from-panel" },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ reviewed: true, review: { via: "api" } });
  });

  it("refuses to run an unreviewed macro (409, saying how to approve it) until it is approved", async () => {
    const saved = await fx.bridge.macros.save(fromSession("len(D.objects)"));
    let res = await fx.api("/api/macros/tidy/run", { method: "POST", json: {} });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: "unreviewed" });
    expect(body.error.message).toMatch(/scriptwright macro approve tidy/);

    res = await fx.api("/api/macros/tidy/approve", { method: "POST", json: { hash: "nope" } });
    expect(res.status).toBe(400);
    res = await fx.api("/api/macros/tidy/approve", { method: "POST", json: { via: "approved-run" } });
    expect(res.status).toBe(400);
    res = await fx.api("/api/macros/tidy/approve", {
      method: "POST",
      json: { hash: saved.hash, via: "panel" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ reviewed: true, review: { via: "panel" } });
    // Approved, it goes on to the dispatcher: with no Blender here, nothing is dispatched.
    res = await fx.api("/api/macros/tidy/run", { method: "POST", json: {} });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "not-dispatched" });
  });
});

describe("macro review in the CLI", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-review-cli-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("lists and shows an unreviewed macro as such; run and batch refuse it without a terminal; approve lets it run", async () => {
    const store = new MacroStore(dataDir, { adapters });
    const saved = await store.save(fromSession("len(D.objects)"));
    const cli = (args: string[]) => runCli([...args, "--data-dir", dataDir]);

    expect((await cli(["macro", "list"])).stdout).toMatch(/tidy\s+blender\s+unreviewed/);
    expect((await cli(["macro", "show", "tidy"])).stdout).toMatch(
      /review: unreviewed: an agent saved this code/,
    );

    const run = await cli(["macro", "run", "tidy"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no person has approved its code yet.*scriptwright macro approve tidy/s);
    const files = join(dataDir, "a.blend");
    writeFileSync(files, "");
    const batch = await cli(["batch", "run", "--macro", "tidy", "--files", files]);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toMatch(/no person has approved its code yet/);

    expect((await cli(["macro", "approve", "tidy", "--hash", "0".repeat(64)])).code).toBe(2);
    const approve = await cli(["macro", "approve", "tidy", "--hash", saved.hash]);
    expect(approve).toMatchObject({ code: 0 });
    expect(approve.stdout).toMatch(/approved macro tidy/);
    expect((await cli(["macro", "show", "tidy"])).stdout).toMatch(/review: approved \(cli\)/);
    // Past the review, `macro run` goes looking for a bridge: none runs here (exit 3).
    expect((await cli(["macro", "run", "tidy"])).code).toBe(3);
  });
});
