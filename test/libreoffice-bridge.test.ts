// End to end against real LibreOffice Calc: `scriptwright serve --headless libreoffice:1`, then
// the CLI and the HTTP API as a user would drive them. One bridge and one LibreOffice for the
// whole file; the tests run in order and share the host's document where they say so.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type ServeProcess, startServe } from "./helpers/cli.js";
import { alive, commandLine, descendantsOf, waitUntil } from "./helpers/proc.js";
import { requireSofficeWithUno } from "./helpers/soffice.js";

const office = requireSofficeWithUno();

interface HostRow {
  id: string;
  app: string;
  language: string;
  appVersion: string;
  managed: boolean;
  busy: boolean;
  document: string | null;
  capabilities: string[];
  connectedAt: string;
}

describe.skipIf(office.skip)("bridge with a managed headless LibreOffice", () => {
  let dataDir: string;
  let serve: ServeProcess;

  // biome-ignore lint/suspicious/noExplicitAny: JSON from the API, asserted field by field.
  const api = async (path: string, init: RequestInit = {}): Promise<any> => {
    const res = await fetch(`${serve.info.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${serve.info.token}`, "content-type": "application/json" },
    });
    return res.json();
  };
  const hosts = async () => (await api("/api/hosts")) as HostRow[];
  const exec = (args: string[]) => runCli(["exec", "--app", "libreoffice", "--data-dir", dataDir, ...args]);
  const vba = async (code: string, extra: string[] = []) => {
    const result = await exec(["--code", code, "--json", ...extra]);
    return { code: result.code, ...JSON.parse(result.stdout) };
  };
  const python = (code: string) => vba(code, ["--language", "python"]);

  async function waitForHost(timeoutMs = 60_000): Promise<HostRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const host = (await hosts()).find((h) => h.app === "libreoffice" && h.managed && !h.busy);
      if (host) return host;
      if (Date.now() > deadline)
        throw new Error(`no LibreOffice host after ${timeoutMs} ms: ${serve.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The runner (the bridge's child) and its soffice.bin. */
  function managedProcesses(): { runner: number[]; soffice: number[] } {
    const all = descendantsOf(serve.child.pid!);
    return {
      runner: all.filter((pid) => commandLine(pid).includes("scriptwright_libreoffice.py")),
      soffice: all.filter((pid) => commandLine(pid).includes("soffice.bin")),
    };
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-libreoffice-"));
    serve = await startServe(dataDir, ["--headless", "libreoffice:1", "--heartbeat-ms", "200"]);
    await waitForHost();
  });

  afterAll(async () => {
    await serve?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists a managed LibreOffice host that speaks VBA and also Python", async () => {
    const [host] = await hosts();
    expect(host).toMatchObject({ app: "libreoffice", language: "vba", managed: true, document: null });
    expect(host!.appVersion).toMatch(/^\d+\.\d+/);
    expect(host!.capabilities).toContain("python");
  });

  it("runs a bare body with `exec --app libreoffice --code`: the value is what it assigns to Result", async () => {
    const result = await exec([
      "--code",
      'Dim x As Long\nx = 20\nRange("A1").Value = x\nResult = Range("A1").Value + 1',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("21");
  });

  it("runs a module's Main: a Function's return value, nothing for a Sub", async () => {
    const fn = await vba(
      [
        "Option Explicit",
        "Private Function Twice(n)",
        "  Twice = n * 2",
        "End Function",
        "Function Main()",
        "  Main = Twice(21)",
        "End Function",
      ].join("\n"),
    );
    expect(fn).toMatchObject({ code: 0, outcome: "ok", value: 42 });
    const sub = await vba('Sub Main()\n  Range("C1").Value = "from Main"\nEnd Sub');
    expect(sub).toMatchObject({ code: 0, outcome: "ok", value: null });
    expect(await vba('Result = Range("C1").Value')).toMatchObject({ value: "from Main" });
  });

  it("leaves the document unmodified after a script that only reads, modified after one that writes", async () => {
    await python("doc.setModified(False)");
    expect(await vba('Result = Range("A1").Value')).toMatchObject({ outcome: "ok" });
    expect(await python("doc.isModified()")).toMatchObject({ value: false });
    expect(await vba('Range("C3").Value = 1')).toMatchObject({ outcome: "ok" });
    expect(await python("doc.isModified()")).toMatchObject({ value: true });
  });

  it("keeps no code of its own in an .ods file a VBA script saved", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sw-lo-ods-")), "saved by vba.ods");
    expect(await python(`save_as(${JSON.stringify(file)})`)).toMatchObject({ outcome: "ok" });
    const saved = await vba('Range("D4").Value = 44\nThisComponent.store()\nResult = 1');
    expect(saved).toMatchObject({ outcome: "ok", value: 1 });
    const entries = execFileSync("python3", [
      "-c",
      "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
      file,
    ]).toString();
    expect(entries).toContain("content.xml");
    expect(entries).not.toMatch(/ScriptwrightRun/);
    expect(
      await python(
        `open_document(${JSON.stringify(file)})\ndoc.Sheets.getByIndex(0).getCellRangeByName("D4").getValue()`,
      ),
    ).toMatchObject({ value: 44 });
    await python("new_document()"); // the tests after this one start from an untitled document
  });

  it("keeps the document between runs, and VBA and Python see the same one", async () => {
    await vba('Range("A2").Value = 41');
    expect(await vba('Result = Range("A2").Value + 1')).toMatchObject({ value: 42 });
    expect(await python('doc.Sheets.getByIndex(0).getCellRangeByName("A2").getValue()')).toMatchObject({
      outcome: "ok",
      value: 41,
    });
    // UNO objects come back as readable references, not as a serialisation error.
    expect(await python("[doc, doc.Sheets, doc.Sheets.getByIndex(0)]")).toMatchObject({
      outcome: "ok",
      value: [
        { $ref: "ScModelObj", title: expect.any(String) },
        { $ref: "ScTableSheetsObj", count: expect.any(Number) },
        { $ref: "ScTableSheetObj", name: expect.any(String) },
      ],
    });
    await python('doc.Sheets.getByIndex(0).getCellRangeByName("B2").setString("naïve — 日本 \\"q\\"")');
    expect(await vba('Result = Range("B2").Value')).toMatchObject({ value: 'naïve — 日本 "q"' });
  });

  it("returns typed values: numbers, unicode strings with quotes and control characters, booleans, empties, dates", async () => {
    const code = [
      "Result = Array(3, -0.25, 1E+20, CCur(1.25), _",
      '  "naïve — 日本 ""q"" \\ tab" & vbTab & vbLf, _',
      "  True, False, Null, Empty, _",
      "  DateSerial(2024, 1, 2), DateSerial(2024, 1, 2) + TimeSerial(13, 4, 5))",
    ].join("\n");
    const result = await vba(code);
    expect(result.outcome).toBe("ok");
    expect(result.value).toEqual([
      3,
      -0.25,
      1e20,
      1.25,
      'naïve — 日本 "q" \\ tab\t\n',
      true,
      false,
      null,
      null,
      "2024-01-02",
      "2024-01-02T13:04:05",
    ]);
  });

  it("returns a range's values as rows, objects as references, JsonObject as an object", async () => {
    await vba('Range("D1:E2").Value = Array(1, "x")\nRange("D2").Value = True\nRange("E2").Value = 2.5');
    expect(await vba('Result = Range("D1:E2").Value')).toMatchObject({
      value: [
        [1, "x"],
        [true, 2.5],
      ],
    });
    const refs = await vba(
      'Result = JsonObject("sheet", ActiveSheet, "range", Range("D1:E2"), "n", 3, "none", Nothing)',
    );
    expect(refs.value).toEqual({
      sheet: { $ref: "Worksheet", name: "Sheet1" },
      range: { $ref: "Range", address: "$D$1:$E$2", sheet: "Sheet1" },
      n: 3,
      none: null,
    });
  });

  it("collects Log output, capped with a marker", async () => {
    const small = await vba('Log "n =", 5, True\nResult = 1');
    expect(small).toMatchObject({ value: 1, logs: "n = 5 True\n" });
    const big = await vba('Dim i As Long\nFor i = 1 To 12000\n  Log String(9, "x")\nNext i\nResult = "done"');
    expect(big.value).toBe("done");
    expect(big.logs.length).toBeLessThan(70_000);
    expect(big.logs).toMatch(/\[scriptwright: \d+ more characters of output were dropped\]/);
  });

  it("reports a runtime error with Err.Number, Err.Description and its line in the user's code (exit 1)", async () => {
    const bare = await vba('Dim a As Double\na = 0\nLog "before"\nRange("A3").Value = 1 / a\nResult = a');
    expect(bare).toMatchObject({
      code: 1,
      outcome: "error",
      logs: "before\n",
      error: { type: "VBA error 11", message: "Division by zero.", line: 4 },
    });
    const module = [
      "Sub Check(n)",
      "  If n > 2 Then",
      '    Err.Raise 1234, , "too big: " & n',
      "  End If",
      "End Sub",
      "Sub Main()",
      "  Dim i",
      "  For i = 1 To 5",
      "    Check i",
      "  Next",
      "End Sub",
    ].join("\n");
    expect(await vba(module)).toMatchObject({
      outcome: "error",
      error: { type: "VBA error 1234", message: "too big: 3", line: 3 },
    });
    const human = await exec(["--code", "Dim o As Object\no.Activate"]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/error: VBA error 91: .*\(line 2\)/);
  });

  it("turns a compile error into an error outcome with a clear message, and keeps serving", async () => {
    const broken = await vba("Dim x\nx = (1 + \nResult = x");
    expect(broken).toMatchObject({ code: 1, outcome: "error" });
    expect(broken.error.message).toMatch(/did not compile/);
    expect(await vba('Result = "still here"')).toMatchObject({ outcome: "ok", value: "still here" });
    const rejected = await vba("For i = 1 To 3\n  If i = 2 Then\nNext i");
    expect(rejected).toMatchObject({ code: 1, outcome: "rejected" });
    expect(rejected.error.message).toMatch(
      /line 3:1 Next closes the For opened at line 1, but the If opened at line 2/,
    );
  });

  it("runs a macro with typed params bound as data", async () => {
    writeFileSync(
      join(dataDir, "double.bas"),
      'Result = JsonObject("twice", params("count") * 2, "type", TypeName(params("count")), "label", params("label"), "first", params("sizes", 0))',
    );
    writeFileSync(
      join(dataDir, "double.json"),
      JSON.stringify({
        type: "object",
        properties: {
          count: { type: "integer" },
          label: { type: "string" },
          sizes: { type: "array", items: { type: "number" }, default: [0.5, 2] },
        },
        required: ["count", "label"],
      }),
    );
    const saved = await runCli([
      "macro",
      "save",
      "double",
      "--app",
      "libreoffice",
      "--file",
      join(dataDir, "double.bas"),
      "--params",
      join(dataDir, "double.json"),
      "--data-dir",
      dataDir,
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/libreoffice, vba/);
    const run = await runCli([
      "macro",
      "run",
      "double",
      "--app",
      "libreoffice",
      "--param",
      "count=4",
      "--param",
      'label=é "q" \\ 日本',
      "--json",
      "--data-dir",
      dataDir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).value).toEqual({
      twice: 8,
      type: "Long",
      label: 'é "q" \\ 日本',
      first: 0.5,
    });
  });

  it("summarises the workbook through the state probe (VBA)", async () => {
    const host = await waitForHost();
    const state = await api(`/api/hosts/${host.id}/state`);
    expect(state.outcome).toBe("ok");
    expect(state.value).toMatchObject({ sheetCount: 1, moreSheets: 0, activeSheet: "Sheet1", path: null });
    expect(state.value.sheets).toEqual([
      { name: "Sheet1", usedRange: expect.stringMatching(/^\$A\$1:\$E\$\d+$/) },
    ]);
  });

  it("saves as .xlsx and opens .xlsx and .csv from Python; hosts shows the open document", async () => {
    const folder = mkdtempSync(join(tmpdir(), "sw-lo-files-"));
    try {
      const xlsx = join(folder, "book.xlsx");
      expect(await python(`save_as(${JSON.stringify(xlsx)})`)).toMatchObject({ outcome: "ok", value: xlsx });
      expect(existsSync(xlsx)).toBe(true);
      expect((await waitForHost()).document).toBe(xlsx);
      await python("new_document()");
      expect((await waitForHost()).document).toBeNull();
      expect(await vba('Result = IsEmpty(Range("A2").Value)')).toMatchObject({ value: true });
      // `doc` follows the document open_document() opens, within the same script.
      const opened = await python(
        `open_document(${JSON.stringify(xlsx)})\ndoc.Sheets.getByIndex(0).getCellRangeByName("A2").getValue()`,
      );
      expect(opened).toMatchObject({ outcome: "ok", value: 41 });
      expect(await vba('Result = Range("B2").Value')).toMatchObject({ value: 'naïve — 日本 "q"' });
      expect((await waitForHost()).document).toBe(xlsx);

      const csv = join(folder, "table.csv");
      writeFileSync(csv, 'name,amount\n"a, b",1.5\nc,-2\n');
      await python(`open_document(${JSON.stringify(csv)})`);
      expect(await vba('Result = Range("A1:B3").Value')).toMatchObject({
        value: [
          ["name", "amount"],
          ["a, b", 1.5],
          ["c", -2],
        ],
      });
      expect((await waitForHost()).document).toBe(csv);
      const missing = await python('open_document("/no/such/file.xlsx")');
      expect(missing).toMatchObject({ outcome: "error", error: { type: "FileNotFoundError" } });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("times out a hung script (exit 4); the supervisor kills the runner and its soffice and starts new ones", async () => {
    const before = await waitForHost();
    const old = managedProcesses();
    expect(old.runner).toHaveLength(1);
    expect(old.soffice).toHaveLength(1);
    const hung = await exec(["--timeout", "1500", "--code", "Do\nLoop"]);
    expect(hung.code).toBe(4);
    expect(hung.stderr).toMatch(/timeout.*unknown/s);
    // It says what a restart will cost, before it happens…
    expect(hung.stderr).toMatch(/is restarted and unsaved changes to .* are lost/);
    await waitUntil(
      () => ![...old.runner, ...old.soffice].some(alive),
      15_000,
      "the hung runner and soffice to go",
    );
    const after = await waitForHost(90_000);
    // A new connection for the same managed slot, which keeps its id (`exec --host` still reaches it).
    expect(after.connectedAt).not.toBe(before.connectedAt);
    expect(after.id).toBe(before.id);
    // …and the first run after it says what was lost; the one after that has nothing to say.
    expect(await vba('Result = "back"')).toMatchObject({
      outcome: "ok",
      value: "back",
      notice: expect.stringMatching(/was restarted because a script hung: unsaved changes to .* are gone/),
    });
    expect((await vba('Result = "again"')).notice).toBeUndefined();
    const fresh = managedProcesses();
    expect(fresh.soffice).toHaveLength(1);
    expect(fresh.soffice[0]).not.toBe(old.soffice[0]);
  });

  it("stops the runner and its soffice, leaving none behind, on SIGTERM", async () => {
    const { runner, soffice } = managedProcesses();
    expect(runner.length + soffice.length).toBe(2);
    expect(await serve.stop("SIGTERM")).toBe(0);
    await waitUntil(() => ![...runner, ...soffice].some(alive), 10_000, "runner and soffice to exit");
    expect(existsSync(join(dataDir, "bridge.json"))).toBe(false);
  });
});
