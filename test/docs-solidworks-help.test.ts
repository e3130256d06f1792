// The SolidWorks API reference built on the user's machine from their own install's help: .NET
// XML docs (api/redist) and decompiled CHM pages. The fixtures are synthetic files in those
// formats (test/fixtures/solidworks-help), never SolidWorks text.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocsError } from "../adapters/shared/docs-errors.js";
import type { Entry, Member } from "../adapters/shared/docs-model.js";
import { packagePath } from "../adapters/shared/package-path.js";
import { buildFromSolidworksHelp } from "../adapters/solidworks/docs/build.js";
import { parseDocId, showType } from "../adapters/solidworks/docs/doc-id.js";
import { fileVersionOf } from "../adapters/solidworks/docs/file-version.js";
import { thrownBy } from "./helpers/thrown.js";

const FIXTURES = packagePath("test", "fixtures", "solidworks-help");
const REDIST = join(FIXTURES, "redist");
const HELP = join(FIXTURES, "help");

function entry(entries: readonly Entry[], name: string): Entry {
  const found = entries.find((e) => e.name === name);
  if (!found) throw new Error(`no entry ${name} among ${entries.map((e) => e.name).join(", ")}`);
  return found;
}

function member(of: Entry, name: string): Member {
  const found = of.members.find((m) => m.name === name);
  if (!found) throw new Error(`${of.name} has no member ${name}`);
  return found;
}

function badSource(work: () => unknown): DocsError {
  const error = thrownBy(DocsError, work);
  expect(error.code).toBe("bad-source");
  return error;
}

/** A stand-in for an interop DLL: only a VS_VERSIONINFO key and VS_FIXEDFILEINFO, no PE image. */
function versionResource(major: number, minor: number, build: number, revision: number): Buffer {
  const fixed = Buffer.alloc(52);
  fixed.writeUInt32LE(0xfeef04bd, 0);
  fixed.writeUInt32LE(0x00010000, 4);
  fixed.writeUInt32LE(((major << 16) | minor) >>> 0, 8);
  fixed.writeUInt32LE(((build << 16) | revision) >>> 0, 12);
  const key = Buffer.from("VS_VERSION_INFO\0", "utf16le");
  return Buffer.concat([
    Buffer.from("MZ synthetic, not a real DLL"),
    Buffer.alloc(6),
    key,
    Buffer.alloc(2),
    fixed,
  ]);
}

describe(".NET XML documentation IDs", () => {
  it("splits type, member and parameter types", () => {
    expect(
      parseDocId("M:SolidWorks.Interop.sldworks.IModelDoc2.SaveAs3(System.String,System.Int32,System.Int32)"),
    ).toEqual({
      kind: "method",
      type: "SolidWorks.Interop.sldworks.IModelDoc2",
      member: "SaveAs3",
      params: ["System.String", "System.Int32", "System.Int32"],
    });
    expect(parseDocId("T:Ns.Box`1")).toEqual({ kind: "type", type: "Ns.Box", params: [] });
    expect(parseDocId("M:Ns.Box`1.#ctor")).toMatchObject({ type: "Ns.Box", member: "#ctor" });
    expect(
      parseDocId(
        "M:Ns.T.M(System.Collections.Generic.Dictionary{System.String,System.Int32},System.Double[0:,0:])",
      )?.params,
    ).toEqual(["System.Collections.Generic.Dictionary{System.String,System.Int32}", "System.Double[0:,0:]"]);
    expect(parseDocId("N:SolidWorks.Interop.sldworks")).toBeNull();
    expect(parseDocId("!:unresolved")).toBeNull();
  });

  it("shows parameter types short, by-reference ones marked", () => {
    expect(showType("System.Int32@")).toEqual({ type: "Int32", byRef: true });
    expect(showType("System.Double[]")).toEqual({ type: "Double[]", byRef: false });
    expect(showType("System.Double[0:,0:]").type).toBe("Double[,]");
    expect(showType("System.Collections.Generic.List{SolidWorks.Interop.sldworks.IFace2}").type).toBe(
      "List<IFace2>",
    );
  });
});

