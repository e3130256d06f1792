// The Excel adapter's state probe is VBA on the Excel object model only, so LibreOffice Calc in
// VBA mode (a real VBA engine that runs here) can run it: wrapped by the real VBA kit, inserted
// as a Basic module with `Option VBASupport 1` and called like a host calls it. This checks the
// probe's VBA and its bounds; it says nothing about Excel itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { excelAdapter } from "../adapters/excel/index.js";
import { languageKits } from "../adapters/registry.js";
import { type LanguageKit, stateProbeFor } from "../adapters/types.js";
import { runProcess } from "./helpers/run-process.js";
import { requireSofficeWithUno, type Soffice, startSoffice, UNO_PYTHON } from "./helpers/soffice.js";

const office = requireSofficeWithUno();
// The VBA kit (adapters/vba) is being written alongside: until it is registered these tests
// are skipped, with the reason printed; they run as soon as it is.
const vba = languageKits.get("vba");
if (!vba) console.warn("[skip] no VBA kit registered yet: the Excel state probe tests are skipped");
const vbaKit = vba as LanguageKit;

// A hidden Calc document with 55 sheets (the third hidden, a value on the second, B2:C3 of the
// second selected), the module inserted and ScriptwrightRun called through the script provider.
const HARNESS = `
import json, sys, uno
request = json.load(sys.stdin)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=%d;urp;StarOffice.ComponentContext" % request["port"])
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
hidden = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
hidden.Name, hidden.Value = "Hidden", True
doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (hidden,))
try:
    sheets = doc.Sheets
    for i in range(2, request["sheets"] + 1):
        sheets.insertNewByName("S%d" % i, i - 1)
    sheets.getByName("S3").IsVisible = False
    sheets.getByName("S2").getCellRangeByName("C4").setValue(1)
    sheets.getByName("S2").getCellRangeByName("F9").setString("last")
    controller = doc.getCurrentController()
    controller.setActiveSheet(sheets.getByName("S2"))
    controller.select(sheets.getByName("S2").getCellRangeByName("B2:C3"))
    libraries = doc.BasicLibraries
    library = libraries.getByName("Standard") if libraries.hasByName("Standard") else libraries.createLibrary("Standard")
    library.insertByName("Module1", request["module"])
    uri = "vnd.sun.star.script:Standard.Module1.ScriptwrightRun?language=Basic&location=document"
    sys.stdout.write(doc.getScriptProvider().getScript(uri).invoke((), (), ())[0] or "")
finally:
    doc.close(True)
`;

async function runProbe(port: number, sheets: number): Promise<string> {
  const probe = stateProbeFor(excelAdapter, "vba");
  if (!probe) throw new Error("the Excel adapter has no VBA state probe");
  const module = vbaKit.wrap(probe, { prelude: "Option VBASupport 1" }).code;
  const { code, stdout, stderr } = await runProcess(UNO_PYTHON, ["-c", HARNESS], {
    input: JSON.stringify({ port, module, sheets }),
  });
  if (code !== 0) throw new Error(stderr);
  return stdout;
}

describe.skipIf(!vba)("Excel state probe", () => {
  it("is VBA the VBA kit accepts, and needs no approval", () => {
    const probe = stateProbeFor(excelAdapter, "vba")!;
    expect(vbaKit.preflight(probe)).toEqual([]);
    expect(vbaKit.risk(probe)).toEqual([]);
  });
});

describe.skipIf(office.skip || !vba)("Excel state probe in LibreOffice's VBA mode (not Excel)", () => {
  let soffice: Soffice;
  beforeAll(async () => {
    soffice = await startSoffice();
  });
  afterAll(async () => {
    await soffice?.stop();
  });

  it("lists sheets with their used ranges (at most 50), the active sheet and the selection", async () => {
    const probe = stateProbeFor(excelAdapter, "vba")!;
    const output = await runProbe(soffice.port, 55);
    const { value, error } = vbaKit.unwrap(output, vbaKit.wrap(probe));
    expect(error).toBeUndefined();
    const state = value as { sheets: { name: string }[] } & Record<string, unknown>;
    expect(state).toMatchObject({
      unsavedChanges: true,
      sheetCount: 55,
      moreSheets: 5,
      activeSheet: "S2",
      selection: "B2:C3",
    });
    expect(typeof state.workbook).toBe("string");
    expect(state.sheets).toHaveLength(50);
    expect(state.sheets.slice(0, 3)).toEqual([
      { name: "Sheet1", usedRange: "A1", visible: true },
      { name: "S2", usedRange: "C4:F9", visible: true },
      { name: "S3", usedRange: "A1", visible: false },
    ]);
    expect(state.sheets.at(-1)).toEqual({ name: "S50", usedRange: "A1", visible: true });
  });
});
