// A batch job over .xlsx files on headless LibreOffice: the files are made by LibreOffice
// itself (a Python run through a managed host), a VBA macro with a typed parameter writes into
// each one and saves it, and the saved files are then read back as zip archives, without
// LibreOffice, to see that they really changed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startServe } from "./helpers/cli.js";
import { alive, commandLine } from "./helpers/proc.js";
import { requireSofficeWithUno } from "./helpers/soffice.js";

const office = requireSofficeWithUno();

/** A member of an .xlsx (zip) archive, read with Python's zipfile. */
function xlsxPart(file: string, part: string): string {
  return execFileSync("python3", [
    "-c",
    "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode('utf-8'))",
    file,
    part,
  ]).toString();
}

/** soffice.bin processes started by Scriptwright runners (their profiles are scriptwright-lo-*). */
function runnerSoffices(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => /soffice\.bin.*scriptwright-lo-/.test(commandLine(pid)) && alive(pid));
}

describe.skipIf(office.skip)("batch jobs on headless LibreOffice", () => {
  let root: string;
  let dataDir: string;
  const files: string[] = [];
  const cli = (args: string[]) => runCli([...args, "--data-dir", dataDir]);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "sw-lo-batch-"));
    dataDir = join(root, "data");
    const serve = await startServe(join(root, "maker"), ["--headless", "libreoffice:1"]);
    try {
      const makeFiles = [
        "for i in range(1, 5):",
        "    new_document()",
        '    doc.Sheets.getByIndex(0).getCellRangeByName("A1").setValue(i)',
        `    save_as(${JSON.stringify(root)} + "/book%d.xlsx" % i)`,
        "len(doc.Sheets)",
      ].join("\n");
      const maker = join(root, "maker");
      for (
        let waited = 0;
        !(await runCli(["hosts", "--data-dir", maker])).stdout.includes("libreoffice");
        waited++
      ) {
        if (waited > 240) throw new Error(`no LibreOffice host to make the files: ${serve.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const made = await runCli([
        "exec",
        "--app",
        "libreoffice",
        "--language",
        "python",
        "--data-dir",
        maker,
        "--code",
        makeFiles,
      ]);
      expect(made.code, made.stderr).toBe(0);
    } finally {
      await serve.stop();
    }
    for (let i = 1; i <= 4; i++) files.push(join(root, `book${i}.xlsx`));
    writeFileSync(
      join(root, "stamp.bas"),
      [
        'Range("B1").Value = params("label") & " " & Range("A1").Value',
        "ThisWorkbook.Save",
        'Result = Range("A1").Value * params("factor")',
      ].join("\n"),
    );
    writeFileSync(
      join(root, "stamp.json"),
      JSON.stringify({
        type: "object",
        properties: { label: { type: "string" }, factor: { type: "integer", default: 10 } },
        required: ["label"],
      }),
    );
    const saved = await cli([
      "macro",
      "save",
      "stamp",
      "--app",
      "libreoffice",
      "--file",
      join(root, "stamp.bas"),
      "--params",
      join(root, "stamp.json"),
    ]);
    expect(saved.code, saved.stderr).toBe(0);
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("runs a VBA macro over three .xlsx files on two hosts; each file is written and saved", async () => {
    const untouched = statSync(files[3]!).mtimeMs;
    expect(xlsxPart(files[0]!, "xl/worksheets/sheet1.xml")).not.toContain('r="B1"');
    const run = await cli([
      "batch",
      "run",
      "--macro",
      "stamp",
      "--app",
      "libreoffice",
      "--files",
      join(root, "book[1-3].xlsx"),
      "--param",
      "label=stamped",
      "--param",
      "factor=7",
      "--concurrency",
      "2",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    // check saw ThisWorkbook.Save: each file is then checked to have changed on disk.
    expect(run.stderr).toMatch(/each file is checked to have been saved/);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ state: "finished", total: 3, done: 3, ok: 3, failed: 0 });
    // Each file's own A1 times the typed factor (7, a number, not "7").
    expect(summary.files.map((f: { value: number }) => f.value)).toEqual([7, 14, 21]);

    for (let i = 1; i <= 3; i++) {
      const file = files[i - 1]!;
      expect(xlsxPart(file, "xl/sharedStrings.xml")).toContain(`stamped ${i}`);
      expect(xlsxPart(file, "xl/worksheets/sheet1.xml")).toContain('r="B1"');
    }
    expect(statSync(files[3]!).mtimeMs).toBe(untouched);
    expect(xlsxPart(files[3]!, "xl/worksheets/sheet1.xml")).not.toContain('r="B1"');
    expect(runnerSoffices()).toEqual([]);
  });

  it("reports a file whose save silently did nothing as not saved, never ok", async () => {
    // Declared as saving (--saves), but it only marks the workbook saved: nothing reaches the disk.
    writeFileSync(join(root, "pretend.bas"), 'Range("C1").Value = 1\nThisWorkbook.Saved = True\nResult = 1');
    const saved = await cli([
      "macro",
      "save",
      "pretend",
      "--app",
      "libreoffice",
      "--file",
      join(root, "pretend.bas"),
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    const before = statSync(files[3]!).mtimeMs;
    const run = await cli(["batch", "run", "--macro", "pretend", "--files", files[3]!, "--saves", "--json"]);
    expect(run.code).toBe(1);
    const status = JSON.parse(run.stdout);
    expect(status.files).toEqual([
      expect.objectContaining({ outcome: "error", error: expect.objectContaining({ type: "NotSaved" }) }),
    ]);
    expect(statSync(files[3]!).mtimeMs).toBe(before);
  });

  it("runs a Python macro over .xlsx files too: the app's second language", async () => {
    writeFileSync(
      join(root, "read-a1.py"),
      'doc.Sheets.getByIndex(0).getCellRangeByName("A1").getValue() * 100\n',
    );
    const saved = await cli([
      "macro",
      "save",
      "read-a1",
      "--app",
      "libreoffice",
      "--language",
      "python",
      "--file",
      join(root, "read-a1.py"),
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    const run = await cli([
      "batch",
      "run",
      "--macro",
      "read-a1",
      "--files",
      join(root, "book[34].xlsx"),
      "--concurrency",
      "1",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ state: "finished", total: 2, ok: 2 });
    expect(summary.files.map((f: { value: number }) => f.value)).toEqual([300, 400]);
  });
});
