// Each app's own risky API lives in its adapter: flagged when its code is judged through
// classify() with that app's adapter, and not by the bare language kit (the rules moved out
// of the kits). Also the one name matcher and the one flag collector every kit uses.
import { describe, expect, it } from "vitest";
import { classify } from "../adapters/classify.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { RiskFlags } from "../adapters/risk-flags.js";
import { NameRules, patternRegExp, patternTextRegExp } from "../adapters/risk-names.js";
import { adapterLanguages, type RiskKind } from "../adapters/types.js";

/** `line kind` for each flag of `code` judged for `app` in `language`. */
function throughApp(app: string, language: string, code: string): string[] {
  const adapter = adapters.get(app);
  const kit = languageKits.get(language);
  if (!adapter || !kit) throw new Error(`no ${app} adapter or ${language} kit`);
  return classify(kit, adapter, code).risks.map((flag) => `${flag.line} ${flag.kind}`);
}

function throughKit(language: string, code: string): string[] {
  return languageKits
    .get(language)!
    .risk(code)
    .map((flag) => `${flag.line} ${flag.kind}`);
}

interface Case {
  app: string;
  language: string;
  lines: [code: string, kind?: RiskKind][];
}

// Every line here uses only the app's object model: the bare kit must flag none of it.
const CASES: Case[] = [
  {
    app: "solidworks",
    language: "python",
    lines: [
      ["swApp.ExitApp()", "app-quit"],
      ["swApp.CloseDoc(doc.GetTitle())", "app-quit"],
      ["swApp.CloseAllDocuments(True)", "app-quit"],
      ["swApp.QuitDoc(name)", "app-quit"],
      ["doc.Save3(1, errors, warnings)", "file-overwrite"],
      ["doc.Extension.SaveAs(p, 0, 1, None, e, w)", "file-overwrite"],
      ["doc.Extension.DeleteSelection2(0)", "file-delete"],
      ["doc.EditDelete()", "file-delete"],
      ['swApp.RunMacro2(p, "m", "main", 0, e)', "dynamic-code"],
      ['getattr(swApp, "ExitApp")()', "app-quit"],
      ["doc.GetTitle()"],
    ],
  },
  {
    app: "blender",
    language: "python",
    lines: [
      ["import bpy"],
      ["bpy.ops.wm.quit_blender()", "app-quit"],
      ["ops = bpy.ops"],
      ["ops.wm.read_homefile()", "app-quit"],
      ["bpy.ops.wm.read_factory_settings()", "app-quit"],
      ["bpy.ops.wm.save_mainfile()", "file-overwrite"],
      ["bpy.ops.wm.save_as_mainfile(filepath=p)", "file-overwrite"],
      ["bpy.ops.export_scene.obj(filepath=p)", "file-overwrite"],
      ["bpy.ops.wm.path_open(filepath=p)", "process"],
      ["bpy.ops.wm.url_open(url=u)", "network"],
      ["bpy.utils.execfile(p)", "dynamic-code"],
      ["bpy.ops.script.python_file_run(filepath=p)", "dynamic-code"],
      ["bpy.ops.text.run_script()", "dynamic-code"],
      ['bpy.data.texts["t"].as_module()', "dynamic-code"],
      ["bpy.app.handlers.load_post.append(f)", "dynamic-code"],
      ["bpy.ops.preferences.addon_install(filepath=p)", "dynamic-code"],
      ["bpy.ops.preferences.addon_enable(module=m)", "dynamic-code"],
      ['getattr(bpy.ops.wm, "quit_blender")()', "app-quit"],
      ["from bpy.ops import wm as w"],
      ["w.quit_blender()", "app-quit"],
      ["bpy.ops.mesh.primitive_cube_add(size=2)"],
    ],
  },
  {
    app: "excel",
    language: "vba",
    lines: [
      ["Application.Quit", "app-quit"],
      ['Workbooks("a.xlsx").Close False', "app-quit"],
      ['ActiveWorkbook.SaveAs "C:\\out.xlsx"', "file-overwrite"],
      ['ThisWorkbook.SaveCopyAs "C:\\copy.xlsx"', "file-overwrite"],
      ["ThisWorkbook.Save", "file-overwrite"],
      ['Application.Run "Other"', "dynamic-code"],
      ['x = Evaluate("=1+1")', "dynamic-code"],
      ["Set c = ThisWorkbook.VBProject.VBComponents", "dynamic-code"],
      ["With Application"],
      ["  .quit", "app-quit"],
      ["End With"],
      ['Range("A1").Value = 1'],
    ],
  },
  {
    app: "libreoffice",
    language: "vba",
    lines: [
      ["StarDesktop.terminate", "app-quit"],
      ["ThisComponent.store()", "file-overwrite"],
      ["ThisComponent.storeToURL(url, args)", "file-overwrite"],
      ['Set sh = createUnoService("com.sun.star.system.SystemShellExecute")', "process"],
      ['Set sfa = createUnoService("com.sun.star.ucb.SimpleFileAccess")', "file-delete"],
      ["sfa.kill(url)", "file-delete"],
      ['Set d = createUnoService("com.sun.star.frame.DispatchHelper")'],
      ['d.executeDispatch(frame, ".uno:Quit", "", 0, args)', "dynamic-code"],
      ["Set s = ThisComponent.getScriptProvider().getScript(u)", "dynamic-code"],
      ['ThisWorkbook.SaveAs "x.xlsx"', "file-overwrite"],
      ["ThisComponent.Sheets(0).getCellByPosition(0, 0).Value = 1"],
    ],
  },
  {
    app: "libreoffice",
    language: "python",
    lines: [
      ["smgr = ctx.ServiceManager"],
      ['sh = smgr.createInstanceWithContext("com.sun.star.system.SystemShellExecute", ctx)', "process"],
      ["desktop.terminate()", "app-quit"],
      ["doc.store()", "file-overwrite"],
      ["doc.storeToURL(url, ())", "file-overwrite"],
      ['helper = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)'],
      ['helper.executeDispatch(frame, ".uno:Quit", "", 0, ())', "dynamic-code"],
      ["doc.close(True)", "app-quit"],
      ["doc.Sheets.getByIndex(0).getCellByPosition(0, 0).Value = 1"],
    ],
  },
  {
    app: "aftereffects",
    language: "extendscript",
    lines: [
      ["app.quit();", "app-quit"],
      ["app.project.close(CloseOptions.DO_NOT_SAVE_CHANGES);", "app-quit"],
      ['app.project.save(new File("~/x.aep"));', "file-overwrite"],
      ["app.project.item(1).remove();", "file-delete"],
      ["app.project.activeItem.remove();", "file-delete"],
      ["app.executeCommand(2004);", "dynamic-code"],
      ['app.scheduleTask("app.quit()", 1000, false);', "dynamic-code"],
      ["var p = app.project;"],
      ["p.save();", "file-overwrite"],
      ["app.project.activeItem.layer(1).remove();"],
    ],
  },
  {
    app: "premiere",
    language: "uxp-js",
    lines: [
      ['const ppro = require("premierepro");'],
      ["const project = await ppro.Project.getActiveProject();"],
      ["await project.save();", "file-overwrite"],
      ['await project.saveAs("/tmp/x.prproj");', "file-overwrite"],
      ["await project.close();", "app-quit"],
      ["const sequence = await project.getActiveSequence();"],
    ],
  },
  {
    app: "premiere",
    language: "extendscript",
    lines: [
      ['app.project.saveAs("/tmp/x.prproj");', "file-overwrite"],
      ["app.project.closeDocument(false, false);", "app-quit"],
      ["app.quit();", "app-quit"],
      ["app.project.deleteSequence(seq);", "file-delete"],
      ["app.encoder.encodeSequence(seq, out, preset, 1, 1);", "file-overwrite"],
      ["app.project.activeSequence.name;"],
    ],
  },
];

