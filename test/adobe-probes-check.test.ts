// After Effects and Premiere state probes, and `scriptwright check`. The apps cannot run
// here: the AE probe runs in a JavaScript engine (node:vm, no JSON) against a small
// simulated AE object model, proving its shape and bounds, not that AE answers the same.
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { afterEffectsStateProbe } from "../adapters/aftereffects/state-probe.js";
import { extendscriptKit } from "../adapters/extendscript/kit/index.js";
import { premiereExtendScriptStateProbe, premiereUxpStateProbe } from "../adapters/premiere/state-probe.js";
import { uxpKit } from "../adapters/uxp-js/index.js";
import { runCli } from "./helpers/cli.js";

/** Just enough of After Effects' object model for the probe: a simulator. */
function simulatedAfterEffects(selectedCount: number) {
  class CompItem {}
  class AVLayer {}
  class TextLayer extends AVLayer {}
  class ShapeLayer extends AVLayer {}
  class CameraLayer {}
  class LightLayer {}
  const layers = Array.from({ length: selectedCount }, (_, i) =>
    Object.assign(i % 2 ? new TextLayer() : new ShapeLayer(), {
      index: i + 1,
      name: `Layer ${i + 1}`,
      inPoint: 0,
      outPoint: 5,
    }),
  );
  const comp = Object.assign(new CompItem(), {
    name: "Main",
    width: 1920,
    height: 1080,
    frameRate: 25,
    duration: 10,
    numLayers: selectedCount,
    selectedLayers: layers,
  });
  const queue = { numItems: 3, item: (i: number) => ({ status: i === 1 ? 3015 : 3013 }) };
  return {
    JSON: undefined,
    CompItem,
    AVLayer,
    TextLayer,
    ShapeLayer,
    CameraLayer,
    LightLayer,
    app: {
      version: "24.0.0",
      project: { file: { fsName: "/projects/shot.aep" }, numItems: 4, activeItem: comp, renderQueue: queue },
    },
  };
}

describe("state probes", () => {
  it("are valid in their languages (ES3 for ExtendScript, modern JS for UXP)", () => {
    expect(extendscriptKit.preflight(afterEffectsStateProbe)).toEqual([]);
    expect(extendscriptKit.preflight(premiereExtendScriptStateProbe)).toEqual([]);
    expect(uxpKit.preflight(premiereUxpStateProbe)).toEqual([]);
    for (const probe of [afterEffectsStateProbe, premiereExtendScriptStateProbe])
      expect(extendscriptKit.risk(probe)).toEqual([]);
    expect(uxpKit.risk(premiereUxpStateProbe)).toEqual([]);
  });

  it("summarise the After Effects project, bounded to 50 selected layers (AE simulator)", () => {
    const wrapped = extendscriptKit.wrap(afterEffectsStateProbe);
    const output = runInNewContext(wrapped.code, simulatedAfterEffects(60));
    const { value, error } = extendscriptKit.unwrap(String(output), wrapped);
    expect(error).toBeUndefined();
    expect(value).toMatchObject({
      app: "After Effects 24.0.0",
      projectFile: "/projects/shot.aep",
      activeComp: { name: "Main", width: 1920, frameRate: 25, moreSelected: 10 },
      renderQueue: { items: 3, byStatus: { "3015": 1, "3013": 2 } },
    });
    const comp = (value as { activeComp: { selectedLayers: Array<{ type: string }> } }).activeComp;
    expect(comp.selectedLayers).toHaveLength(50);
    expect(comp.selectedLayers.slice(0, 2).map((layer) => layer.type)).toEqual(["shape", "text"]);
  });
});

describe("scriptwright check", () => {
  it("reports ES3 violations with lines, exit 1, and passes clean ExtendScript with exit 0", async () => {
    const bad = await runCli([
      "check",
      "--app",
      "aftereffects",
      "--json",
      "--code",
      "var ok = 1;\nlet x = () => ok;",
    ]);
    expect(bad.code).toBe(1);
    const diagnostics = JSON.parse(bad.stdout) as Array<{ line: number; severity: string; message: string }>;
    expect(diagnostics.length).toBeGreaterThanOrEqual(2);
    expect(diagnostics.every((d) => d.line === 2 && d.severity === "error")).toBe(true);
    const good = await runCli([
      "check",
      "--app",
      "aftereffects",
      "--code",
      "#target aftereffects\nvar c = app.project.activeItem;\nc.name",
    ]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/no problems found \(extendscript\)/);
  });

  it("lists risk flags as warnings, for any app's language", async () => {
    const risky = await runCli([
      "check",
      "--app",
      "blender",
      "--code",
      "import shutil\nshutil.rmtree('/tmp/x')",
    ]);
    expect(risky.code).toBe(1);
    expect(risky.stdout).toMatch(/^2:1 warning deletes files/m);
    expect((await runCli(["check", "--app", "nope", "--code", "1"])).code).toBe(2);
  });
});
