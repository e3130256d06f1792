// The Blender add-on zip built from one source: one folder holding the package, its bl_info
// (Blender 3.x), its extension manifest (Blender 4.2+) and the shared host runtime, once. The
// repository holds the transport in one place only.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BLENDER_ADDON_MODULE,
  type BlenderAddonPack,
  blenderAddonEntries,
  blenderAddonSource,
  packBlenderAddon,
} from "../adapters/blender/addon-package.js";
import { packagePath } from "../adapters/shared/package-path.js";
import { runProcess } from "./helpers/run-process.js";

// Reads the zip with Python's own zipfile (as Blender does), bl_info as Blender 3.x's
// addon_utils does (a literal in __init__.py) and the manifest with tomllib (as Blender 4.2+).
const INSPECT_ZIP = `
import ast, json, sys, tomllib, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    corrupt = archive.testzip()
    names = archive.namelist()
    folder = names[0].split("/")[0]
    init = archive.read(folder + "/__init__.py").decode("utf-8")
    manifest = tomllib.loads(archive.read(folder + "/blender_manifest.toml").decode("utf-8"))
    transports = [name for name in names if b"class WebSocket:" in archive.read(name)]
bl_info = None
for node in ast.parse(init).body:
    if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "bl_info" for t in node.targets):
        bl_info = ast.literal_eval(node.value)
print(json.dumps({"corrupt": corrupt, "names": names, "blInfo": bl_info, "manifest": manifest, "transports": transports}))
`;

interface Inspection {
  corrupt: string | null;
  names: string[];
  blInfo: { name: string; version: number[]; blender: number[]; category: string } | null;
  manifest: Record<string, unknown>;
  transports: string[];
}

/** Blender's extension manifest rule for a tagline or permission reason. */
function expectTerse(text: unknown): void {
  expect(typeof text).toBe("string");
  const value = text as string;
  expect(value.length).toBeGreaterThan(0);
  expect(value.length).toBeLessThanOrEqual(64);
  expect(value).toBe(value.trim());
  expect(value).toMatch(/[\p{L}\p{N})\]}]$/u);
}

describe("Blender add-on zip", () => {
  let out: string;
  let pack: BlenderAddonPack;
  let inspected: Inspection;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "sw-blender-pack-"));
    pack = packBlenderAddon(out);
    const result = await runProcess("python3", ["-c", INSPECT_ZIP, pack.zip]);
    if (result.code !== 0) throw new Error(`inspecting the zip failed:\n${result.stderr}`);
    inspected = JSON.parse(result.stdout) as Inspection;
  });

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("is a valid zip named after the manifest's version", () => {
    expect(inspected.corrupt).toBeNull();
    expect(pack.zip).toBe(join(out, `scriptwright-blender-${pack.version}.zip`));
    expect(inspected.names.sort()).toEqual(pack.files);
  });

  it("holds one folder, the package, with the shared runtime beside the add-on's modules", () => {
    expect(pack.files).toEqual([
      "scriptwright/__init__.py",
      "scriptwright/blender_host.py",
      "scriptwright/blender_manifest.toml",
      "scriptwright/scriptwright_host.py",
      "scriptwright/ui.py",
    ]);
  });

  it("carries the transport once, the shared runtime itself", () => {
    expect(inspected.transports).toEqual(["scriptwright/scriptwright_host.py"]);
    const entry = blenderAddonEntries().find((e) => e.name === "scriptwright/scriptwright_host.py");
    expect(
      entry?.data.equals(readFileSync(packagePath("panels", "python-common", "scriptwright_host.py"))),
    ).toBe(true);
  });

  it("has the bl_info Blender 3.x installs an add-on from", () => {
    expect(inspected.blInfo).toMatchObject({ name: "Scriptwright", category: "Development" });
    expect(inspected.blInfo?.blender).toEqual([3, 4, 0]);
    expect(inspected.blInfo?.version.join(".")).toBe(pack.version);
  });

  it("has the extension manifest Blender 4.2+ installs from, in the same folder, by its rules", () => {
    const { manifest } = inspected;
    expect(manifest).toMatchObject({
      schema_version: "1.0.0",
      id: BLENDER_ADDON_MODULE,
      version: pack.version,
      name: "Scriptwright",
      type: "add-on",
      blender_version_min: "4.2.0",
      license: ["SPDX:MIT"],
    });
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.maintainer).toMatch(/\S/);
    expectTerse(manifest.tagline);
    // It talks to the bridge on this machine: network is declared, with a reason.
    const permissions = manifest.permissions as Record<string, unknown>;
    expect(Object.keys(permissions).sort()).toEqual(["files", "network"]);
    for (const reason of Object.values(permissions)) expectTerse(reason);
    // Blender finds a manifest in a single top folder; that folder is the add-on's module.
    expect(inspected.names.filter((name) => name.endsWith("blender_manifest.toml"))).toEqual([
      `${BLENDER_ADDON_MODULE}/blender_manifest.toml`,
    ]);
  });

  it("refuses to build from a source that carries its own copy of the runtime", () => {
    const source = mkdtempSync(join(tmpdir(), "sw-blender-source-"));
    try {
      writeFileSync(join(source, "__init__.py"), "bl_info = {}\n");
      writeFileSync(join(source, "scriptwright_host.py"), "# a stale copy\n");
      expect(() => blenderAddonEntries(source)).toThrow(/holds a copy of scriptwright_host\.py/);
    } finally {
      rmSync(source, { recursive: true, force: true });
    }
  });
});

describe("one source for the Python host transport", () => {
  /** Every .py file under panels/, relative to it. */
  function pythonFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = join(dir, name);
      if (name === "__pycache__") return [];
      if (statSync(full).isDirectory()) return pythonFiles(full);
      return name.endsWith(".py") ? [full] : [];
    });
  }

  it("defines the WebSocket client and the token hand-over in python-common only", () => {
    const panels = packagePath("panels");
    const defining = (marker: string) =>
      pythonFiles(panels)
        .filter((file) => readFileSync(file, "utf8").includes(marker))
        .map((file) => relative(panels, file));
    for (const marker of ["class WebSocket:", "def forget_environment_variable(", "class BusyWatcher:"]) {
      expect({ marker, files: defining(marker) }).toEqual({
        marker,
        files: ["python-common/scriptwright_host.py"],
      });
    }
  });

  it("keeps no copy of the runtime in the add-on's source folder", () => {
    expect(readdirSync(blenderAddonSource)).not.toContain("scriptwright_host.py");
  });
});