describe("each app's own risky API is in its adapter", () => {
  it.each(CASES.map((c) => [`${c.app} (${c.language})`, c] as const))(
    "%s",
    (_name, { app, language, lines }) => {
      const code = lines.map(([text]) => text).join("\n");
      const expected = lines.flatMap(([, kind], index) => (kind ? [`${index + 1} ${kind}`] : []));
      expect(throughApp(app, language, code)).toEqual(expected);
      // The same code through the bare kit: these rules are the app's, not the language's.
      expect(throughKit(language, code)).toEqual([]);
    },
  );

  it("keeps the language's own risks in the kit, flagged for every app that speaks it", () => {
    const vba = 'Kill "C:\\a.txt"\nShell "calc"\nSet f = CreateObject("Scripting.FileSystemObject")';
    for (const app of ["excel", "libreoffice"]) {
      expect(throughApp(app, "vba", vba)).toEqual(["1 file-delete", "2 process", "3 file-delete"]);
    }
    expect(throughKit("vba", vba)).toEqual(["1 file-delete", "2 process", "3 file-delete"]);
    const uxp = 'require("uxp").shell.openExternal("https://example.com");';
    expect(throughApp("premiere", "uxp-js", uxp)).toEqual(["1 process"]);
    expect(throughKit("uxp-js", uxp)).toEqual(["1 process"]);
    const python = 'import os\ngetattr(os, "system")("id")';
    for (const app of ["blender", "solidworks", "libreoffice"])
      expect(throughApp(app, "python", python)).toEqual(["2 process"]);
  });

  it("says what the app's rule found", () => {
    const kit = languageKits.get("python")!;
    expect(classify(kit, adapters.get("solidworks"), "swApp.ExitApp()").risks).toEqual([
      { kind: "app-quit", reason: "quits SolidWorks: ExitApp", line: 1 },
    ]);
  });

  it("finds an app's rules by text in ExtendScript that does not parse", () => {
    expect(throughApp("aftereffects", "extendscript", "var a = 'unterminated\napp.quit();")).toEqual([
      "2 app-quit",
    ]);
  });

  it("gives every language of every app a list of risk rules that compiles", () => {
    for (const adapter of adapters.values()) {
      for (const language of adapterLanguages(adapter)) {
        const rules = adapter.rules?.[language]?.risk;
        expect(rules?.length, `${adapter.app} ${language}`).toBeGreaterThan(0);
        expect(() => new NameRules(rules!, language === "vba")).not.toThrow();
        for (const rule of rules!) expect(rule.reason.length, rule.pattern).toBeGreaterThan(5);
      }
    }
    expect(adapters.get("premiere")!.rules?.extendscript?.risk?.length).toBeGreaterThan(0);
  });
});

