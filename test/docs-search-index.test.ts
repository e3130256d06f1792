// The search index on its own: what it writes, how a word most descriptions use is looked up,
// and that trees written in the older layout (a bare MiniSearch index) still answer.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DocSet, Entry } from "../adapters/shared/docs-model.js";
import { buildSearchIndex, SearchIndex } from "../bridge/docs/search-index.js";
import { sampleDocSet } from "./helpers/sample-docset.js";

/** Renders paths the way the tree does, without writing a tree. */
function indexOf(docSet: DocSet): SearchIndex {
  const rendered = docSet.entries.map((entry) => ({
    path: `${entry.group}/${entry.name}.md`,
    markdown: "",
    anchors: entry.members.map((member, j) => `${member.name}-${j}`),
  }));
  return SearchIndex.load(JSON.stringify(buildSearchIndex(docSet, rendered)));
}

/** A reference where "widget" is in every description, as "object" is in Blender's. */
function widgetDocSet(): DocSet {
  const filler: Entry[] = Array.from({ length: 200 }, (_, i) => ({
    name: `Panel${i}`,
    kind: "class",
    group: "classes",
    description: `A panel that holds a widget, number ${i}.`,
    members: [
      {
        name: `size${i}`,
        kind: "property",
        signature: `size${i}: number`,
        description: "How large the widget is drawn.",
      },
    ],
  }));
  const named: Entry = {
    name: "WidgetTools",
    kind: "class",
    group: "classes",
    description: "Helpers.",
    members: [
      {
        name: "frobnicate",
        kind: "method",
        signature: "frobnicate(): void",
        description: "Turns the knob once.",
      },
    ],
  };
  return { app: "widgets", version: "1.0", source: "test", entries: [...filler, named] };
}

describe("docs search index", () => {
  it("writes hits' paths, symbols and snippets beside the index, not in it", () => {
    const file = buildSearchIndex(sampleDocSet(), [
      ...sampleDocSet().entries.map((entry) => ({
        path: `${entry.group}/${entry.name}.md`,
        markdown: "",
        anchors: entry.members.map((member) => member.name),
      })),
    ]);
    expect(file.layout).toBe(2);
    expect(file.documents.length).toBe(
      sampleDocSet().entries.reduce((n, entry) => n + 1 + entry.members.length, 0),
    );
    expect(file.documents[0]!.slice(0, 2)).toEqual(["classes/Scene.md", "Scene"]);
    expect(JSON.stringify(file.index)).not.toContain("classes/Scene.md");
  });

  it("finds a member by the user's words, with its path, symbol and snippet", () => {
    const hits = indexOf(sampleDocSet()).search("add a circle", 3);
    // Both overloads, each with its own anchor and snippet.
    expect(hits.slice(0, 2).sort((a, b) => a.path.localeCompare(b.path))).toMatchObject([
      {
        symbol: "Scene.addCircle",
        path: "classes/Scene.md#addCircle-1",
        snippet: "addCircle(radius?: number): Circle — Creates a new circle shape in the scene.",
      },
      {
        symbol: "Scene.addCircle",
        path: "classes/Scene.md#addCircle-2",
        snippet: "addCircle(center: Point, radius: number): Circle — Creates a circle at a point.",
      },
    ]);
  });

  it("looks a word most descriptions use up in names only", () => {
    const index = indexOf(widgetDocSet());
    const hits = index.search("widget", 10);
    // Four hundred descriptions say "widget"; only one name (and its member's owner) does.
    expect(hits.map((hit) => hit.symbol)).toEqual(["WidgetTools", "WidgetTools.frobnicate"]);
    // A rarer word is still found in a description.
    expect(index.search("knob", 5)[0]?.symbol).toBe("WidgetTools.frobnicate");
  });

  it("answers a query of stop words with no hits", () => {
    expect(indexOf(sampleDocSet()).search("the of a", 5)).toEqual([]);
  });

  it("an identifier finds itself first", () => {
    expect(indexOf(sampleDocSet()).search("render_to_file", 5)[0]?.symbol).toBe("Scene.render_to_file");
  });

  it("still searches a tree written in the older layout (a bare MiniSearch index)", () => {
    const older = SearchIndex.load(
      readFileSync(
        new URL("./fixtures/docs/sampleapp-2.0-search-index-bare-minisearch.json", import.meta.url),
        "utf8",
      ),
    );
    const [hit] = older.search("add a circle", 3);
    expect(hit!.symbol).toBe("Scene.addCircle");
    expect(hit!.path).toMatch(/^classes\/Scene\.md#addCircle/);
    expect(hit!.snippet).toMatch(/^addCircle\(.*\): Circle — Creates a/);
    expect(older.search("Scene.render_to_file", 3)[0]?.symbol).toBe("Scene.render_to_file");
  });
});
