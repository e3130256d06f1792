// The panel commands serve apps by their adapters' panel specs, never by their names: stand-in
// apps declared only as adapters (a CEP app, a COM app without VBA trust) get plans, checks and
// messages from their specs; the installers' sources name no registered app; the registry's
// apps with a panel are the ones help, errors and GET /api/apps list. Simulators only (a temp
// home, the Windows command simulator): no Adobe app, Windows or Blender is involved.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { appInfos } from "../adapters/app-info.js";
import { type PanelKind, panelSpecs } from "../adapters/panel-spec.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { packagePath } from "../adapters/shared/package-path.js";
import type { Adapter } from "../adapters/types.js";
import { installers, type PanelEnv, panelDoctor, panelInstall, panelPack } from "../bridge/cli/panel.js";
import { KIND_HELP } from "../bridge/cli/panel-help.js";
import type { DoctorCheck } from "../bridge/panels/doctor.js";
import { listFiles } from "../bridge/panels/files.js";
import type { CommandRunner } from "../bridge/panels/runner.js";
import { type HostOs, panelSourceDir, type TargetOs } from "../bridge/panels/targets.js";
import { runCli } from "./helpers/cli.js";
import { windowsCommandSimulator } from "./helpers/windows-command-simulator.js";

const illustrator: Adapter = {
  app: "illustrator",
  displayName: "Illustrator",
  language: "extendscript",
  panel: {
    kind: "cep",
    hostCode: "ILST",
    notes: ["A note only Illustrator's spec has."],
    doctorNotes: [{ id: "illustrator-note", title: "Illustrator's note", detail: "from its spec" }],
  },
};
const autocad: Adapter = {
  app: "autocad",
  displayName: "AutoCAD",
  language: "vba",
  panel: {
    kind: "com-runner",
    progId: "AutoCAD.Application",
    notes: ["AutoCAD must be running."],
    startHint: "start AutoCAD and open a drawing",
  },
};
const standIns: ReadonlyMap<string, Adapter> = new Map([
  ...adapters,
  [illustrator.app, illustrator],
  [autocad.app, autocad],
]);
const withPanel = (map: ReadonlyMap<string, Adapter>) =>
  [...map.values()].filter((adapter) => adapter.panel).map((adapter) => adapter.app);

const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function simulator(current: HostOs, runner: CommandRunner) {
  const home = mkdtempSync(join(tmpdir(), "sw-panel-kinds-"));
  homes.push(home);
  const out: string[] = [];
  const env: PanelEnv = {
    current,
    folders: (os: TargetOs) =>
      os === "win"
        ? {
            home,
            appData: join(home, "AppData", "Roaming"),
            localAppData: join(home, "AppData", "Local"),
            native: true,
          }
        : { home, native: true },
    runner,
    source: panelSourceDir(),
    adapters: standIns,
    out: (text) => out.push(text),
    err: () => {},
  };
  return { home, env, json: () => JSON.parse(out.join("\n")), text: () => out.join("\n") };
}

/** Answers `defaults write|read` as a Mac where every CSXS version allows unsigned panels. */
const macDefaults: CommandRunner = async () => ({ code: 0, stdout: "1\n", stderr: "" });

