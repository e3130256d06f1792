// The ExtendScript docs builder against the real `types-for-adobe` dependency: After Effects
// (newest and 22.0) and Premiere Pro, with the shared JavaScript / ScriptUI / XMP files.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFromTypesForAdobe } from "../adapters/extendscript/docs/build.js";
import { extendscriptDocsSource, typesForAdobeVersions } from "../adapters/extendscript/docs/index.js";
import { compareVersionsDescending } from "../adapters/extendscript/docs/types-for-adobe.js";
import { DocSet, type Entry, type Member } from "../adapters/shared/docs-model.js";

const packageVersion = (
  JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve("types-for-adobe/package.json"), "utf8"),
  ) as { version: string }
).version;

function entry(docs: DocSet, name: string): Entry {
  const found = docs.entries.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no entry ${name} in ${docs.app} ${docs.version}`);
  return found;
}

function members(of: Entry, name: string): Member[] {
  return of.members.filter((member) => member.name === name);
}

function member(of: Entry, name: string): Member {
  const [first] = members(of, name);
  if (!first) throw new Error(`no member ${name} in ${of.name}`);
  return first;
}

function allText(docs: DocSet): string[] {
  return docs.entries.flatMap((e) => [
    e.description ?? "",
    ...e.members.flatMap((m) => [
      m.signature,
      m.description ?? "",
      ...(m.params ?? []).map((p) => p.description ?? ""),
    ]),
  ]);
}

describe("typesForAdobeVersions", () => {
  it("lists the package's version folders, newest first by number", () => {
    const versions = typesForAdobeVersions("AfterEffects");
    expect(versions[0]).toBe("26.0");
    expect(versions).toContain("22.0");
    // Numeric, not lexical: 10.5 is newer than 9.0, which is newer than 8.0.
    expect(versions.indexOf("10.5")).toBeLessThan(versions.indexOf("9.0"));
    expect(versions.indexOf("9.0")).toBeLessThan(versions.indexOf("8.0"));
    expect(versions.at(-1)).toBe("8.0");
    expect([...versions].sort(compareVersionsDescending)).toEqual(versions);
    expect(typesForAdobeVersions("Premiere")[0]).toBe("24.0");
  });

  it("compares segment by segment", () => {
    expect(["9.0", "25.4", "26.0", "25.10"].sort(compareVersionsDescending)).toEqual([
      "26.0",
      "25.10",
      "25.4",
      "9.0",
    ]);
  });
});

describe("After Effects, newest", () => {
  let docs: DocSet;
  beforeAll(() => {
    docs = buildFromTypesForAdobe({ app: "aftereffects", product: "AfterEffects" });
  });

  // Build time is measured in bench (c).
  it("says what it describes", () => {
    expect(docs.app).toBe("aftereffects");
    expect(docs.version).toBe("26.0");
    expect(docs.source).toBe(`types-for-adobe ${packageVersion}`);
  });

  it("passes the DocSet schema", () => {
    expect(() => DocSet.parse(docs)).not.toThrow();
  });

  it("gives every entry its own group/name path, even on case-insensitive file systems", () => {
    const paths = docs.entries.map((e) => `${e.group}/${e.name}`.toLowerCase());
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("groups the app's own types by kind and the shared ones by file", () => {
    const groups = new Set(docs.entries.map((e) => e.group));
    for (const group of [
      "classes",
      "interfaces",
      "enums",
      "types",
      "globals",
      "functions",
      "javascript",
      "scriptui",
      "xmp",
    ]) {
      expect(groups).toContain(group);
    }
    expect(entry(docs, "CompItem").group).toBe("classes");
    expect(entry(docs, "BlendingMode").group).toBe("enums");
    expect(entry(docs, "Window").group).toBe("scriptui");
    expect(entry(docs, "File").group).toBe("javascript");
  });

  it("describes CompItem with its own members only, linking to AVItem", () => {
    const compItem = entry(docs, "CompItem");
    expect(compItem.kind).toBe("class");
    expect(compItem.extends).toEqual(["AVItem"]);
    expect(compItem.description).toMatch(/composition/i);
    const layers = member(compItem, "layers");
    expect(layers).toMatchObject({
      kind: "property",
      type: "LayerCollection",
      readonly: true,
      signature: "readonly layers: LayerCollection",
    });
    // `name` belongs to Item: it stays there, not copied down the chain.
    expect(members(entry(docs, "Item"), "name")).toHaveLength(1);
    expect(members(compItem, "name")).toHaveLength(0);
    expect(entry(docs, "AVItem").extends).toEqual(["Item"]);
    const described = compItem.members.filter((m) => m.description).length;
    expect(described / compItem.members.length).toBeGreaterThan(0.6);
  });

  it("prints methods with their parameters and return type", () => {
    const addText = member(entry(docs, "LayerCollection"), "addText");
    expect(addText.kind).toBe("method");
    expect(addText.signature).toBe("addText(sourceText?: string | TextDocument): TextLayer");
    expect(addText.type).toBe("TextLayer");
    expect(addText.params).toEqual([{ name: "sourceText", type: "string | TextDocument", optional: true }]);
    expect(addText.description).toMatch(/text layer/);
    const addSolid = member(entry(docs, "LayerCollection"), "addSolid");
    expect(addSolid.params?.map((p) => [p.name, p.optional ?? false])).toEqual([
      ["color", false],
      ["name", false],
      ["width", false],
      ["height", false],
      ["pixelAspect", false],
      ["duration", true],
    ]);
    expect(member(entry(docs, "LayerCollection"), "addBoxText").signature).toBe(
      "addBoxText(size: [number, number], sourceText?: string | TextDocument): TextLayer",
    );
    expect(member(entry(docs, "LayerCollection"), "[index]").signature).toBe(
      "readonly [index: number]: Layer",
    );
  });

  it("lists enum values with their values", () => {
    const interpolation = entry(docs, "KeyframeInterpolationType");
    expect(interpolation.kind).toBe("enum");
    // Source order, which here is alphabetical.
    expect(interpolation.members.map((m) => m.name)).toEqual(["BEZIER", "HOLD", "LINEAR"]);
    expect(interpolation.members.every((m) => m.kind === "enum-value" && /^\d+$/.test(m.value ?? ""))).toBe(
      true,
    );
    const blending = entry(docs, "BlendingMode");
    expect(blending.members.length).toBeGreaterThan(30);
    expect(member(blending, "NORMAL")).toMatchObject({
      value: "5212",
      signature: "BlendingMode.NORMAL = 5212",
    });
    // A const enum has no run-time object: the description says to pass the values.
    const commands = entry(docs, "_CommandID");
    expect(commands.description).toMatch(/const enum/);
    expect(member(commands, "SaveAs").value).toBe("6");
  });

  it("has the app's globals and functions", () => {
    const app = entry(docs, "app");
    expect(app).toMatchObject({ kind: "global", group: "globals" });
    expect(member(app, "app")).toMatchObject({ type: "Application", signature: "app: Application" });
    expect(member(entry(docs, "system"), "system").type).toBe("System");
    // `declare var writeLn: (text: string) => void` is a function.
    const writeLn = entry(docs, "writeLn");
    expect(writeLn).toMatchObject({ kind: "function", group: "functions" });
    expect(member(writeLn, "writeLn").signature).toBe("writeLn(text: string): void");
    expect(member(entry(docs, "alert"), "alert").params?.[0]).toEqual({
      name: "message",
      type: "string",
      description: "The text to display",
    });
  });

  it("merges declarations of one name into one entry", () => {
    expect(docs.entries.filter((e) => e.name === "Application")).toHaveLength(1);
    // global.d.ts's empty `interface Application` + the app's `declare class Application`.
    const application = entry(docs, "Application");
    expect(application.kind).toBe("class");
    expect(application.group).toBe("classes");
    expect(member(application, "beginUndoGroup").signature).toBe("beginUndoGroup(undoString: string): void");
    // `interface PropertyGroup { (name: string): … }` + `declare class PropertyGroup extends PropertyBase`.
    const group = entry(docs, "PropertyGroup");
    expect(group.extends).toEqual(["PropertyBase"]);
    expect(members(group, "()").map((m) => m.signature)).toEqual([
      "(index: number): _PropertyClasses",
      "(name: string): _PropertyClasses",
    ]);
    expect(member(group, "addProperty").type).toBe("_PropertyClasses");
  });

  it("has the shared JavaScript objects as classes with statics and constructors", () => {
    const file = entry(docs, "File");
    expect(file.kind).toBe("class");
    expect(member(file, "constructor").signature).toBe("new File(path?: string): File");
    expect(member(file, "File").signature).toBe("File(path?: string): File");
    expect(member(file, "decode")).toMatchObject({
      static: true,
      signature: "static decode(uri: string): string",
    });
    expect(member(file, "open").static).toBeUndefined();
    expect(member(file, "open").params?.[0]?.name).toBe("mode");
    expect(members(file, "prototype")).toHaveLength(0);
    // FileConstructor is folded into File, not an entry of its own.
    expect(docs.entries.find((e) => e.name === "FileConstructor")).toBeUndefined();
    // Overloads: one member each; undocumented ones reuse the first one's text.
    const dialogs = members(file, "openDialog");
    expect(dialogs).toHaveLength(3);
    expect(new Set(dialogs.map((m) => m.signature)).size).toBe(3);
    expect(dialogs.every((m) => m.description === dialogs[0]?.description && m.description)).toBe(true);
    expect(entry(docs, "Folder").kind).toBe("class");
    const dollar = entry(docs, "$");
    expect(dollar).toMatchObject({ kind: "global", group: "globals" });
    expect(member(dollar, "writeln").kind).toBe("method");
    expect(entry(docs, "XMPMeta").group).toBe("xmp");
  });

  it("has ScriptUI windows and controls", () => {
    const window = entry(docs, "Window");
    expect(window.kind).toBe("class");
    expect(window.extends).toEqual(["_Control"]);
    expect(member(window, "constructor").signature).toMatch(
      /^new Window\(type: "dialog" \| "palette" \| "window"/,
    );
    // `add: _AddControl` reads as the overloads it is.
    const adds = members(window, "add");
    expect(adds.length).toBeGreaterThan(10);
    expect(adds.every((m) => m.kind === "method")).toBe(true);
    expect(adds.map((m) => m.signature)).toContain(
      'add(type: "button", bounds?: _Bounds, text?: string, properties?: _AddControlProperties): Button',
    );
    expect(member(window, "onClose").kind).toBe("event");
    expect(member(window, "alert").static).toBe(true);
    expect(entry(docs, "Button").extends).toEqual(["_Control"]);
    expect(entry(docs, "ScriptUI").kind).toBe("class");
  });

  it("turns JSDoc into one-line, Markdown-safe text with tag text kept", () => {
    const texts = allText(docs);
    expect(texts.filter((text) => /[\n\r\t]|\s{2}/.test(text))).toEqual([]);
    // `<a>` would be raw HTML in Markdown.
    expect(member(entry(docs, "String"), "anchor").description).toContain("`<a>`");
    expect(member(entry(docs, "AVLayer"), "trackMatteType").description).toMatch(
      /instead\. Deprecated: since version 23\.0\.$/,
    );
    // The source's tag says `max_cpu_perc`; the parameter is `max_cpu_percent`.
    const mfr = member(entry(docs, "Application"), "setMultiFrameRenderingConfig");
    expect(mfr.params?.[1]?.description).toMatch(/maximum CPU percentage/);
    const described = docs.entries.flatMap((e) => e.members).filter((m) => m.description).length;
    const total = docs.entries.flatMap((e) => e.members).length;
    expect(described / total).toBeGreaterThan(0.5);
  });
});

describe("After Effects 22.0", () => {
  let docs: DocSet;
  beforeAll(() => {
    docs = buildFromTypesForAdobe({ app: "aftereffects", product: "AfterEffects", version: "22.0" });
  });

  it("describes that version, not the newest", () => {
    expect(docs.version).toBe("22.0");
    expect(() => DocSet.parse(docs)).not.toThrow();
    expect(entry(docs, "CompItem").extends).toEqual(["AVItem"]);
    expect(member(entry(docs, "LayerCollection"), "addText").type).toBe("TextLayer");
    // Added after 22.0.
    expect(docs.entries.find((e) => e.name === "ThreeDModelLayer")).toBeUndefined();
    expect(docs.entries.find((e) => e.name === "FontsObject")).toBeUndefined();
    expect(entry(docs, "Window").group).toBe("scriptui");
  });
});

describe("Premiere Pro, newest", () => {
  let docs: DocSet;
  beforeAll(() => {
    docs = buildFromTypesForAdobe({ app: "premiere", product: "Premiere" });
  });

  it("describes Premiere's objects", () => {
    expect(docs).toMatchObject({
      app: "premiere",
      version: "24.0",
      source: `types-for-adobe ${packageVersion}`,
    });
    expect(() => DocSet.parse(docs)).not.toThrow();
    expect(entry(docs, "Sequence").kind).toBe("class");
    expect(entry(docs, "ProjectItem").kind).toBe("class");
    expect(member(entry(docs, "app"), "app").type).toBe("Application");
    expect(member(entry(docs, "Application"), "project").type).toBe("Project");
    expect(entry(docs, "WorkAreaType").members.map((m) => m.value)).toEqual(["0", "1", "2"]);
    const paths = docs.entries.map((e) => `${e.group}/${e.name}`.toLowerCase());
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("has the shared JavaScript globals but not ScriptUI, which its declarations do not reference", () => {
    expect(entry(docs, "File").group).toBe("javascript");
    expect(entry(docs, "Folder").group).toBe("javascript");
    // Premiere's own `interface $ { _PPP_ }` merges onto the shared `$`.
    const dollar = entry(docs, "$");
    expect(member(dollar, "_PPP_").type).toBe("any");
    expect(member(dollar, "writeln").kind).toBe("method");
    expect(docs.entries.find((e) => e.name === "Window")).toBeUndefined();
    expect(docs.entries.some((e) => e.group === "scriptui")).toBe(false);
  });
});

describe("every packaged version", () => {
  it("builds and passes the schema", () => {
    for (const product of ["AfterEffects", "Premiere"] as const) {
      for (const version of typesForAdobeVersions(product)) {
        const docs = buildFromTypesForAdobe({ app: "x", product, version });
        expect(DocSet.safeParse(docs).success, `${product} ${version}`).toBe(true);
        expect(docs.entries.length, `${product} ${version}`).toBeGreaterThan(50);
      }
    }
  });
});

describe("errors and the DocsSource", () => {
  it("names the available versions when asked for an unknown one", () => {
    expect(() =>
      buildFromTypesForAdobe({ app: "aftereffects", product: "AfterEffects", version: "99.9" }),
    ).toThrow(/"99\.9".*available: 26\.0, 25\.4, .*22\.0, .*8\.0$/);
  });

  it("exposes versions and build for an adapter", async () => {
    const source = extendscriptDocsSource("premiere", "Premiere");
    expect(source.versions?.()).toEqual(typesForAdobeVersions("Premiere"));
    expect((await source.build?.())?.version).toBe("24.0");
    expect(await source.build?.("14.0")).toMatchObject({ app: "premiere", version: "14.0" });
  });
});
