// A LibreOffice host whose scripts open other workbooks, against a real runner and soffice. A
// headless soffice dies as soon as a document's window is shown, and VBA's Workbooks.Add and
// Workbooks.Open, like Python's loadComponentFromURL without Hidden, ask for a shown one: the
// host must open every document hidden and keep serving (same host, same soffice). And VBA's
// ActiveWorkbook must follow Activate and start each run on the host's document.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alive } from "./helpers/proc.js";
import { type LibreOfficeHost, requireSofficeWithUno, startLibreOfficeHost } from "./helpers/soffice.js";

const office = requireSofficeWithUno();

describe.skipIf(office.skip)("LibreOffice host: scripts that open other workbooks", () => {
  let host: LibreOfficeHost;
  let dir: string;

  beforeAll(async () => {
    host = await startLibreOfficeHost("lo-workbooks");
    dir = mkdtempSync(join(tmpdir(), "sw-lo-workbooks-"));
  });

  afterAll(async () => {
    await host?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await host.reset();
  });

  /** The same host, still connected, with the same soffice.bin. */
  function expectStillServing(sofficeBefore: number): void {
    expect(host.fixture.bridge.pool.all().map((h) => h.id)).toEqual([host.hostId]);
    expect(host.sofficePid()).toBe(sofficeBefore);
    expect(alive(sofficeBefore)).toBe(true);
  }

  it("VBA Workbooks.Add: a usable new workbook, Activate switches back, the script closes it", async () => {
    const soffice = host.sofficePid();
    await host.ok('Range("A1").Value = "first"');
    const value = await host.ok(
      [
        "Dim first As Object, added As Object, n As Long, inAdded As String",
        "Set first = ActiveWorkbook",
        "n = Workbooks.Count",
        "Set added = Workbooks.Add",
        'Range("A1").Value = "second"', // as in Excel: the new workbook is the active one
        'inAdded = added.Worksheets(1).Range("A1").Value',
        "first.Activate",
        'Result = Array(inAdded, Range("A1").Value, Workbooks.Count - n, ActiveWorkbook.Name = first.Name)',
        "added.Close False",
      ].join("\n"),
    );
    expect(value).toEqual(["second", "first", 1, true]);
    expect(await host.ok('Result = Range("A1").Value')).toBe("first");
    expectStillServing(soffice);
  });

  it("the next VBA run acts on the host's document, even when the last one left another workbook active", async () => {
    await host.ok('Range("A1").Value = "host document"');
    await host.ok('Dim wb As Object\nSet wb = Workbooks.Add\nRange("A1").Value = "left open"');
    expect(
      await host.ok('Result = Array(Range("A1").Value, ActiveWorkbook.Name = ThisWorkbook.Name)'),
    ).toEqual(["host document", true]);
    expect(await host.ok('doc.Sheets.getByIndex(0).getCellRangeByName("A1").getString()', "python")).toBe(
      "host document",
    );
  });

  it("VBA Workbooks.Open, twice on one file: both read it, the script closes them", async () => {
    const soffice = host.sofficePid();
    const other = join(dir, "other.xlsx");
    await host.writeSpreadsheet(other, "other");
    await host.reset();
    const value = await host.ok(
      [
        "Dim wb As Object, again As Object, n As Long",
        "n = Workbooks.Count",
        `Set wb = Workbooks.Open(${JSON.stringify(other)})`,
        `Set again = Workbooks.Open(${JSON.stringify(other)})`,
        'Result = Array(wb.Worksheets(1).Range("A1").Value, again.Worksheets(1).Range("A1").Value, Workbooks.Count - n)',
        "again.Close False",
        "wb.Close False",
      ].join("\n"),
    );
    expect(value).toEqual(["other", "other", 2]);
    expect(await host.ok("Result = Workbooks.Count")).toBe(1);
    expectStillServing(soffice);
  });

  for (const [label, args] of [
    ["without Hidden", "()"],
    ["with Hidden=False", "(shown,)"],
  ] as const) {
    it(`Python loadComponentFromURL ${label}: a usable document, closed by the script`, async () => {
      const soffice = host.sofficePid();
      await host.ok('doc.Sheets.getByIndex(0).getCellRangeByName("A1").setString("first")', "python");
      const value = await host.ok(
        [
          'shown = uno.createUnoStruct("com.sun.star.beans.PropertyValue")',
          'shown.Name, shown.Value = "Hidden", False',
          `other = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, ${args})`,
          'other.Sheets.getByIndex(0).getCellRangeByName("A1").setString("second")',
          "seen = [",
          '    other.Sheets.getByIndex(0).getCellRangeByName("A1").getString(),',
          '    doc.Sheets.getByIndex(0).getCellRangeByName("A1").getString(),',
          "]",
          "other.close(True)",
          "seen",
        ].join("\n"),
        "python",
      );
      expect(value).toEqual(["second", "first"]);
      expect(await host.ok('doc.Sheets.getByIndex(0).getCellRangeByName("A1").getString()', "python")).toBe(
        "first",
      );
      expectStillServing(soffice);
    });
  }

  it("Python loadComponentFromURL of an open file with target _default opens a second copy", async () => {
    const soffice = host.sofficePid();
    const path = join(dir, "twice.ods");
    await host.writeSpreadsheet(path, "twice");
    await host.reset();
    const value = await host.ok(
      [
        `url = uno.systemPathToFileUrl(${JSON.stringify(path)})`,
        'a = desktop.loadComponentFromURL(url, "_default", 0, ())',
        'b = desktop.loadComponentFromURL(url, "_default", 0, ())',
        'texts = [d.Sheets.getByIndex(0).getCellRangeByName("A1").getString() for d in (a, b)]',
        "same = a == b",
        "a.close(True)",
        "b.close(True)",
        "texts + [same]",
      ].join("\n"),
      "python",
    );
    expect(value).toEqual(["twice", "twice", false]);
    expectStillServing(soffice);
  });
});