describe("a CEP app known only by its adapter (stand-in: Illustrator, ILST)", () => {
  it("installs the CEP panel with its own name and notes", async () => {
    const sim = simulator("mac", macDefaults);
    expect(await panelInstall("illustrator", { json: true }, sim.env)).toBe(0);
    const { plan, results } = sim.json();
    expect(plan.app).toBe("illustrator");
    expect(plan.notes[0]).toBe("A note only Illustrator's spec has.");
    expect(plan.steps.at(-1).title).toBe(
      "restart Illustrator; the panel is under Window › Extensions › Scriptwright",
    );
    expect(results.every((r: { status: string }) => r.status !== "fail")).toBe(true);
    const installed = join(
      sim.home,
      "Library",
      "Application Support",
      "Adobe",
      "CEP",
      "extensions",
      "scriptwright",
    );
    expect(listFiles(installed)).toEqual(listFiles(panelSourceDir()));
  });

  it("the doctor looks for its host code in the manifest and shows its notes", async () => {
    const sim = simulator("mac", macDefaults);
    await panelInstall("illustrator", {}, { ...sim.env, out: () => {} });
    const code = await panelDoctor("illustrator", { json: true, dataDir: join(sim.home, "data") }, sim.env);
    expect(code).toBe(1);
    const byId = Object.fromEntries((sim.json().checks as DoctorCheck[]).map((c) => [c.id, c]));
    // The shipped manifest lists AEFT and PPRO only.
    expect(byId["panel-folder"]).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/cannot be used: it does not list ILST \(Illustrator\)\.$/),
    });
    expect(byId["illustrator-note"]).toEqual({
      id: "illustrator-note",
      title: "Illustrator's note",
      status: "info",
      detail: "from its spec",
    });
  });

  it("panel pack with a CEP app packs the same panel as panel pack alone", () => {
    const sim = simulator("linux", macDefaults);
    const out = join(sim.home, "packed");
    expect(panelPack({ out, json: true }, sim.env, "illustrator")).toBe(0);
    expect(sim.json().files).toEqual(listFiles(panelSourceDir()));
  });
});

describe("a COM runner app known only by its adapter (stand-in: AutoCAD, no VBA trust)", () => {
  it("plans the runner without a VBA trust step, with its notes; --trust-vba-access names the apps that take it", async () => {
    const sim = simulator("linux", windowsCommandSimulator({}).runner);
    expect(await panelInstall("autocad", { dryRun: true, json: true }, sim.env)).toBe(0);
    const { plan } = sim.json();
    expect(plan.steps.map((s: { kind: string }) => s.kind)).toEqual(["copy", "python", "pywin32", "start"]);
    expect(plan.steps.at(-1).title).toMatch(/scriptwright_com\.py" autocad$/);
    expect(plan.notes).toEqual(["AutoCAD must be running."]);
    const trusting = [...standIns.values()].filter((a) =>
      panelSpecs(a.panel).some((spec) => spec.kind === "com-runner" && spec.vbaTrust),
    );
    expect(trusting.map((a) => a.app)).toEqual(["excel"]);
    await expect(
      panelInstall("autocad", { dryRun: true, trustVbaAccess: true }, sim.env),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: "--trust-vba-access is for excel only",
    });
  });

  it("the doctor asks COM for its ProgID and says how to start it", async () => {
    const { runner, calls } = windowsCommandSimulator({
      pythons: { py: "3.12" },
      pywin32: true,
      reachable: [],
    });
    const sim = simulator("win", runner);
    expect(await panelDoctor("autocad", { json: true, dataDir: join(sim.home, "data") }, sim.env)).toBe(1);
    const checks = sim.json().checks as DoctorCheck[];
    expect(checks.map((c) => c.id)).not.toContain("vba-trust");
    expect(checks.find((c) => c.id === "app-running")).toMatchObject({
      title: "AutoCAD reachable through COM",
      status: "fail",
      fix: "start AutoCAD and open a drawing, or start the runner with --start to launch it",
    });
    expect(calls).toContainEqual([
      "py",
      "-3",
      "-c",
      'import win32com.client; win32com.client.GetActiveObject("AutoCAD.Application")',
    ]);
  });
});

describe("apps without a panel", () => {
  it("an app with none and an unknown app are usage errors listing the apps with one", async () => {
    const sim = simulator("linux", macDefaults);
    const apps = withPanel(standIns);
    expect(apps).toEqual(expect.arrayContaining(["illustrator", "autocad", "blender"]));
    expect(adapters.get("libreoffice")?.panel).toBeUndefined();
    await expect(panelDoctor("libreoffice", { dataDir: sim.home }, sim.env)).rejects.toMatchObject({
      exitCode: 2,
      message: `libreoffice has no panel to install (apps with one: ${apps.join(", ")})`,
    });
    await expect(panelInstall("photoshop", {}, sim.env)).rejects.toMatchObject({
      exitCode: 2,
      message: `unknown app "photoshop": use ${apps.slice(0, -1).join(", ")} or ${apps.at(-1)}`,
    });
  });

  it("an app whose kind has nothing to pack says so", () => {
    const sim = simulator("linux", macDefaults);
    expect(() => panelPack({ out: sim.home }, sim.env, "autocad")).toThrow(/autocad has nothing to pack/);
  });
});

