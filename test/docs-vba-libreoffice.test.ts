// The Excel object model subset LibreOffice implements for VBA, introspected live through
// UNO in a real headless LibreOffice: the list and describe scripts run as the Python kit
// wraps them, in batches as docs sync sends them, and the result is written, searched and
// read through the normal docs service.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { libreofficeVbaIntrospection } from "../adapters/libreoffice/docs/index.js";
import { languageKits } from "../adapters/registry.js";
import { type DocSet, Entry, type Member } from "../adapters/shared/docs-model.js";
import type { Adapter } from "../adapters/types.js";
import { DocsService } from "../bridge/docs/docs-service.js";
import { MAX_LISTED_NAMES } from "../bridge/docs/sync.js";
import { requireSofficeWithUno, runUnoPython, type Soffice, startSoffice } from "./helpers/soffice.js";

const office = requireSofficeWithUno();
const { listScript, describeScript, batchSize } = libreofficeVbaIntrospection;

function entryNamed(entries: Entry[], name: string): Entry {
  const found = entries.find((entry) => entry.name === name);
  if (!found) throw new Error(`no entry ${name}`);
  return found;
}

function member(entry: Entry, name: string): Member {
  const found = entry.members.find((m) => m.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new Error(`${entry.name} has no member ${name}`);
  return found;
}

describe("LibreOffice VBA introspection scripts", () => {
  it("are Python, pass preflight and need no approval", () => {
    expect(libreofficeVbaIntrospection.language).toBe("python");
    const python = languageKits.get("python")!;
    for (const script of [listScript, describeScript]) {
      expect(python.preflight(script)).toEqual([]);
      expect(python.risk(script)).toEqual([]);
    }
  });
});

describe.skipIf(office.skip)("LibreOffice VBA introspection in headless LibreOffice", () => {
  let soffice: Soffice;
  let dataDir: string;
  let listing: { version: string; names: string[] };
  let entries: Entry[];
  let skipped = 0;

  beforeAll(async () => {
    soffice = await startSoffice();
    dataDir = mkdtempSync(join(tmpdir(), "sw-docs-vba-"));
    const listed = await runUnoPython(soffice.port, listScript, { maxItems: MAX_LISTED_NAMES });
    expect(listed.error).toBeUndefined();
    listing = listed.value as typeof listing;
    entries = [];
    for (let start = 0; start < listing.names.length; start += batchSize) {
      const names = listing.names.slice(start, start + batchSize);
      const described = await runUnoPython(soffice.port, describeScript, {
        params: { names },
        maxValueChars: 16 * 1024 * 1024,
      });
      expect(described.error).toBeUndefined();
      for (const item of described.value as unknown[]) {
        const parsed = Entry.safeParse(item);
        if (parsed.success) entries.push(parsed.data);
        else skipped++;
      }
    }
  }, 240_000);

  afterAll(async () => {
    await soffice?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists the ooo.vba types of the running version", () => {
    expect(listing.version).toMatch(/^\d+\.\d+/);
    for (const name of [
      "ooo.vba.excel.XApplication",
      "ooo.vba.excel.XWorkbook",
      "ooo.vba.excel.XWorksheet",
      "ooo.vba.excel.XRange",
      "ooo.vba.excel.XWorksheetFunction",
      "ooo.vba.excel.XlDirection",
    ]) {
      expect(listing.names).toContain(name);
    }
    // Word's and Access's object models are not part of the Excel subset.
    expect(listing.names.some((name) => name.startsWith("ooo.vba.word."))).toBe(false);
  });

  it("describes every listed type as a valid entry, under the names VBA users write", () => {
    expect(skipped).toBe(0);
    expect(entries).toHaveLength(listing.names.length);
    for (const name of ["Application", "Workbook", "Worksheet", "Range", "WorksheetFunction"]) {
      expect(entryNamed(entries, name)).toMatchObject({ kind: "class", group: "objects" });
    }
    expect(entryNamed(entries, "Globals")).toMatchObject({ kind: "global", group: "globals" });
    expect(entries.some((entry) => entry.name.startsWith("X") && entry.kind === "class")).toBe(false);
  });

  it("gives Range its properties and methods with types, read-only flags and optional arguments", () => {
    const range = entryNamed(entries, "Range");
    expect(member(range, "Value")).toMatchObject({ kind: "property", type: "Variant", readonly: false });
    const cells = member(range, "Cells");
    expect(cells).toMatchObject({ kind: "method", type: "Range" });
    expect(cells.params?.map((p) => p.name)).toEqual(["RowIndex", "ColumnIndex"]);
    const address = member(range, "Address");
    expect(address.type).toBe("String");
    expect(address.params?.every((p) => p.optional)).toBe(true);
    // End takes a Long: not an any, so VBA cannot leave it out.
    expect(member(range, "End").params).toEqual([{ name: "Direction", type: "Long" }]);
    // getParent() in a base interface reads as the property Parent.
    expect(member(range, "Parent")).toMatchObject({ kind: "property", readonly: true });
    expect(member(entryNamed(entries, "Application"), "ActiveSheet")).toMatchObject({
      type: "Worksheet",
      readonly: true,
    });
    expect(entryNamed(entries, "Worksheets").members.map((m) => m.name)).toEqual(
      expect.arrayContaining(["Count", "Item", "Add"]),
    );
  });

  it("lists WorksheetFunction's functions with Calc's argument names", () => {
    const functions = entryNamed(entries, "WorksheetFunction");
    expect(member(functions, "Sum").description).toBeTruthy();
    const vlookup = member(functions, "VLookup");
    expect(vlookup.params?.length).toBe(4);
    expect(vlookup.params?.at(-1)?.optional).toBe(true);
    expect(vlookup.params?.[0]?.optional).toBeUndefined();
    expect(functions.members.filter((m) => m.kind === "method").length).toBeGreaterThan(300);
  });

  it("gives constants groups their values", () => {
    const direction = entryNamed(entries, "XlDirection");
    expect(direction.kind).toBe("enum");
    expect(direction.members.map((m) => m.name).sort()).toEqual(["xlDown", "xlToLeft", "xlToRight", "xlUp"]);
    for (const value of direction.members) expect(value.value).toMatch(/^-?\d+$/);
    expect(new Set(direction.members.map((m) => m.value)).size).toBe(4);
  });

  it("builds a doc tree that search and read answer from", () => {
    const adapter: Adapter = { app: "libreoffice", displayName: "LibreOffice", language: "vba" };
    const service = new DocsService(dataDir, new Map([["libreoffice", { ...adapter, docs: {} }]]));
    const docSet: DocSet = {
      app: "libreoffice",
      version: listing.version,
      source: `introspection of LibreOffice ${listing.version}`,
      entries,
    };
    const built = service.write(adapter, docSet);
    expect(built.entries).toBe(entries.length);

    const hits = service.search("libreoffice", "Range Value", { limit: 5 }).hits;
    expect(hits.map((hit) => hit.symbol)).toContain("Range.Value");
    const sum = service.search("libreoffice", "worksheet function sum", { limit: 5 }).hits;
    expect(sum.map((hit) => hit.symbol)).toContain("WorksheetFunction.SUM");

    const read = service.read("libreoffice", "objects/Range.md#Cells");
    expect(read.text).toMatch(/^<a id="Cells"><\/a>\n### Cells/);
    expect(read.text).toContain("Cells([RowIndex As Variant], [ColumnIndex As Variant]) As Range");
  });
});
