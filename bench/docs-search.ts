// Docs: index build time per tree, recall@5 on the quality set, and search latency (p50/p95
// over the quality set) in process and over HTTP, per tree (Premiere: UXP and ExtendScript).
// Baselines measured in the same run: a literal scan of the same tree (what search would cost
// without an index) and an HTTP round trip to /api/health.
// Targets: After Effects tree built in < 3 s; recall@5 ≥ 0.9 per tree; p95 < 5 ms in process
// on the largest tree (Blender). Recall on the held-out questions (written apart from the set)
// is reported beside it, with no target: it shows whether ranking changes carry over.
import { findOnPath } from "../adapters/find-executable.js";
import type { Bridge } from "../bridge/server/bridge-server.js";
import { heldOutOf, QUALITY_TREES, type QualityQuestion, questionsOf } from "../test/docs-quality-set.js";
import { startBenchBridge } from "./bench-bridge.js";
import { summarize } from "./stats.js";

const ROUNDS = 20;

async function time<T>(work: () => T | Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

export async function benchDocsSearch(): Promise<string> {
  const withBlender = findOnPath("blender") !== null;
  const { bridge, close } = await startBenchBridge(withBlender ? 1 : 0);
  const lines = [
    "\n(c) docs: build time, recall@5 and search latency (quality-set questions, in process and over HTTP)",
  ];
  try {
    const builds: Array<[string, number, number]> = [];
    for (const app of ["aftereffects", "premiere"]) {
      for (const tree of bridge.docs.trees(app)) {
        const [built, ms] = await time(() =>
          bridge.docs.build(app, undefined, undefined, undefined, tree.language),
        );
        builds.push([`${app} (${tree.language})`, ms, built.entries + built.members]);
      }
    }
    if (withBlender) {
      const [res, ms] = await time(() =>
        fetch(`${bridge.url}/api/docs/sync`, {
          method: "POST",
          headers: { authorization: `Bearer ${bridge.token}`, "content-type": "application/json" },
          body: JSON.stringify({ app: "blender" }),
        }).then((r) => r.json() as Promise<{ entries: number; members: number }>),
      );
      builds.push(["blender (live sync)", ms, res.entries + res.members]);
    }
    for (const [app, ms, docs] of builds)
      lines.push(`  build ${app.padEnd(20)} ${ms.toFixed(0).padStart(6)} ms  (${docs} entries+members)`);

    const health = await sampleHttp(bridge, () => `${bridge.url}/api/health`, 200);
    lines.push(
      `  HTTP baseline GET /api/health      p50 ${health.p50.toFixed(3)} ms  p95 ${health.p95.toFixed(3)} ms`,
    );
    for (const tree of QUALITY_TREES.filter((t) => withBlender || t.app !== "blender")) {
      const { app, language } = tree;
      const set = questionsOf(tree);
      const questions = set.map((q) => q.question);
      const foundIn = (questions: QualityQuestion[]) =>
        questions.filter((q) =>
          bridge.docs
            .search(app, q.question, { limit: 5, language })
            .hits.some((hit) => q.expect.includes(hit.symbol)),
        ).length;
      const found = foundIn(set);
      const heldOut = heldOutOf(tree);
      const foundHeldOut = foundIn(heldOut);
      lines.push(
        `  recall@5 ${tree.label.padEnd(24)} ${(found / set.length).toFixed(3)} (${found} of ${set.length})` +
          (heldOut.length
            ? `  held-out questions ${(foundHeldOut / heldOut.length).toFixed(3)} (${foundHeldOut} of ${heldOut.length})`
            : ""),
      );
      const inProcess: number[] = [];
      const scan: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (const question of questions) {
          inProcess.push((await time(() => bridge.docs.search(app, question, { limit: 5, language })))[1]);
          if (round < 2)
            scan.push(
              (
                await time(() => bridge.docs.search(app, question, { limit: 5, language, mode: "literal" }))
              )[1],
            );
        }
      }
      let i = 0;
      const http = await sampleHttp(
        bridge,
        () =>
          `${bridge.url}/api/docs/search?app=${app}${language ? `&language=${language}` : ""}&limit=5&q=${encodeURIComponent(questions[i++ % questions.length]!)}`,
        ROUNDS * questions.length,
      );
      const indexed = summarize(inProcess);
      const scanned = summarize(scan);
      lines.push(
        `  search ${tree.label.padEnd(24)} in process p50 ${indexed.p50.toFixed(3)} ms  p95 ${indexed.p95.toFixed(3)} ms` +
          `  (literal scan p50 ${scanned.p50.toFixed(2)} ms: ${(scanned.p50 / indexed.p50).toFixed(0)}× slower)` +
          `  HTTP p50 ${http.p50.toFixed(3)} ms  p95 ${http.p95.toFixed(3)} ms (${(http.p50 / health.p50).toFixed(2)}× health)`,
      );
    }
  } finally {
    await close();
  }
  return lines.join("\n");
}

async function sampleHttp(bridge: Bridge, url: () => string, count: number) {
  const samples: number[] = [];
  for (let i = 0; i < count + 20; i++) {
    const started = performance.now();
    const res = await fetch(url(), { headers: { authorization: `Bearer ${bridge.token}` } });
    await res.json();
    if (i >= 20) samples.push(performance.now() - started);
  }
  return summarize(samples);
}