describe("the registry's panels", () => {
  it("GET /api/apps capabilities: panel for exactly the adapters with a panel spec", () => {
    for (const info of appInfos(adapters, languageKits)) {
      expect(info.capabilities.includes("panel"), info.app).toBe(adapters.get(info.app)?.panel !== undefined);
    }
    expect(withPanel(adapters)).toEqual(["blender", "aftereffects", "premiere", "excel", "solidworks"]);
  });

  it("help lists the apps with a panel, each kind's apps, and the apps that take --trust-vba-access", async () => {
    const apps = withPanel(adapters);
    const help = async (...command: string[]) =>
      (await runCli(["panel", ...command, "--help"])).stdout.replace(/\s+/g, " ");
    const install = await help("install");
    expect(install).toContain(`Arguments: app ${apps.slice(0, -1).join(", ")} or ${apps.at(-1)} Options:`);
    for (const kind of Object.keys(KIND_HELP) as PanelKind[]) {
      const ofKind = [...adapters.values()]
        .filter((a) => panelSpecs(a.panel).some((spec) => spec.kind === kind))
        .map((a) => a.app);
      expect(install).toContain(`${ofKind.join(", ")}: ${KIND_HELP[kind].install}`);
    }
    expect(install).toContain("--trust-vba-access excel: also turn on trust access");
    const pack = await help("pack");
    expect(pack).toContain("aftereffects, premiere: a folder ready for signing with ZXPSignCmd");
    expect(pack).toContain("blender: the add-on zip");
  });

  it("each kind's help says it packs exactly when its installer packs", () => {
    for (const kind of Object.keys(installers) as PanelKind[]) {
      expect(KIND_HELP[kind].pack !== undefined, kind).toBe(installers[kind].pack !== undefined);
    }
  });
});

/** Every string, template and identifier text of a TypeScript source (comments left out). */
function codeTexts(source: string): string[] {
  const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.Latest);
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isIdentifier(node)) {
      texts.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return texts;
}

/** Each registered app's id and name, and its spec's own words (host code, ProgID, process). */
function appWords(): string[] {
  return [...adapters.values()].flatMap((adapter) => [
    adapter.app,
    adapter.displayName,
    ...panelSpecs(adapter.panel).flatMap((spec) => [
      ...(spec.kind === "cep" ? [spec.hostCode] : []),
      ...(spec.kind === "com-runner"
        ? [spec.progId, ...(spec.vbaTrust ? [spec.vbaTrust.processImage] : [])]
        : []),
    ]),
  ]);
}

function namedApps(source: string): string[] {
  const texts = codeTexts(source).map((text) => text.toLowerCase());
  return appWords().filter((word) => texts.some((text) => text.includes(word.toLowerCase())));
}

describe("the installers name no app", () => {
  it("finds an app named in a string, a template or an identifier, not in a comment", () => {
    expect(namedApps('if (app === "excel") go();')).toEqual(["excel", "Excel"]);
    expect(namedApps(`run(\`\${x} AEFT\`);`)).toEqual(["AEFT"]);
    expect(namedApps("const solidworksKey = 1;")).toEqual(["solidworks", "SolidWorks"]);
    expect(namedApps("// Excel, After Effects\n/* Blender */ const x = 1;")).toEqual([]);
  });

  it("bridge/panels/ and bridge/cli/panel*.ts: no app's id, name, host code or ProgID", () => {
    const panels = readdirSync(packagePath("bridge", "panels")).map((name) =>
      packagePath("bridge", "panels", name),
    );
    const cli = readdirSync(packagePath("bridge", "cli"))
      .filter((name) => name.startsWith("panel"))
      .map((name) => packagePath("bridge", "cli", name));
    expect(cli.length).toBeGreaterThanOrEqual(5);
    for (const file of [...panels, ...cli]) {
      expect(namedApps(readFileSync(file, "utf8")), file).toEqual([]);
    }
  });
});
