// `scriptwright docs …` as a user runs it, on After Effects and Premiere trees built from
// the types-for-adobe dependency (no app needed).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";

let dataDir: string;
const docs = (args: string[]) => runCli(["docs", ...args, "--data-dir", dataDir]);

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "sw-docs-cli-"));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("docs commands", () => {
  it("says which command builds a tree that is missing", async () => {
    const result = await docs(["search", "--app", "aftereffects", "addText"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/scriptwright docs build --app aftereffects/);
  });

  it("builds After Effects (newest and an older version side by side) and Premiere", async () => {
    const newest = await docs(["build", "--app", "aftereffects", "--json"]);
    expect(newest.code).toBe(0);
    const built = JSON.parse(newest.stdout);
    expect(built).toMatchObject({ app: "aftereffects", source: expect.stringMatching(/^types-for-adobe /) });
    expect(built.entries).toBeGreaterThan(200);
    const older = await docs(["build", "--app", "aftereffects", "--version", "22.0"]);
    expect(older.stdout).toMatch(/built aftereffects 22\.0 docs/);
    // Built last, yet not the default: the newest stays it, and the answer says how to read this one.
    expect(older.stdout).toMatch(
      /not the default: aftereffects 26\.0 is newer and stays the default; use this one with --version 22\.0/,
    );
    expect((await docs(["ls", "--app", "aftereffects"])).stdout).toMatch(/^aftereffects 26\.0 /);
    expect((await docs(["build", "--app", "premiere"])).code).toBe(0);
    const unknown = await docs(["build", "--app", "aftereffects", "--version", "99.9"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/available: 26\.0/);
  });

  it("searches, reads a member and lists the tree", async () => {
    const search = await docs([
      "search",
      "--app",
      "aftereffects",
      "--version",
      "26.0",
      "--json",
      "add a text layer",
    ]);
    const hits = JSON.parse(search.stdout) as Array<{ symbol: string; path: string; snippet: string }>;
    const addText = hits.find((hit) => hit.symbol === "LayerCollection.addText");
    expect(addText?.path).toBe("classes/LayerCollection.md#addText");
    const read = await docs(["read", "--app", "aftereffects", "--version", "26.0", addText!.path]);
    expect(read.stdout).toMatch(/^<a id="addText"><\/a>\n### addText/);
    const ls = await docs(["ls", "--app", "aftereffects", "--version", "26.0"]);
    expect(ls.stdout).toMatch(/classes\/\s+\(\d+ files\)/);
    expect(ls.stdout).toMatch(/built: .*22\.0/);
    // Premiere searches its UXP reference unless asked for the ExtendScript one.
    const uxp = await docs(["search", "--app", "premiere", "get the active sequence"]);
    expect(uxp.stdout).toMatch(/^1\. Project\.getActiveSequence/);
    const human = await docs([
      "search",
      "--app",
      "premiere",
      "--language",
      "extendscript",
      "the active sequence",
    ]);
    expect(human.stdout).toMatch(/^1\. Project\.activeSequence/);
  });

  it("pages long files and says how to read on", async () => {
    const first = await docs(["read", "--app", "aftereffects", "--version", "26.0", "classes/Property.md"]);
    const more = /--offset (\d+)/.exec(first.stdout);
    expect(more).not.toBeNull();
    const next = await docs([
      "read",
      "--app",
      "aftereffects",
      "--version",
      "26.0",
      "classes/Property.md",
      "--offset",
      more![1]!,
    ]);
    expect(next.code).toBe(0);
    expect(next.stdout.length).toBeGreaterThan(100);
  });

  it.each([
    [["search", "--app", "photoshop", "x"], /apps with docs: .*aftereffects/],
    [["search", "--app", "aftereffects", " "], /empty/],
    [["read", "--app", "aftereffects", "../../bridge.json"], /not a path inside/],
    [["read", "--app", "aftereffects", "/etc/passwd"], /not a path inside/],
    [["ls", "--app", "aftereffects", "../.."], /not a path inside/],
    [["search", "--app", "aftereffects", "--mode", "regex", "(["], /regular expression/],
    [["search", "--app", "aftereffects", "--mode", "regex", "app(?=\\.)"], /`app\(\?=\\.\)` uses lookahead/],
  ])("%j → exit 2 with a clear message", async (args, message) => {
    const result = await docs(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