describe("building from the interop XML docs", () => {
  const built = buildFromSolidworksHelp(REDIST, "2024");

  it("makes interfaces with their members, parameters and text", () => {
    expect(built).toMatchObject({ app: "solidworks", version: "2024" });
    expect(built.source).toMatch(/2 interop XML doc files/);
    const modelDoc = entry(built.entries, "IModelDoc2");
    expect(modelDoc).toMatchObject({ kind: "interface", group: "interfaces" });
    expect(modelDoc.description).toContain("see IModelDoc2.SaveAs3 to write it elsewhere");
    const saveAs = member(modelDoc, "SaveAs3");
    expect(saveAs.signature).toBe("SaveAs3(NewName: String, SaveAsVersion: Int32, Options: Int32)");
    expect(saveAs.params?.map((p) => [p.name, p.type])).toEqual([
      ["NewName", "String"],
      ["SaveAsVersion", "Int32"],
      ["Options", "Int32"],
    ]);
    expect(saveAs.params?.[2]?.description).toBe(
      "Synthetic text: a combination of swSaveAsOptions_e values.",
    );
    expect(saveAs.description).toMatch(
      /^Synthetic text: saves the document.*\n\nReturns: Synthetic text: 0 on success/,
    );
    const openDoc = member(entry(built.entries, "ISldWorks"), "OpenDoc6");
    expect(openDoc.signature).toContain("ByRef Errors: Int32");
    expect(member(entry(built.entries, "ISldWorks"), "ActiveDoc")).toMatchObject({ kind: "property" });
    expect(member(entry(built.entries, "DSldWorksEvents_Event"), "ActiveDocChangeNotify").kind).toBe("event");
    expect(member(entry(built.entries, "SldWorksClass"), "SldWorksClass").kind).toBe("constructor");
  });

  it("makes swconst types enums (without values: the XML does not carry them)", () => {
    const types = entry(built.entries, "swDocumentTypes_e");
    expect(types).toMatchObject({ kind: "enum", group: "enums" });
    expect(types.members.map((m) => m.name)).toEqual([
      "swDocNONE",
      "swDocPART",
      "swDocASSEMBLY",
      "swDocDRAWING",
    ]);
    expect(types.members.every((m) => m.kind === "enum-value" && m.value === undefined)).toBe(true);
  });

  it("takes the version from the interop DLL next to the XML when --version is not given", () => {
    const dir = mkdtempSync(join(tmpdir(), "sw-redist-"));
    try {
      cpSync(REDIST, dir, { recursive: true });
      const noDll = badSource(() => buildFromSolidworksHelp(dir));
      expect(noDll.message).toMatch(/--version/);
      writeFileSync(join(dir, "SolidWorks.Interop.sldworks.dll"), versionResource(32, 1, 0, 77));
      expect(fileVersionOf(join(dir, "SolidWorks.Interop.sldworks.dll"))).toBe("32.1.0.77");
      expect(buildFromSolidworksHelp(dir).version).toBe("32.1.0.77");
      expect(buildFromSolidworksHelp(dir, "2024").version).toBe("2024");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("building from decompiled help pages", () => {
  const built = buildFromSolidworksHelp(HELP, "2024");

  it("maps topics by title and reads parameters, enum tables and the page's charset", () => {
    expect(built.source).toMatch(/4 help pages/);
    const saveAs = member(entry(built.entries, "IModelDoc2"), "SaveAs3");
    expect(saveAs.signature).toBe("SaveAs3(NewName, SaveAsVersion, Options)");
    expect(saveAs.params?.[0]).toEqual({
      name: "NewName",
      description: "Synthetic help text: the new path.",
    });
    expect(saveAs.description).toContain("writes the document to another file & keeps working");
    expect(saveAs.description).toContain("Remarks:\nSynthetic help text: prefer the extension's SaveAs");
    expect(saveAs.description).not.toMatch(/script text|color: red/);
    const types = entry(built.entries, "swDocumentTypes_e");
    expect(types.members.map((m) => [m.name, m.value])).toEqual([
      ["swDocNONE", "0"],
      ["swDocPART", "1"],
      ["swDocASSEMBLY", "2"],
      ["swDocDRAWING", "3"],
    ]);
    expect(member(entry(built.entries, "ISldWorks"), "RunMacro2").description).toContain("café");
    // The member list page is not a topic.
    expect(built.entries.flatMap((e) => e.members).some((m) => /Members/.test(m.name))).toBe(false);
  });
});

describe("building from both under one folder", () => {
  it("keeps the XML's structure and fills in what only the help pages have", () => {
    const built = buildFromSolidworksHelp(FIXTURES, "2024");
    expect(built.source).toMatch(/2 interop XML doc files, 4 help pages/);
    const saveAs = member(entry(built.entries, "IModelDoc2"), "SaveAs3");
    expect(saveAs.params?.[0]?.type).toBe("String");
    expect(saveAs.description).toMatch(/^Synthetic text:/);
    const docTypes = entry(built.entries, "swDocumentTypes_e");
    expect(member(docTypes, "swDocPART")).toMatchObject({ value: "1", signature: "swDocPART = 1" });
    expect(member(entry(built.entries, "ISldWorks"), "RunMacro2").params).toHaveLength(2);
    expect(entry(built.entries, "ISldWorks").members.filter((m) => m.name === "ActiveDoc")).toHaveLength(1);
  });
});

describe("what --from must point at", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sw-from-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("answers a .chm with how to decompile it", () => {
    const chm = join(dir, "sldworksapi.chm");
    writeFileSync(chm, "ITSF synthetic");
    for (const from of [chm, dir]) {
      const error = badSource(() => buildFromSolidworksHelp(from, "2024"));
      expect(error.message).toContain(`hh.exe -decompile sldworksapi-help "${chm}"`);
      expect(error.message).toContain("7z x -osldworksapi-help");
      expect(error.message).toContain("--from sldworksapi-help");
    }
  });

  it("names what it expected when the path is missing, empty of help or not XML docs", () => {
    expect(badSource(() => buildFromSolidworksHelp(join(dir, "nope"), "2024")).message).toMatch(
      /no such file/,
    );
    const empty = mkdtempSync(join(dir, "empty-"));
    expect(badSource(() => buildFromSolidworksHelp(empty, "2024")).message).toMatch(/api\\redist/);
    const broken = join(dir, "broken.xml");
    writeFileSync(broken, "<doc><members></doc>");
    expect(badSource(() => buildFromSolidworksHelp(broken, "2024")).message).toMatch(/not well-formed XML/);
    const other = join(dir, "other.xml");
    writeFileSync(other, "<config><a/></config>");
    expect(badSource(() => buildFromSolidworksHelp(other, "2024")).message).toMatch(/not a \.NET XML doc/);
    expect(badSource(() => buildFromSolidworksHelp(REDIST, "../x")).message).toMatch(/--version/);
  });
});
