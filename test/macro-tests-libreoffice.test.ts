// Macro tests against real headless LibreOffice (VBA): each case on a new Calc document (a
// check sees only what its own run wrote), a failing case making `macro test` exit 1 and
// `batch run` refuse before any file; fixed, the tests pass; a check that raises names the error.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { requireSofficeWithUno } from "./helpers/soffice.js";

const office = requireSofficeWithUno();

const DOUBLE = [
  'Range("A1").Value = params("x")',
  'Cells(params("x"), 3).Value = "mark"',
  'Result = Range("A1").Value * 2',
].join("\n");
// Only this case's mark is in column C: the document is new for every case.
const ALONE = 'Result = (Application.WorksheetFunction.CountA(Range("C1:C10")) = 1)';

describe.skipIf(office.skip)("macro tests on headless LibreOffice", () => {
  let root: string;
  let dataDir: string;
  const cli = (args: string[]) => runCli([...args, "--data-dir", dataDir]);
  const save = (tests: unknown, replace = false) => {
    writeFileSync(join(root, "double.bas"), DOUBLE);
    writeFileSync(
      join(root, "params.json"),
      JSON.stringify({ type: "object", properties: { x: { type: "integer" } } }),
    );
    writeFileSync(join(root, "tests.json"), JSON.stringify(tests));
    return cli([
      "macro",
      "save",
      "double",
      "--app",
      "libreoffice",
      "--file",
      join(root, "double.bas"),
      "--params",
      join(root, "params.json"),
      "--tests",
      join(root, "tests.json"),
      ...(replace ? ["--replace"] : []),
    ]);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "sw-lo-macro-tests-"));
    dataDir = join(root, "data");
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("exits 1 naming the failing case, batch run refuses it, and once fixed every case passes", async () => {
    const saved = await save([
      { name: "two", params: { x: 2 }, expect: { value: 4, check: ALONE } },
      { name: "three", params: { x: 3 }, expect: { value: 7, check: ALONE } },
      { name: "check raises", params: { x: 1 }, expect: { check: "Dim z\nz = 0\nResult = 1 / z" } },
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    const failing = await cli(["macro", "test", "double", "--json"]);
    expect(failing.code, failing.stderr).toBe(1);
    const report = JSON.parse(failing.stdout) as {
      cases: Array<{ name: string; ok: boolean; reason?: string }>;
    };
    expect(report.cases.map((c) => [c.name, c.ok])).toEqual([
      ["two", true],
      ["three", false],
      ["check raises", false],
    ]);
    expect(report.cases[1]!.reason).toBe("expected value 7, got 6");
    expect(report.cases[2]!.reason).toMatch(/^the check raised .*Division by zero/i);

    const book = join(root, "book.xlsx");
    writeFileSync(book, "");
    const refused = await cli(["batch", "run", "--macro", "double", "--files", book, "--param", "x=2"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /not started: macro double \(version 1\) failed its tests "three" \(expected value 7, got 6\)/,
    );

    expect(
      (
        await save(
          [
            { name: "two", params: { x: 2 }, expect: { value: 4, check: ALONE } },
            { name: "three", params: { x: 3 }, expect: { value: 6, check: ALONE } },
          ],
          true,
        )
      ).code,
    ).toBe(0);
    const passing = await cli(["macro", "test", "double"]);
    expect(passing.code, passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/^macro double version 2 \(libreoffice\): 2 passed, 0 failed/m);
  }, 300_000);
});
