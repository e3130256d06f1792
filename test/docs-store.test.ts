import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocsError } from "../adapters/shared/docs-errors.js";
import type { Adapter } from "../adapters/types.js";
import { DocsService } from "../bridge/docs/docs-service.js";
import { tokenize } from "../bridge/docs/tokens.js";
import { sampleDocSet } from "./helpers/sample-docset.js";
import { rejectedWith, thrownBy } from "./helpers/thrown.js";

let version = "2.0";
const sampleAdapter: Adapter = {
  app: "sampleapp",
  displayName: "Sample App",
  language: "echo",
  docs: { versions: () => ["2.0", "1.0"], build: (v) => sampleDocSet(v ?? version) },
};
const liveOnly: Adapter = {
  app: "liveapp",
  displayName: "Live App",
  language: "echo",
  docs: { introspection: { listScript: "", describeScript: "", batchSize: 1 } },
};
const standIn: Adapter = {
  app: "sampleclone",
  displayName: "Sample Clone",
  language: "echo",
  docs: { readsDocsOf: "sampleapp" },
};
const adapters = new Map([
  [sampleAdapter.app, sampleAdapter],
  [liveOnly.app, liveOnly],
  [standIn.app, standIn],
]);

let dataDir: string;
let docs: DocsService;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sw-docs-"));
  docs = new DocsService(dataDir, adapters);
  await docs.build("sampleapp", "1.0");
  await docs.build("sampleapp", "2.0");
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function expectCode(error: DocsError, code: string, message?: RegExp): void {
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
}

function expectDocsError(work: () => unknown, code: string, message?: RegExp): void {
  expectCode(thrownBy(DocsError, work), code, message);
}

async function expectDocsRejection(work: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  expectCode(await rejectedWith(DocsError, work), code, message);
}

