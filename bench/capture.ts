// (k) Capture: how long a picture takes and how big it is, per app that runs here, against a
// no-op `run` on the same host in the same run (both through POST /api/*, as a client calls
// them). The Blender UI row is compared with blender-mcp's viewport screenshot measured on this
// kind of machine (Blender 3.4 UI under Xvfb): 0.92 s p50 for an 800 px PNG of 330 KB.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findOnPath } from "../adapters/find-executable.js";
import { adapters, languageKits } from "../adapters/registry.js";
import type { CaptureResponse } from "../bridge/capture/response.js";
import { silentLogger } from "../bridge/logger.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { Bridge } from "../bridge/server/bridge-server.js";
import { startUiBlender, type UiBlender, uiHostId } from "../test/helpers/ui-blender.js";
import { report, type Summary, sample, summarize } from "./stats.js";

const ITERATIONS = 12;
const WARMUP = 2;
/** blender-mcp's viewport screenshot on this kind of machine: p50 and bytes of its 800 px PNG. */
const PEER = { p50Ms: 920, bytes: 330 * 1024 };

interface Row {
  name: string;
  latency: Summary;
  bytes: number;
  tokens: number;
  size: string;
}

export async function benchCapture(): Promise<string> {
  const blender = findOnPath("blender");
  const xvfb = findOnPath("xvfb-run");
  const office = findOnPath("soffice");
  const dataDir = mkdtempSync(join(tmpdir(), "sw-bench-capture-"));
  const specs = [...(blender ? ["blender:1"] : []), ...(office ? ["libreoffice:1"] : [])];
  const bridge = new Bridge({
    dataDir,
    port: 0,
    logger: silentLogger(),
    kits: languageKits,
    adapters,
    headless: parseHeadlessSpecs(specs, adapters).specs,
    // The UI Blender's add-on finds the bridge through bridge.json in this data dir.
    writeDiscovery: true,
    autoDocs: false,
  });
  let ui: UiBlender | undefined;
  const lines: string[] = [];
  try {
    await bridge.start();
    if (specs.length) await bridge.managed!.waitUntilConnected(120_000);
    const post = async <T>(path: string, body: unknown): Promise<T> => {
      const res = await fetch(`${bridge.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${bridge.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as T;
    };
    const noop = (host: string, code: string) => () => post("/api/run", { host, code });
    const captureRow = async (name: string, host: string, body: Record<string, unknown>): Promise<Row> => {
      let last: CaptureResponse | undefined;
      const samples = await sample(ITERATIONS, WARMUP, async () => {
        last = await post<CaptureResponse>("/api/capture", { host, ...body });
      });
      const image = last!.images[0]!;
      return {
        name,
        latency: summarize(samples),
        bytes: image.bytes,
        tokens: image.tokens,
        size: `${image.width}×${image.height}`,
      };
    };
    const table = (title: string, baseline: Summary, rows: Row[]) => {
      lines.push(
        report(
          title,
          "no-op run on the same host",
          baseline,
          rows.map((row) => [row.name, row.latency]),
        ),
      );
      for (const row of rows)
        lines.push(
          `    ${row.name}: ${row.size} PNG, ${(row.bytes / 1024).toFixed(1)} KB, ≈${row.tokens} image tokens`,
        );
    };

    if (blender) {
      const host = bridge.pool.all().find((h) => h.app === "blender")!.id;
      await post("/api/run", { host, code: SCENE });
      const baseline = summarize(await sample(ITERATIONS, WARMUP, noop(host, "None")));
      table("(k) Capture: headless Blender (Workbench render from the scene camera)", baseline, [
        await captureRow("camera, default 1024 px", host, {}),
        await captureRow("camera, 800 px", host, { width: 800 }),
        await captureRow("two frames, one 1024 px sheet", host, { frames: [1, 24] }),
        await captureRow("four views, one 1024 px sheet", host, { views: ["front", "side", "top", "persp"] }),
      ]);
    } else lines.push("\n(k) Capture, headless Blender: skipped, blender is not on PATH (npm run setup)");

    if (blender && xvfb) {
      ui = startUiBlender({ xvfb, blender, dataDir, configDir: join(dataDir, "blender-user") });
      const host = await uiHostId(bridge, ui);
      await post("/api/run", { host, code: SCENE });
      const baseline = summarize(await sample(ITERATIONS, WARMUP, noop(host, "None")));
      const viewport = await captureRow("viewport, 800 px", host, { width: 800 });
      table("(k) Capture: Blender with its UI (Xvfb), the 3D viewport drawn off-screen", baseline, [
        viewport,
        await captureRow("viewport, default 1024 px", host, {}),
      ]);
      const faster = PEER.p50Ms / viewport.latency.p50;
      const smaller = PEER.bytes / viewport.bytes;
      lines.push(
        `  vs blender-mcp's viewport screenshot (800 px, 0.92 s p50, 330 KB, splash screen over the scene): ` +
          `${faster.toFixed(1)}× faster (target ≥ 2×: ${faster >= 2 ? "met" : "not met"}), ` +
          `${smaller.toFixed(1)}× smaller (target > 2×: ${smaller > 2 ? "met" : "not met"}), scene only`,
      );
    } else
      lines.push("\n(k) Capture, Blender UI: skipped, blender or xvfb-run is not on PATH (npm run setup)");

    if (office) {
      const host = bridge.pool.all().find((h) => h.app === "libreoffice")!.id;
      await post("/api/run", { host, language: "vba", code: SHEET });
      const baseline = summarize(await sample(ITERATIONS, WARMUP, noop(host, "Result = 1")));
      table("(k) Capture: LibreOffice Calc (a range drawn by Calc's own export)", baseline, [
        await captureRow("Sheet1!A1:F20 with fills", host, { range: "Sheet1!A1:F20" }),
        await captureRow("the used range", host, {}),
      ]);
    } else lines.push("\n(k) Capture, LibreOffice: skipped, soffice is not on PATH (npm run setup)");
    return lines.join("\n");
  } finally {
    await ui?.stop();
    await bridge.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// A red cube in front of the camera, animated so that frames differ.
const SCENE = [
  "bpy.ops.mesh.primitive_cube_add(size=1.6, location=(3.7, -3.5, 2.5))",
  "paint = D.materials.new('BenchRed')",
  "paint.diffuse_color = (1, 0, 0, 1)",
  "C.active_object.data.materials.append(paint)",
  "C.active_object.keyframe_insert('location', frame=1)",
  "C.active_object.location.x += 2",
  "C.active_object.keyframe_insert('location', frame=24)",
  "True",
].join("\n");

const SHEET = [
  'Range("A1:F20").Value = 42',
  'Range("B2:C4").Interior.Color = RGB(255, 0, 0)',
  'Range("D10:E12").Interior.Color = RGB(0, 0, 255)',
  "Result = 1",
].join("\n");
