// The CEP panel's manifest and files, checked as text (After Effects cannot run here).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../adapters/shared/package-path.js";
import { findDebugFiles, listFiles } from "../bridge/panels/files.js";
import { parseManifest, parseVersionRange, readManifest } from "../bridge/panels/manifest.js";
import { BUNDLE_ID, panelSourceDir, REQUIRED_CSXS } from "../bridge/panels/targets.js";

const dir = panelSourceDir();
const manifest = readManifest(dir);

describe("CEP manifest", () => {
  it("declares the bundle and one panel extension", () => {
    expect(manifest.bundleId).toBe(BUNDLE_ID);
    expect(manifest.extensionIds).toEqual([`${BUNDLE_ID}.main`]);
    expect(manifest.bundleVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.uiType).toBe("Panel");
    expect(manifest.menu).toBe("Scriptwright");
  });

  it("targets After Effects 24+ and Premiere 22+ with ranges, never bare versions", () => {
    expect(manifest.hosts.map((h) => h.name).sort()).toEqual(["AEFT", "PPRO"]);
    for (const host of manifest.hosts) {
      expect(parseVersionRange(host.version), `${host.name} ${host.version}`).toBeDefined();
    }
    const range = (name: string) => parseVersionRange(manifest.hosts.find((h) => h.name === name)!.version);
    expect(range("AEFT")).toEqual({ min: 24, max: 99.9 });
    // CSXS 12 (CEP 12) ships with the 2024 apps: a lower minimum would name versions that cannot load it.
    expect(range("PPRO")).toEqual({ min: 24, max: 99.9 });
  });

  it("requires CSXS 12, opens index.html and enables Node in a mixed context", () => {
    expect(manifest.runtimes).toEqual([{ name: "CSXS", version: `${REQUIRED_CSXS}.0` }]);
    expect(manifest.mainPath).toBe("./index.html");
    expect(manifest.cefParameters).toEqual(expect.arrayContaining(["--enable-nodejs", "--mixed-context"]));
    // Flags that would weaken the panel are not there.
    expect(manifest.cefParameters.join(" ")).not.toMatch(/remote-debugging|disable-web-security/);
  });

  it("has a sensible size (min width 320)", () => {
    expect(manifest.minSize?.width).toBeGreaterThanOrEqual(320);
    expect(manifest.size!.width).toBeGreaterThanOrEqual(manifest.minSize!.width);
    expect(manifest.size!.height).toBeGreaterThanOrEqual(manifest.minSize!.height);
  });

  it("the parser refuses what is not a manifest and ignores comments", () => {
    expect(() => parseManifest("<html></html>")).toThrow(/not a CEP manifest/);
    const info = parseManifest(
      '<ExtensionManifest ExtensionBundleId="a"><!-- <Host Name="X" Version="1"/> --><HostList><Host Name="AEFT" Version="24.0"/></HostList></ExtensionManifest>',
    );
    expect(info.hosts).toEqual([{ name: "AEFT", version: "24.0" }]);
    expect(parseVersionRange("24.0")).toBeUndefined(); // bare = exact match: refused
  });
});

describe("CEP panel files", () => {
  it("ships no .debug file anywhere under panels/", () => {
    expect(findDebugFiles(packagePath("panels"))).toEqual([]);
  });

  it("has the page, its scripts and the manifest", () => {
    expect(listFiles(dir)).toEqual(
      expect.arrayContaining(["CSXS/manifest.xml", "index.html", "index.js", "bootstrap.js", "style.css"]),
    );
  });

  it("index.html loads every local file it references", () => {
    const html = readFileSync(join(dir, "index.html"), "utf8");
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(["bootstrap.js", "index.js", "style.css"]));
    for (const ref of refs) expect(existsSync(join(dir, ref)), ref).toBe(true);
    // bootstrap.js must run before index.js, which uses it.
    expect(html.indexOf("bootstrap.js")).toBeLessThan(html.indexOf("index.js"));
  });
});
