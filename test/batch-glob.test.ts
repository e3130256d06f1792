// The batch CLI's own glob and journal replay, without any app.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandGlobs } from "../bridge/batch/glob.js";
import { JournalWriter, jobStatus, readJournal, viewJob } from "../bridge/batch/journal.js";
import { escapeHtml } from "../bridge/batch/report.js";

describe("batch glob", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "sw-glob-"));
    for (const file of [
      "a.blend",
      "b.blend",
      "c.txt",
      "sub/d.blend",
      "sub/deep/e.blend",
      ".hidden/f.blend",
    ]) {
      mkdirSync(join(root, file, ".."), { recursive: true });
      writeFileSync(join(root, file), "");
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("expands *, ?, ** and classes; keeps literal paths even when missing", () => {
    expect(expandGlobs(["*.blend"], root).files).toEqual([join(root, "a.blend"), join(root, "b.blend")]);
    expect(expandGlobs([`${root}/?.txt`]).files).toEqual([join(root, "c.txt")]);
    expect(expandGlobs(["**/*.blend"], root).files).toEqual(
      ["a.blend", "b.blend", "sub/d.blend", "sub/deep/e.blend"].map((f) => join(root, f)),
    );
    expect(expandGlobs(["[ab].blend", "a.blend"], root).files).toHaveLength(2);
    const { files, empty } = expandGlobs(["missing.blend", "*.nothing"], root);
    expect(files).toEqual([join(root, "missing.blend")]);
    expect(empty).toEqual(["*.nothing"]);
  });

  it("replays a journal: done, in flight at a crash, a torn last line", async () => {
    const dir = join(root, "job");
    mkdirSync(dir);
    const journal = new JournalWriter(join(dir, "journal.jsonl"));
    const at = new Date().toISOString();
    journal.appendSync({
      type: "job",
      id: "20260101-000000-abcdef",
      macro: "m",
      macroHash: "0".repeat(64),
      app: "blender",
      params: {},
      files: ["/x/1", "/x/2", "/x/3"],
      concurrency: 2,
      timeoutMs: 1000,
      idempotent: true,
      createdAt: at,
    });
    await journal.append({ type: "run", pid: 999_999_999, resume: false, at });
    await journal.append({ type: "start", file: "/x/1", attempt: 1, at });
    await journal.append({ type: "start", file: "/x/2", attempt: 1, at });
    await journal.append({ type: "done", file: "/x/1", outcome: "ok", durationMs: 5, attempts: 1, at });
    await journal.close();
    writeFileSync(join(dir, "journal.jsonl"), '{"type":"done","file":"/x/2"', { flag: "a" });
    const view = viewJob(dir);
    expect(view.state).toBe("interrupted");
    expect([...view.inFlight]).toEqual(["/x/2"]);
    expect(jobStatus(view)).toMatchObject({ total: 3, done: 1, ok: 1, failed: 0 });
    expect(escapeHtml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });

  it("appends concurrently: every record lands once, in the order appended", async () => {
    const file = join(root, "group-commit.jsonl");
    const journal = new JournalWriter(file);
    const at = new Date().toISOString();
    const appended = Array.from({ length: 200 }, (_, i) =>
      journal.append({ type: "start", file: `/x/${i}`, attempt: 1, at }),
    );
    await Promise.all(appended);
    expect(readJournal(file).map((r) => (r.type === "start" ? r.file : r.type))).toEqual(
      Array.from({ length: 200 }, (_, i) => `/x/${i}`),
    );
    await journal.close();
    await expect(journal.append({ type: "cancel", at })).rejects.toThrow(/closed/);
  });
});