describe("risk name patterns", () => {
  const matches = (pattern: string, name: string, ignoreCase = false) =>
    patternRegExp(pattern, ignoreCase).test(name);

  it("match a dotted name and anything under it", () => {
    expect(matches("subprocess", "subprocess")).toBe(true);
    expect(matches("subprocess", "subprocess.run")).toBe(true);
    expect(matches("subprocess", "subprocessing")).toBe(false);
    expect(matches("os.system", "x.os.system")).toBe(false);
  });

  it("let * stand for identifier characters, within one name", () => {
    expect(matches("os.exec*", "os.execvp")).toBe(true);
    expect(matches("os.exec*", "os.exec")).toBe(true);
    expect(matches("os.exec*", "os.exe")).toBe(false);
    expect(matches("bpy.ops.wm.*export*", "bpy.ops.wm.alembic_export")).toBe(true);
    expect(matches("bpy.ops.export_*", "bpy.ops.export.x")).toBe(false);
  });

  it("match a leading *. member on any object, named or not, but never a bare name", () => {
    expect(matches("*.CloseDoc", "swApp.CloseDoc")).toBe(true);
    expect(matches("*.CloseDoc", "a.b.CloseDoc.x")).toBe(true);
    expect(matches("*.CloseDoc", ".CloseDoc")).toBe(true);
    expect(matches("*.CloseDoc", "CloseDoc")).toBe(false);
    expect(matches("*.CloseDoc", "swApp.CloseDocs")).toBe(false);
    expect(matches("*.project.*.remove", "app.project.item.remove")).toBe(true);
  });

  it("compare without case only when asked (VBA)", () => {
    expect(matches("*.Quit", "Application.QUIT")).toBe(false);
    expect(matches("*.Quit", "Application.QUIT", true)).toBe(true);
  });

  it("refuse malformed patterns with a message that says how to write one", () => {
    for (const pattern of ["", "*", "*.*", "a..b", "a b", "os.", "os.system()"]) {
      expect(() => patternRegExp(pattern), pattern).toThrow(/invalid risk rule pattern .*dotted name/);
    }
  });

  it("find the same names in plain text, for code that does not parse", () => {
    expect(patternTextRegExp("app.quit").test("x; app . quit();")).toBe(true);
    expect(patternTextRegExp("app.quit").test("myapp.quit()")).toBe(false);
    expect(patternTextRegExp("*.ExitApp").test("sw.ExitApp()")).toBe(true);
  });

  it("know which names a rule looks inside, for modules handed on as values", () => {
    const rules = new NameRules([
      { pattern: "os.system", kind: "process" },
      { pattern: "os.exec*", kind: "process" },
      { pattern: "*.ExitApp", kind: "app-quit" },
    ]);
    expect(rules.hasUnder("os")).toBe(true);
    expect(rules.hasUnder("os.system")).toBe(false);
    expect(rules.hasUnder("swApp")).toBe(false);
  });
});

describe("risk flags", () => {
  it("keep one flag per kind and line, the first reason, in line order", () => {
    const flags = new RiskFlags();
    flags.add("process", "runs processes: b", 2);
    flags.add("file-delete", "deletes files: a", 1);
    flags.add("process", "runs processes: c", 2);
    flags.add("file-delete", "deletes files: d", 2);
    expect(flags.list()).toEqual([
      { kind: "file-delete", reason: "deletes files: a", line: 1 },
      { kind: "process", reason: "runs processes: b", line: 2 },
      { kind: "file-delete", reason: "deletes files: d", line: 2 },
    ]);
  });
});
