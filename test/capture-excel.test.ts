// Excel's capture and checkpoints. Excel cannot run here and no simulator interprets VBA, so the
// VBA itself is checked the way the VBA kit's tests check modules: it passes the kit's preflight,
// its procedures and the object-model calls each makes are read from its tokens, and the module
// the kit builds carries the params as data. The bridge's side (POST /api/capture, a checkpoint
// and undo round trip) runs against an Excel host simulator: a protocol host that receives the
// real wrapped modules, reads their bound params, and does what the module would do to a
// simulated workbook. None of this shows that Excel works.
import { readFileSync, writeFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { excelCapture } from "../adapters/excel/capture.js";
import { excelCheckpoint } from "../adapters/excel/checkpoint.js";
import { excelAdapter } from "../adapters/excel/index.js";
import { vbaKit } from "../adapters/vba/index.js";
import { analyse } from "../adapters/vba/structure.js";
import { logicalLines } from "../adapters/vba/tokens.js";
import { asciiParamsJson } from "../adapters/vba/wrap.js";
import { solidPng } from "./helpers/aftereffects-simulator.js";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import { ProtocolHost } from "./helpers/protocol-host.js";

/** Each procedure of a VBA module with the member calls (`.Name` after an expression) it makes, in order. */
function callsByProcedure(code: string): Map<string, string[]> {
  const lines = logicalLines(code);
  const shape = analyse(code, lines);
  const calls = new Map<string, string[]>(shape.procedures.map((p) => [p.name, []]));
  lines.forEach((line, index) => {
    const procedure = shape.bodyOf[index];
    if (!procedure) return;
    for (const statement of line.statements) {
      const tokens = statement.tokens;
      tokens.forEach((token, i) => {
        if (token.kind === "word" && tokens[i - 1]?.text === ".") calls.get(procedure.name)!.push(token.text);
      });
    }
  });
  return calls;
}

/** The params a wrapped VBA module carries: slot 0 of its string table, as the kit writes it. */
function boundParams(module: string): Record<string, unknown> {
  const pieces = module
    .split("\n")
    .filter((line) => /^\s*Swrt_S\(0\) = /.test(line))
    .flatMap((line) => [
      ...line.replace(/^\s*Swrt_S\(0\) = (Swrt_S\(0\) & )?/, "").matchAll(/"((?:[^"]|"")*)"/g),
    ])
    .map((match) => match[1]!.replaceAll('""', '"'));
  return JSON.parse(pieces.join("")) as Record<string, unknown>;
}

describe("Excel capture and checkpoint VBA (checked, not run)", () => {
  it("passes the VBA kit's preflight", () => {
    expect(vbaKit.preflight(excelCapture.code)).toEqual([]);
    expect(vbaKit.preflight(excelCheckpoint.copy!.save)).toEqual([]);
    expect(vbaKit.preflight(excelCheckpoint.copy!.restore)).toEqual([]);
  });

  it("copies a range as a picture into a temporary ChartObject, exports it as PNG and deletes it", () => {
    const calls = callsByProcedure(excelCapture.code);
    expect([...calls.keys()]).toEqual([
      "Main",
      "ExportPicture",
      "Pictures",
      "CaptureOption",
      "FindChart",
      "ResolveRange",
    ]);
    expect(calls.get("ExportPicture")).toEqual([
      "CopyPicture",
      "ChartObjects",
      "Add",
      "Width",
      "Height",
      "Activate",
      "Chart",
      "Paste",
      "Chart",
      "Export",
      "Delete",
      "Description",
      "Delete",
    ]);
    // A chart is exported directly; the workbook's Saved flag is put back after the temporary chart.
    expect(calls.get("Main")).toEqual(
      expect.arrayContaining(["Export", "Name", "Saved", "Worksheet", "Activate", "PathSeparator"]),
    );
    expect(excelCapture.code).toMatch(/\.Export\(path, "PNG"\)/);
    expect(calls.get("FindChart")).toEqual(["Charts", "Worksheets", "ChartObjects", "Chart"]);
  });

  it("keeps a copy with SaveCopyAs and puts its sheets back", () => {
    const save = callsByProcedure(excelCheckpoint.copy!.save);
    expect(save.get("SaveCheckpoint")).toEqual(expect.arrayContaining(["SaveCopyAs", "FullName"]));
    expect(save.get("Main")).toEqual([]);
    expect(excelCheckpoint.copy!.save).toMatch(/Main = SaveCheckpoint\(\)\nEnd Function\n$/);
    const restore = callsByProcedure(excelCheckpoint.copy!.restore);
    expect(restore.get("RestoreCheckpoint")).toEqual(
      expect.arrayContaining(["Open", "Copy", "Close", "Delete", "Name", "Activate"]),
    );
    expect(excelCheckpoint.copy!.restore).toMatch(/Main = RestoreCheckpoint\(\)\nEnd Function\n$/);
  });

  it("binds the capture's params as data in the module the kit builds, never in its code", () => {
    const params = { range: 'Q1 "Sales"!A1:D10', width: 800, dir: "C:\\Users\\ada\\cap-1" };
    const module = vbaKit.wrap(excelCapture.code, { params }).code;
    expect(module.match(/^Public Function ScriptwrightRun\(\) As String$/gm)).toHaveLength(1);
    expect(boundParams(module)).toEqual(JSON.parse(asciiParamsJson(params)));
    // Only the string table's loader holds it: no statement of the capture's own names it.
    const holding = module.split("\n").filter((line) => line.includes("cap-1"));
    expect(holding.length).toBeGreaterThan(0);
    for (const line of holding) expect(line).toMatch(/^\s*Swrt_S\(0\) = /);
  });
});

