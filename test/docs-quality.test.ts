// The docs quality set: real trees (After Effects and Premiere's ExtendScript reference from
// types-for-adobe, Premiere's UXP one from @adobe/premierepro, Blender synced from a real
// headless Blender) and questions with known answers, at least 25 per tree.
// recall@5 must stay at or above 0.9 for each tree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { QUALITY_SET, QUALITY_TREES, questionsOf } from "./docs-quality-set.js";
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
    for (const tree of fx.bridge.docs.trees("premiere"))
      await fx.bridge.docs.build("premiere", undefined, undefined, undefined, tree.language);
    if (!blender.skip) {
      await fx.bridge.managed!.waitUntilConnected(60_000);
      const res = await fx.api("/api/docs/sync", { method: "POST", json: { app: "blender" } });
      expect(res.status).toBe(200);
    }
  }, 180_000);
  afterAll(() => fx?.close());

  it("has at least 25 questions for each tree, and every question belongs to one", () => {
    for (const tree of QUALITY_TREES) expect(questionsOf(tree).length, tree.label).toBeGreaterThanOrEqual(25);
    const covered = QUALITY_TREES.reduce((n, tree) => n + questionsOf(tree).length, 0);
    expect(covered).toBe(QUALITY_SET.length);
  });

  const trees = QUALITY_TREES.filter((tree) => !(blender.skip && tree.app === "blender"));
  it.each(trees.map((tree) => [tree.label, tree] as const))(
    "%s: finds the answer in the top 5 for at least 90% of the questions",
    (_label, tree) => {
      const questions = questionsOf(tree);
      const misses: string[] = [];
      for (const q of questions) {
        const { hits } = fx.bridge.docs.search(q.app, q.question, { limit: 5, language: q.language });
        if (!hits.some((hit) => q.expect.includes(hit.symbol))) {
          misses.push(
            `"${q.question}" → wanted ${q.expect.join(" | ")}, got ${hits.map((h) => h.symbol).join(", ")}`,
          );
        }
      }
      const recall = 1 - misses.length / questions.length;
      console.log(
        `docs recall@5 ${tree.label} = ${recall.toFixed(3)} over ${questions.length} questions${misses.length ? `; misses:\n  ${misses.join("\n  ")}` : ""}`,
      );
      expect(recall).toBeGreaterThanOrEqual(0.9);
    },
  );
});