describe("doc tree on disk", () => {
  it("writes one Markdown file per entry, with member anchors and a link to the parent", () => {
    const scene = readFileSync(join(dataDir, "docs", "sampleapp", "2.0", "classes", "Scene.md"), "utf8");
    expect(scene).toMatch(/^# Scene\n/);
    expect(scene).toContain("[Item](Item.md)");
    expect(scene).toContain('<a id="shapes"></a>');
    expect(scene).toContain('<a id="addCircle"></a>');
    expect(scene).toContain('<a id="addCircle-2"></a>');
    expect(scene).toContain("`addCircle(radius?: number): Circle`");
    expect(scene).toContain("- `radius: number` (optional) — The radius in pixels.");
    expect(readFileSync(join(dataDir, "docs", "sampleapp", "2.0", "index.md"), "utf8")).toContain("classes/");
  });

  it("keeps versions side by side, with latest = the one built last", () => {
    expect(docs.versions("sampleapp")).toEqual(["2.0", "1.0"]);
    expect(readFileSync(join(dataDir, "docs", "sampleapp", "latest"), "utf8").trim()).toBe("2.0");
    expect(docs.ls("sampleapp").version).toBe("2.0");
    expect(docs.ls("sampleapp", "", { version: "1.0" }).version).toBe("1.0");
  });

  it("rebuilding replaces a tree whole", async () => {
    const before = docs.ls("sampleapp", "classes").total;
    await docs.build("sampleapp", "2.0");
    expect(docs.ls("sampleapp", "classes").total).toBe(before);
  });
});

describe("search", () => {
  it("splits camelCase and snake_case", () => {
    expect(tokenize("addCircle render_to_file XMLThing")).toEqual(
      expect.arrayContaining([
        "addCircle",
        "add",
        "Circle",
        "render_to_file",
        "render",
        "to",
        "file",
        "XML",
        "Thing",
      ]),
    );
  });

  it.each([
    ["add a circle to the scene", "Scene.addCircle"],
    ["addCircle", "Scene.addCircle"],
    ["Scene.shapes", "Scene.shapes"],
    ["render to an image file", "Scene.render_to_file"],
    ["render_to_file", "Scene.render_to_file"],
    ["multiply blending", "BlendMode.MULTIPLY"],
    ["open a document", "app.open"],
  ])("%s → %s first", (query, symbol) => {
    const { hits } = docs.search("sampleapp", query);
    expect(hits[0]?.symbol).toBe(symbol);
  });

  it("answers compact results: path with anchor, symbol, score, snippet ≤ 300 chars", () => {
    const { hits } = docs.search("sampleapp", "notes", { limit: 3 });
    expect(hits[0]).toMatchObject({ path: "classes/Scene.md#notes", symbol: "Scene.notes" });
    for (const hit of docs.search("sampleapp", "scene", { limit: 50 }).hits) {
      expect(hit.snippet.length).toBeLessThanOrEqual(300);
      expect(typeof hit.score).toBe("number");
    }
  });

  it("has literal and regex grep modes", () => {
    const literal = docs.search("sampleapp", "in pixels", { mode: "literal" });
    expect(literal.hits[0]).toMatchObject({ path: "classes/Scene.md#addCircle", symbol: "Scene.addCircle" });
    const regex = docs.search("sampleapp", "MULTI\\w+ = 2", { mode: "regex" });
    expect(regex.hits[0]?.symbol).toBe("BlendMode.MULTIPLY");
    expectDocsError(
      () => docs.search("sampleapp", "([", { mode: "regex" }),
      "bad-query",
      /regular expression/,
    );
  });

  it.each([
    ["(circle)\\1", /regular expression `\(circle\)\\1` uses a backreference/],
    ["circle(?= shape)", /`circle\(\?= shape\)` uses lookahead/],
    ["(?<!add)Circle", /`\(\?<!add\)Circle` uses lookbehind/],
  ])("refuses %s in regex mode, naming the pattern and why (linear-time engine)", (query, message) => {
    expectDocsError(() => docs.search("sampleapp", query, { mode: "regex" }), "bad-query", message);
  });

  it("refuses an empty query", () => {
    expectDocsError(() => docs.search("sampleapp", "   "), "bad-query", /empty/);
  });
});

describe("read and ls", () => {
  it("pages a long file at ≤ 8 KB and tells where the next page starts", () => {
    const first = docs.read("sampleapp", "classes/Scene.md");
    expect(first.text.length).toBeLessThanOrEqual(8000);
    expect(first.nextOffset).not.toBeNull();
    let text = first.text;
    let next = first.nextOffset;
    while (next !== null) {
      const page = docs.read("sampleapp", "classes/Scene.md", { offset: next });
      expect(page.text.length).toBeLessThanOrEqual(8000);
      text += page.text;
      next = page.nextOffset;
    }
    expect(text).toBe(readFileSync(join(dataDir, "docs", "sampleapp", "2.0", "classes", "Scene.md"), "utf8"));
  });

  it("starts at a member with PATH#anchor", () => {
    const page = docs.read("sampleapp", "classes/Scene.md#render_to_file");
    expect(page.text).toMatch(/^<a id="render_to_file"><\/a>\n### render_to_file/);
    expectDocsError(() => docs.read("sampleapp", "classes/Scene.md#nope"), "not-found", /#nope/);
  });

  it("lists groups at the root and files with summaries in a group", () => {
    const root = docs.ls("sampleapp");
    expect(root.items.map((item) => item.path)).toEqual(["index.md", "classes/", "enums/", "globals/"]);
    const classes = docs.ls("sampleapp", "classes/");
    expect(classes.items).toContainEqual({
      path: "classes/Scene.md",
      type: "file",
      symbol: "Scene",
      summary: "A scene holds shapes.",
    });
  });

  it.each([
    "../../etc/passwd",
    "/etc/passwd",
    "classes/../../../etc/passwd",
    "..\\..\\x",
    "classes/%2e%2e/x",
    ".staging",
    "a\0b",
  ])("never reads outside the tree: %s", (path) => {
    expect(() => docs.read("sampleapp", path)).toThrow(DocsError);
    expect(() => docs.ls("sampleapp", path)).toThrow(DocsError);
  });

  it("does not follow a symlink out of the tree", () => {
    const secret = join(dataDir, "secret.md");
    writeFileSync(secret, "secret");
    symlinkSync(secret, join(dataDir, "docs", "sampleapp", "2.0", "classes", "Leak.md"));
    expectDocsError(() => docs.read("sampleapp", "classes/Leak.md"), "bad-path");
  });

  it("answers unknown paths, folders read as files and files listed as folders clearly", () => {
    expectDocsError(() => docs.read("sampleapp", "classes/Nope.md"), "not-found", /docs ls/);
    expectDocsError(() => docs.read("sampleapp", "classes"), "bad-path", /folder/);
    expectDocsError(() => docs.ls("sampleapp", "classes/Scene.md"), "bad-path", /file/);
  });
});

describe("errors that say what to do", () => {
  it("unknown app lists the apps that have docs", () => {
    expectDocsError(() => docs.search("photoshop", "x"), "unknown-app", /sampleapp/);
  });

  it("a missing tree names the command that builds it", () => {
    expectDocsError(() => docs.search("liveapp", "x"), "no-docs", /scriptwright docs sync --app liveapp/);
    const fresh = new DocsService(mkdtempSync(join(tmpdir(), "sw-docs-empty-")), adapters);
    expectDocsError(() => fresh.ls("sampleapp"), "no-docs", /scriptwright docs build --app sampleapp/);
  });

  it("an app that reads another app's reference finds it there, and says how to build that one", async () => {
    const hits = docs.search("sampleclone", "circle").hits;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits).toEqual(docs.search("sampleapp", "circle").hits);
    expect(docs.read("sampleclone", "classes/Scene.md").text).toContain("A scene holds shapes");
    expect(docs.versions("sampleclone")).toEqual(docs.versions("sampleapp"));
    const fresh = new DocsService(mkdtempSync(join(tmpdir(), "sw-docs-empty-")), adapters);
    expectDocsError(
      () => fresh.search("sampleclone", "circle"),
      "no-docs",
      /scriptwright docs build --app sampleapp; Sample Clone reads that reference/,
    );
    await expectDocsRejection(docs.build("sampleclone"), "no-source", /another app's reference/);
  });

  it("an unknown version lists the built ones", () => {
    expectDocsError(
      () => docs.ls("sampleapp", "", { version: "9.9" }),
      "unknown-version",
      /2\.0, 1\.0|1\.0, 2\.0/,
    );
  });

  /** Builds `v` and marks its tree as written in `format`; answers the tree's folder. */
  async function builtInFormat(v: string, format: number): Promise<string> {
    version = v;
    await docs.build("sampleapp", v);
    const tree = join(dataDir, "docs", "sampleapp", v);
    const meta = JSON.parse(readFileSync(join(tree, "meta.json"), "utf8"));
    writeFileSync(join(tree, "meta.json"), JSON.stringify({ ...meta, format }));
    return tree;
  }

  it("a tree in an older format is stale, with the command that rebuilds it", async () => {
    await builtInFormat("3.0", 0);
    expectDocsError(
      () => docs.search("sampleapp", "scene", { version: "3.0" }),
      "stale-docs",
      /has an older format; rebuild it with: .*docs build --app sampleapp/,
    );
  });

  it("a tree from a later Scriptwright (a newer format) is stale too, and says so", async () => {
    await builtInFormat("3.1", 99);
    expectDocsError(
      () => docs.search("sampleapp", "scene", { version: "3.1" }),
      "stale-docs",
      /has a newer format \(from a later Scriptwright\); rebuild it with: .*docs build --app sampleapp/,
    );
  });

  it("a format-2 tree (its search index a bare MiniSearch one) is still searched", async () => {
    const tree = await builtInFormat("3.2", 2);
    // What a format-2 bridge wrote for this same reference.
    const bare = new URL("./fixtures/docs/sampleapp-2.0-search-index-bare-minisearch.json", import.meta.url);
    writeFileSync(join(tree, "search-index.json"), readFileSync(bare));
    const { hits } = docs.search("sampleapp", "add a circle", { version: "3.2" });
    expect(hits[0]).toMatchObject({ symbol: "Scene.addCircle" });
    expect(docs.read("sampleapp", hits[0]!.path, { version: "3.2" }).text).toMatch(/addCircle\(/);
  });

  it("a live-only app cannot be built from a dependency", async () => {
    await expectDocsRejection(docs.build("liveapp"), "no-source", /docs sync/);
  });
});
