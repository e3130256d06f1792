// The docs quality set: real trees (After Effects and Premiere from types-for-adobe,
// Blender synced from a real headless Blender) and questions with known answers.
// recall@5 must stay at or above 0.9.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { QUALITY_SET } from "./docs-quality-set.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

describe("docs quality set", () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridge({
      kits: languageKits,
      adapters,
      headless: blender.skip ? [] : parseHeadlessSpecs(["blender:1"], adapters).specs,
    });
    await fx.bridge.docs.build("aftereffects");
    await fx.bridge.docs.build("premiere");
    if (!blender.skip) {
      await fx.bridge.managed!.waitUntilConnected(60_000);
      const res = await fx.api("/api/docs/sync", { method: "POST", json: { app: "blender" } });
      expect(res.status).toBe(200);
    }
  }, 180_000);
  afterAll(() => fx?.close());

  it("has at least 40 questions across After Effects, Premiere and Blender", () => {
    expect(QUALITY_SET.length).toBeGreaterThanOrEqual(40);
    expect(new Set(QUALITY_SET.map((q) => q.app))).toEqual(new Set(["aftereffects", "premiere", "blender"]));
  });

  it("finds the answer in the top 5 for at least 90% of the questions", () => {
    const questions = QUALITY_SET.filter((q) => !(blender.skip && q.app === "blender"));
    const misses: string[] = [];
    for (const q of questions) {
      const { hits } = fx.bridge.docs.search(q.app, q.question, { limit: 5 });
      if (!hits.some((hit) => q.expect.includes(hit.symbol))) {
        misses.push(
          `${q.app}: "${q.question}" → wanted ${q.expect.join(" | ")}, got ${hits.map((h) => h.symbol).join(", ")}`,
        );
      }
    }
    const recall = 1 - misses.length / questions.length;
    console.log(
      `docs recall@5 = ${recall.toFixed(3)} over ${questions.length} questions${misses.length ? `; misses:\n  ${misses.join("\n  ")}` : ""}`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});