/** A workbook as the Excel host simulator keeps it: cells by address. */
type Workbook = Record<string, unknown>;

describe("Excel through the bridge (Excel host simulator)", () => {
  let fx: BridgeFixture;
  let host: ProtocolHost;
  let book: Workbook;
  const seen: string[] = [];
  const envelope = (value: unknown) => ({ output: JSON.stringify({ $scriptwright: 1, ok: true, value }) });

  beforeAll(async () => {
    fx = await startBridge({
      kits: new Map([[vbaKit.language, vbaKit]]),
      adapters: new Map([[excelAdapter.app, excelAdapter]]),
    });
    host = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      app: "excel",
      language: "vba",
      name: "excel-simulator",
      onRun: (run) => {
        const module = run.code;
        if (!/^Public Function ScriptwrightRun\(\) As String$/m.test(module))
          return { fail: "no entry point" };
        const params = boundParams(module);
        if (module.includes("Private Function ExportPicture(")) {
          seen.push("capture");
          // What Excel would judge: a sheet that does not exist.
          if (String(params.range ?? "").startsWith("Nope!")) {
            return envelope({ refused: 'no worksheet named "Nope" in Book1.xlsx' });
          }
          writeFileSync(
            `${params.dir}/capture.png`,
            solidPng(300, 100, book.A1 === 1 ? [0, 128, 0] : [200, 0, 0]),
          );
          return envelope({
            pictures: [{ file: "capture.png", label: String(params.range ?? "Sheet1!A1:C3") }],
          });
        }
        if (module.includes("Main = SaveCheckpoint()")) {
          seen.push("save");
          writeFileSync(String(params.path), JSON.stringify(book));
          return envelope({
            document: "C:\\Books\\Book1.xlsx",
            state: { book: "C:\\Books\\Book1.xlsx", ext: ".xlsx" },
          });
        }
        if (module.includes("Main = RestoreCheckpoint()")) {
          seen.push("restore");
          expect(params.state).toEqual({ book: "C:\\Books\\Book1.xlsx", ext: ".xlsx" });
          book = JSON.parse(readFileSync(String(params.path), "utf8")) as Workbook;
          return envelope({ document: "C:\\Books\\Book1.xlsx", notes: ["sheets put back"] });
        }
        // A person's run: `Range("A1").Value = <n>`, the only statement this simulator knows.
        const set = /Range\("(\w+)"\)\.Value = (\d+)/.exec(module);
        if (!set) return { fail: "the Excel host simulator only knows Range(...).Value = n" };
        seen.push("run");
        book[set[1]!] = Number(set[2]);
        return envelope(null);
      },
    });
  });
  beforeEach(() => {
    book = { A1: 1 };
    seen.length = 0;
  });
  afterAll(async () => {
    host?.close();
    await fx?.close();
  });

  const capture = async (body: Record<string, unknown>) => {
    const res = await fx.api("/api/capture", { method: "POST", json: { host: host.hostId, ...body } });
    return {
      status: res.status,
      json: (await res.json()) as { images: Array<Record<string, unknown>> } & ErrorBody,
    };
  };

  it("turns the picture the module names into a PNG labelled with the range", async () => {
    const { status, json } = await capture({ range: "Sheet1!A1:C3", width: 200 });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.images[0]).toMatchObject({ label: "Sheet1!A1:C3", width: 200, mediaType: "image/png" });
    const data = Buffer.from(json.images[0]!.data as string, "base64");
    expect((await sharp(data).metadata()).format).toBe("png");
  });

  it("gives clear errors for frames, views and a sheet that does not exist, and keeps serving", async () => {
    expect((await capture({ frames: [1] })).json.error).toEqual({
      code: "bad-capture",
      message: "Excel captures take no frames",
    });
    expect((await capture({ views: ["front"] })).json.error).toEqual({
      code: "bad-capture",
      message: "Excel captures take no views",
    });
    const missing = await capture({ range: "Nope!A1" });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toEqual({
      code: "capture-refused",
      message: 'no worksheet named "Nope" in Book1.xlsx',
    });
    expect(seen).toEqual(["capture"]);
    expect((await capture({})).status).toBe(200);
  });

  it("keeps a copy before a run that changes the workbook and puts it back on undo", async () => {
    const run = await fx.run({ host: host.hostId, code: 'Range("A1").Value = 42' });
    expect(run).toMatchObject({ outcome: "ok", checkpoint: { kind: "copy" } });
    expect(book.A1).toBe(42);
    const res = await fx.api(`/api/hosts/${host.hostId}/undo`, { method: "POST", json: {} });
    const body = (await res.json()) as { message: string; notes: string[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.notes).toEqual(["sheets put back"]);
    expect(book.A1).toBe(1);
    expect(seen).toEqual(["save", "run", "restore"]);
  });
});
