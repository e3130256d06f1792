// A LibreOffice host's VBA saving files, against a real runner and soffice, each file checked on
// disk. Headless, LibreOffice's own Workbook.Save does nothing for an .xlsx (or a workbook read
// from a CSV file, or one with no file) and the script goes on as if it had saved; its SaveAs
// writes Excel 97 content under any name. The host must write the file the script names in the
// format its extension says, or fail the script saying what to use.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LibreOfficeHost, requireSofficeWithUno, startLibreOfficeHost } from "./helpers/soffice.js";

const office = requireSofficeWithUno();

const ZIP = `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
if len(sys.argv) > 2:
    sys.stdout.write(z.read(sys.argv[2]).decode("utf-8", "replace"))
else:
    sys.stdout.write("\\n".join(z.namelist()))
`;

function zipEntries(path: string): string[] {
  return execFileSync("python3", ["-c", ZIP, path]).toString().split("\n");
}

/** What a file is, from its first bytes and (zips) its entries, never from LibreOffice. */
function formatOf(path: string): string {
  const head = readFileSync(path).subarray(0, 4);
  if (head.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) return "xls";
  if (head.subarray(0, 2).toString("latin1") !== "PK") return "text";
  const entries = zipEntries(path);
  if (entries.includes("xl/workbook.xml")) return "xlsx";
  const mimetype = entries.includes("mimetype")
    ? execFileSync("python3", ["-c", ZIP, path, "mimetype"]).toString()
    : "";
  if (mimetype === "application/vnd.oasis.opendocument.spreadsheet") return "ods";
  return `zip: ${entries.join(", ")}`;
}

describe.skipIf(office.skip)("LibreOffice host: VBA Save and SaveAs write files", () => {
  let host: LibreOfficeHost;
  let dir: string;
  const q = (text: string) => JSON.stringify(text);

  beforeAll(async () => {
    host = await startLibreOfficeHost("lo-saving");
    dir = mkdtempSync(join(tmpdir(), "sw-lo-saving-"));
  });

  afterAll(async () => {
    await host?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await host.reset();
  });

  describe("ThisWorkbook.Save", () => {
    for (const extension of ["xlsx", "ods", "xls"] as const) {
      it(`writes an opened .${extension} in place, in its own format`, async () => {
        const path = join(dir, `in place.${extension}`);
        await host.writeSpreadsheet(path, "before");
        const before = statSync(path).mtimeMs;
        await host.ok(`open_document(${q(path)})`, "python");
        expect(
          await host.ok(`Range("A1").Value = "saved by VBA"\nThisWorkbook.Save\nResult = ThisWorkbook.Saved`),
        ).toBe(true);
        expect(statSync(path).mtimeMs).toBeGreaterThan(before);
        expect(formatOf(path)).toBe(extension);
        expect(await host.readA1(path)).toBe("saved by VBA");
        if (extension === "ods") expect(zipEntries(path).join("\n")).not.toMatch(/ScriptwrightRun/);
      });
    }

    it("writes a workbook read from a CSV file back to that file, as CSV", async () => {
      const path = join(dir, "rows.csv");
      writeFileSync(path, "name,count\napples,3\n");
      await host.ok(`open_document(${q(path)})`, "python");
      await host.ok('Range("B2").Value = 4\nActiveWorkbook.Save');
      expect(readFileSync(path, "utf8").trim().split(/\r?\n/)).toEqual(['"name","count"', '"apples",4']);
    });

    it("fails the script on its line, naming SaveAs, when the workbook has no file yet", async () => {
      const result = await host.run('Range("A1").Value = 1\nThisWorkbook.Save\nResult = "went on"');
      expect(result.outcome).toBe("error");
      expect(result.error.message).toContain("has never been saved");
      expect(result.error.message).toContain("ThisWorkbook.SaveAs");
      expect(result.error.line).toBe(2);
    });

    it("saves a workbook the script opened with Workbooks.Open", async () => {
      const other = join(dir, "opened.xlsx");
      await host.writeSpreadsheet(other, "opened");
      await host.reset();
      await host.ok(
        `Dim wb As Object\nSet wb = Workbooks.Open(${q(other)})\nwb.Worksheets(1).Range("A1").Value = "changed"\nwb.Save\nwb.Close False`,
      );
      expect(formatOf(other)).toBe("xlsx");
      expect(await host.readA1(other)).toBe("changed");
    });
  });

  describe("SaveAs", () => {
    for (const [extension, format] of [
      ["xlsx", "xlsx"],
      ["ods", "ods"],
      ["xls", "xls"],
      ["csv", "text"],
    ] as const) {
      it(`writes a .${extension} name as ${extension} content`, async () => {
        const path = join(dir, `saved as.${extension}`);
        await host.ok(`Range("A1").Value = "as ${extension}"\nThisWorkbook.SaveAs ${q(path)}`);
        expect(formatOf(path)).toBe(format);
        if (extension === "csv") expect(readFileSync(path, "utf8")).toMatch(/^"as csv"/);
        else expect(await host.readA1(path)).toBe(`as ${extension}`);
        if (extension === "ods") expect(zipEntries(path).join("\n")).not.toMatch(/ScriptwrightRun/);
      });
    }

    it("leaves the workbook on its new file: a later Save writes there", async () => {
      const path = join(dir, "then saved.xlsx");
      await host.ok(`ThisWorkbook.SaveAs ${q(path)}\nRange("A1").Value = "later"\nActiveWorkbook.Save`);
      expect(formatOf(path)).toBe("xlsx");
      expect(await host.readA1(path)).toBe("later");
    });

    it("writes a workbook from Workbooks.Add as its extension says, closed by the script", async () => {
      const path = join(dir, "added.xlsx");
      await host.ok(
        `Dim wb As Object\nSet wb = Workbooks.Add\nwb.Worksheets(1).Range("A1").Value = "added"\nwb.SaveAs ${q(path)}\nwb.Close`,
      );
      expect(formatOf(path)).toBe("xlsx");
      expect(await host.readA1(path)).toBe("added");
    });
  });
});
