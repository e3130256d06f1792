// A person's Blender (its UI under Xvfb, the add-on from the repository finding the bridge
// through bridge.json): a capture is the 3D viewport as the person sees it, without the splash
// screen Blender shows over the window; each run is one of Blender's own undo steps, and undo
// goes back through Blender's undo history instead of reloading a copy.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLENDER_CHECKPOINT_PATH } from "../adapters/blender/checkpoint.js";
import { adapters, languageKits } from "../adapters/registry.js";
import type { RunResponse } from "../bridge/runs/outcome.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { runCli } from "./helpers/cli.js";
import { decode } from "./helpers/pixels.js";
import { requireBinary } from "./helpers/require-binary.js";
import { startUiBlender, type UiBlender, uiHostId } from "./helpers/ui-blender.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");
const xvfb = requireBinary("xvfb-run", "apt-get install xvfb xauth");

const OBJECTS = "sorted(o.name for o in D.objects)";

describe.skipIf(blender.skip || xvfb.skip)(
  "Blender's UI: the viewport capture and undo with Blender's undo steps",
  () => {
    let fixture: BridgeFixture;
    let work: string;
    let ui: UiBlender;
    let hostId: string;

    beforeAll(async () => {
      fixture = await startBridge({ kits: languageKits, adapters });
      work = mkdtempSync(join(tmpdir(), "sw-undo-ui-"));
      ui = startUiBlender({
        xvfb: xvfb.path!,
        blender: blender.path!,
        dataDir: fixture.dataDir,
        configDir: join(work, "blender-user"),
      });
      hostId = await uiHostId(fixture.bridge, ui);
    }, 240_000);

    afterAll(async () => {
      await ui?.stop();
      await fixture?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    const run = (code: string) => fixture.run({ host: hostId, code }) as Promise<RunResponse>;
    const value = async (code: string) => {
      const result = await run(code);
      if (result.outcome !== "ok")
        throw new Error(`${result.outcome}: ${JSON.stringify(result.error)}\n${ui.output()}`);
      return result.value;
    };
    const undo = async (...args: string[]) => {
      const result = await runCli([
        "undo",
        "--host",
        hostId,
        "--json",
        "--data-dir",
        fixture.dataDir,
        ...args,
      ]);
      return { code: result.code, body: JSON.parse(result.stdout), stderr: result.stderr };
    };

    it("the viewport capture shows the scene as the person sees it, not the splash screen over it", async () => {
      // A red cube over the factory cube, at the origin the factory viewport looks at.
      await value(
        [
          'bpy.ops.mesh.primitive_cube_add(size=2.4, location=(0, 0, 0))\nC.active_object.name = "UiRed"',
          'paint = D.materials.new("UiRedPaint")\npaint.diffuse_color = (1, 0, 0, 1)',
          "C.active_object.data.materials.append(paint)",
        ].join("\n"),
      );
      try {
        // What a screenshot of Blender's window shows: the splash screen in the middle, over the scene.
        const window = join(work, "window.png");
        await value(
          [
            "win = bpy.context.window_manager.windows[0]",
            "area = next(a for a in win.screen.areas if a.type == 'VIEW_3D')",
            "with bpy.context.temp_override(window=win, area=area):",
            `    bpy.ops.screen.screenshot(filepath=${JSON.stringify(window)})`,
            "True",
          ].join("\n"),
        );
        const screenshot = await decode(readFileSync(window).toString("base64"));
        const viewportBox = (await value(
          [
            "win = bpy.context.window_manager.windows[0]",
            "area = max((a for a in win.screen.areas if a.type == 'VIEW_3D'), key=lambda a: a.width * a.height)",
            "region = next(r for r in area.regions if r.type == 'WINDOW')",
            "(region.x, region.y, region.width, region.height, win.width, win.height)",
          ].join("\n"),
        )) as number[];
        const [x, y, w, h, winW, winH] = viewportBox as [number, number, number, number, number, number];
        // The middle of the viewport, in the screenshot (its rows run top down, Blender's bottom up).
        const mid = { x: (x + w / 2) / winW, y: 1 - (y + h / 2) / winH };
        const middleOf = (picture: Awaited<ReturnType<typeof decode>>, cx: number, cy: number) =>
          picture.redShare(cx - 0.03, cy - 0.03, cx + 0.03, cy + 0.03);
        expect(
          middleOf(screenshot, mid.x, mid.y),
          "the splash screen was not over the viewport",
        ).toBeLessThan(0.2);

        const res = await fixture.api("/api/capture", { method: "POST", json: { host: hostId, width: 800 } });
        const body = (await res.json()) as {
          images: Array<{ label: string; width: number; height: number; data: string }>;
          notes: string[];
        };
        expect(res.status, JSON.stringify(body)).toBe(200);
        const image = body.images[0]!;
        expect(image.label).toBe("viewport");
        const picture = await decode(image.data);
        expect(picture.meta.format).toBe("png");
        expect(Math.max(picture.info.width, picture.info.height)).toBe(800);
        // The viewport's own shape, not the window's.
        expect(picture.info.width / picture.info.height).toBeCloseTo(w / h, 1);
        // The scene where the splash screen stands in the window: the red cube, whole.
        expect(middleOf(picture, 0.5, 0.5)).toBeGreaterThan(0.9);
        expect(picture.redShare(0, 0, 0.1, 0.1)).toBe(0);
      } finally {
        await value('D.objects.remove(D.objects["UiRed"])\nTrue');
      }
    });

    it("the UI host says its runs are undo steps; a run's checkpoint is one", async () => {
      expect(fixture.bridge.pool.get(hostId)!.hello.capabilities).toContain("undo");
      const added = await run(
        'bpy.ops.mesh.primitive_cube_add(location=(3, 0, 0))\nC.active_object.name = "UiAdded"',
      );
      expect(added).toMatchObject({ outcome: "ok", checkpoint: { kind: "undo" } });
      expect(await value(OBJECTS)).toContain("UiAdded");

      const undone = await undo();
      expect(undone.code, undone.stderr).toBe(0);
      expect(undone.body).toMatchObject({ restored: { kind: "undo", checkpoint: added.checkpoint!.id } });
      expect(undone.body.message).toContain("with Blender's own undo");
      // In one run (a run of its own would push an undo step, and a step cuts off the redo ones):
      // the object is gone, and Blender's undo history still holds the run's step after the active
      // one, to redo: it went back through the history, not by reloading a file.
      const seen = await value(
        [
          `exec(open(${JSON.stringify(BLENDER_CHECKPOINT_PATH)}).read())`,
          `now = ${OBJECTS}`,
          "steps = _scriptwright_undo_steps()",
          "active = next(step for step in steps if step[3])",
          "later = [step[2] for step in steps if step[0] > active[0]]",
          "bpy.ops.ed.undo_history(item=active[0] + 1)",
          `(now, later, ${OBJECTS})`,
        ].join("\n"),
      );
      const [now, later, redone] = seen as [string[], string[], string[]];
      expect(now).toEqual(["Camera", "Cube", "Light"]);
      // The run's step, then the step of the read that checked its object.
      expect(later).toEqual(["Scriptwright run", "Scriptwright run"]);
      expect(redone).toEqual(["Camera", "Cube", "Light", "UiAdded"]);
    });

    it("a change made in Blender since the run is not undone with it unless forced", async () => {
      await run('bpy.ops.mesh.primitive_cube_add(location=(0, 0, 0))\nC.active_object.name = "Moved"');
      // Stands in for the person: an edit made in Blender after the run, as its own undo step.
      await run(
        [
          "def person_moves():",
          '    bpy.data.objects["Moved"].location.x = 5.0',
          '    bpy.ops.ed.undo_push(message="Move")',
          "bpy.app.timers.register(person_moves, first_interval=0.1)",
        ].join("\n"),
      );
      const moved = () => value('D.objects["Moved"].location.x');
      for (let tries = 0; (await moved()) !== 5; tries++) {
        if (tries > 200) throw new Error(`the stand-in edit never happened\n${ui.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      const refused = await undo();
      expect(refused.code).toBe(1);
      expect(refused.body.error.code).toBe("undo-refused");
      expect(refused.body.error.message).toContain("'Move'");
      expect(refused.body.error.message).toContain("--force");
      expect(await moved()).toBe(5);

      const forced = await undo("--force");
      expect(forced.code, forced.stderr).toBe(0);
      expect(forced.body.notes).toEqual(["also undid: Move"]);
      expect(await moved()).toBe(0);
      const before = await undo();
      expect(before.code, before.stderr).toBe(0);
      expect(await value(OBJECTS)).not.toContain("Moved");
    });
  },
);
