// LibreOffice Calc against a real office (the runner the bridge launches): undo puts back a
// changed cell from a copy of the document (and keeps a workbook tied to its file and format),
// and a capture of a range is Calc's own drawing of it, fills, fonts and charts included.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { type LibreOfficeHost, requireSofficeWithUno, startLibreOfficeHost } from "./helpers/soffice.js";

const office = requireSofficeWithUno();

/** POST /api/capture's answer: its pictures, or its error. */
interface CaptureBody {
  images: Array<{ mediaType: string; width: number; height: number; label: string; data: string }>;
  error: { code: string; message: string };
}

describe.skipIf(office.skip)("LibreOffice: undo and capture", () => {
  let host: LibreOfficeHost;
  let work: string;

  beforeAll(async () => {
    host = await startLibreOfficeHost("undo-libreoffice");
  }, 120_000);
  afterAll(async () => {
    await host?.close();
  });
  beforeEach(async () => {
    work = mkdtempSync(join(tmpdir(), "sw-undo-lo-"));
    await host.reset();
    // Each test starts with no checkpoint left by another.
    const kept = host.fixture.bridge.checkpoints.store;
    for (const checkpoint of [...kept.list(host.hostId)]) kept.discard(checkpoint);
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const undo = async (...args: string[]) => {
    const result = await runCli([
      "undo",
      "--host",
      host.hostId,
      "--json",
      "--data-dir",
      host.fixture.dataDir,
      ...args,
    ]);
    return { code: result.code, body: JSON.parse(result.stdout), stderr: result.stderr };
  };
  const capture = async (body: Record<string, unknown>) => {
    const res = await host.fixture.api("/api/capture", {
      method: "POST",
      json: { host: host.hostId, ...body },
    });
    return { status: res.status, body: (await res.json()) as CaptureBody };
  };

  it("undo restores a changed cell, one run at a time", async () => {
    const first = await host.run('Range("A1").Value = 21\nResult = Range("A1").Value');
    expect(first).toMatchObject({ outcome: "ok", value: 21, checkpoint: { kind: "copy" } });
    const second = await host.run('Range("A1").Value = 99\nRange("B1").Value = "new"\nResult = 1');
    expect(second.outcome).toBe("ok");

    const back = await undo();
    expect(back.code, back.stderr).toBe(0);
    expect(back.body.message).toContain('`Range("A1").Value = 99`');
    expect(back.body.message).toContain("the untitled document is as it was before it");
    expect(await host.ok('Result = Range("A1").Value & "|" & Range("B1").Value')).toBe("21|");
    const again = await undo();
    expect(again.code, again.stderr).toBe(0);
    expect(await host.ok('Result = IsEmpty(Range("A1").Value)')).toBe(true);
    expect((await undo()).body.error.code).toBe("nothing-to-undo");
  });

  it("a workbook opened from a file stays that file, in its format, and the file on disk is untouched", async () => {
    const file = join(work, "book.xlsx");
    await host.writeSpreadsheet(file, "on disk");
    await host.ok(`open_document(${JSON.stringify(file)})`, "python");
    const saved = { bytes: readFileSync(file), mtime: statSync(file).mtimeMs };
    await host.ok('Range("C3").Value = "changed"\nResult = 1');

    const back = await undo();
    expect(back.code, back.stderr).toBe(0);
    expect(back.body.restored.document).toBe(file);
    const state = await host.ok(
      [
        "url = doc.getLocation()",
        'fmt = [p.Value for p in doc.getArgs() if p.Name == "FilterName"]',
        '(uno.fileUrlToSystemPath(url), fmt, doc.Sheets.getByIndex(0).getCellRangeByName("C3").getString(), doc.isModified())',
      ].join("\n"),
      "python",
    );
    expect(state).toEqual([file, ["Calc MS Excel 2007 XML"], "", false]);
    expect(readFileSync(file).equals(saved.bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(saved.mtime);
    // Saving writes the file's own format again (an .xlsx is a zip), not the copy's.
    await host.ok('Range("D4").Value = "after"\nThisWorkbook.Save\nResult = 1');
    expect(readFileSync(file).subarray(0, 2).toString()).toBe("PK");
    expect(await host.readA1(file)).toBe("on disk");
  });

  /** Pixels of a PNG as RGB, with a test for a colour. */
  async function pixels(data: string) {
    const { data: raw, info } = await sharp(Buffer.from(data, "base64"))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => {
      const i = (y * info.width + x) * 3;
      return [raw[i]!, raw[i + 1]!, raw[i + 2]!] as const;
    };
    /** Where pixels of this colour are: their count and bounding box. */
    const find = (test: (rgb: readonly [number, number, number]) => boolean) => {
      let count = 0;
      let [left, top, right, bottom] = [info.width, info.height, -1, -1];
      for (let y = 0; y < info.height; y++)
        for (let x = 0; x < info.width; x++)
          if (test(at(x, y))) {
            count++;
            [left, top, right, bottom] = [
              Math.min(left, x),
              Math.min(top, y),
              Math.max(right, x),
              Math.max(bottom, y),
            ];
          }
      return { count, left, top, right, bottom };
    };
    return { info, find };
  }
  const red = ([r, g, b]: readonly number[]) => r! > 200 && g! < 60 && b! < 60;
  const blue = ([r, g, b]: readonly number[]) => b! > 200 && r! < 60 && g! < 60;

  it("a range with coloured fills captures as a picture with those colours, where the cells are", async () => {
    await host.ok(
      [
        'Range("A1:D4").Value = 7',
        'Range("B2").Interior.Color = RGB(255, 0, 0)',
        'Range("D4").Interior.Color = RGB(0, 0, 255)',
        "Result = 1",
      ].join("\n"),
    );
    await host.ok("doc.setModified(False)", "python");
    const shot = await capture({ range: "Sheet1!A1:D4" });
    expect(shot.status, JSON.stringify(shot.body)).toBe(200);
    const image = shot.body.images[0]!;
    expect(image).toMatchObject({ mediaType: "image/png", label: "Sheet1!A1:D4" });
    expect(Buffer.from(image.data, "base64").subarray(1, 4).toString()).toBe("PNG");
    const { info, find } = await pixels(image.data);
    expect([info.width, info.height]).toEqual([image.width, image.height]);
    const reds = find(red);
    const blues = find(blue);
    // One cell each: B2 red, D4 blue, below and right of it.
    expect(reds.count).toBeGreaterThan(200);
    expect(blues.count).toBeGreaterThan(200);
    expect(blues.left).toBeGreaterThan(reds.right);
    expect(blues.top).toBeGreaterThan(reds.bottom);
    // Drawing it changed nothing: the page style it borrowed is back, the document unmodified.
    const style = 'doc.StyleFamilies.getByName("PageStyles").getByName(doc.Sheets.getByIndex(0).PageStyle)';
    expect(await host.ok(`(${style}.PrintGrid, ${style}.TopMargin, doc.isModified())`, "python")).toEqual([
      false,
      2000,
      false,
    ]);
  });

  it("with no range, the sheet's used range with its chart", async () => {
    await host.ok(
      [
        "from com.sun.star.awt import Rectangle",
        "from com.sun.star.table import CellRangeAddress",
        "sheet = doc.Sheets.getByIndex(0)",
        "sheet.getCellRangeByName('A1:B4').setDataArray(((1, 1), (2, 4), (3, 9), (4, 16)))",
        "sheet.getCellRangeByName('A1:B1').CellBackColor = 0xFF0000",
        "area = CellRangeAddress()",
        "area.Sheet, area.StartColumn, area.StartRow, area.EndColumn, area.EndRow = 0, 0, 0, 1, 3",
        "box = Rectangle()",
        "box.X, box.Y, box.Width, box.Height = 1000, 3000, 9000, 6000",
        "sheet.Charts.addNewByName('Squares', box, (area,), False, False)",
      ].join("\n"),
      "python",
    );
    const shot = await capture({});
    expect(shot.status, JSON.stringify(shot.body)).toBe(200);
    const image = shot.body.images[0]!;
    // The chart reaches past the cells, to about 9 cm down: the picture takes it in.
    expect(image.label).toMatch(/^Sheet1!A1:[A-Z]+(\d+)$/);
    expect(Number(/(\d+)$/.exec(image.label)![1])).toBeGreaterThan(10);
    const { find } = await pixels(image.data);
    const reds = find(red);
    expect(reds.count).toBeGreaterThan(100);
    // The chart's bars (LibreOffice's default series colour, #004586) below the filled row.
    const bars = find(([r, g, b]) => r < 30 && g > 50 && g < 90 && b > 110 && b < 150);
    expect(bars.count).toBeGreaterThan(50);
    expect(bars.top).toBeGreaterThan(reds.bottom);
  });

  it("a bad range gets a clear error, and the host keeps serving", async () => {
    const cases: Array<[string, RegExp]> = [
      ["Nope!A1:B2", /no sheet named 'Nope' .*\(its sheets: Sheet1\)/],
      ["A1:B", /'A1:B' is not a range: write it like Sheet1!A1:D10/],
      ["A1:A9999999", /'A1:A9999999' is outside the sheet \(its last cell is /],
    ];
    for (const [range, message] of cases) {
      const shot = await capture({ range });
      expect(shot.status, range).toBe(400);
      expect(shot.body.error.code).toBe("capture-refused");
      expect(shot.body.error.message).toMatch(message);
    }
    const empty = await capture({ range: "Sheet1" });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe("Sheet1 is empty: nothing to show");
    expect(await host.ok('Range("A1").Value = 5\nResult = Range("A1").Value * 2')).toBe(10);
  });
});
