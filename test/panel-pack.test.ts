// `scriptwright panel pack`: a ZXP-ready folder (nothing is signed here).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type PanelEnv, panelPack } from "../bridge/cli/panel.js";
import { listFiles } from "../bridge/panels/files.js";
import { panelSourceDir } from "../bridge/panels/targets.js";
import { VERSION } from "../bridge/version.js";

const work = mkdtempSync(join(tmpdir(), "sw-pack-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function env(source = panelSourceDir()) {
  const out: string[] = [];
  const e: PanelEnv = {
    current: "linux",
    folders: () => ({ home: work }),
    runner: async () => ({ code: 0, stdout: "", stderr: "" }),
    source,
    out: (t) => out.push(t),
    err: () => {},
  };
  return { e, out };
}

describe("panel pack", () => {
  it("copies the panel (manifest included, no .debug) and prints the ZXPSignCmd steps", () => {
    const src = join(work, "src");
    // A source with a stray .debug file: the packed folder must not have it.
    cpSync(panelSourceDir(), src, { recursive: true });
    writeFileSync(join(src, ".debug"), "<ExtensionList/>");
    const out = join(work, "out", "panel");
    const { e, out: lines } = env(src);
    expect(panelPack({ out }, e)).toBe(0);
    expect(listFiles(out)).toEqual(listFiles(panelSourceDir()));
    expect(existsSync(join(out, ".debug"))).toBe(false);
    expect(readFileSync(join(out, "CSXS", "manifest.xml"), "utf8")).toContain(
      'ExtensionBundleId="dev.scriptwright.panel"',
    );
    const text = lines.join("\n");
    expect(text).toContain(
      `ZXPSignCmd -sign "${out}" scriptwright-${VERSION}.zxp scriptwright.p12 <password>`,
    );
    expect(text).toMatch(/ZXPSignCmd -selfSignedCert/);
    expect(text).toMatch(/ZXPSignCmd -verify/);
  });

  it("packing again over its own output is fine; a foreign non-empty folder is refused", () => {
    const out = join(work, "again");
    expect(panelPack({ out, json: true }, env().e)).toBe(0);
    const { e, out: lines } = env();
    expect(panelPack({ out, json: true }, e)).toBe(0);
    expect(JSON.parse(lines.join("\n")).files).toContain("CSXS/manifest.xml");
    const foreign = join(work, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "notes.txt"), "mine");
    expect(() => panelPack({ out: foreign }, env().e)).toThrow(/not empty and is not a packed panel/);
    expect(readFileSync(join(foreign, "notes.txt"), "utf8")).toBe("mine");
  });
});
