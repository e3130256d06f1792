// `scriptwright panel …` through the compiled CLI, as a user runs it (here, on Linux).
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";

const work = mkdtempSync(join(tmpdir(), "sw-panel-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { HOME: work, SCRIPTWRIGHT_HOME: join(work, "data") };

describe("scriptwright panel (compiled CLI)", () => {
  it("install --dry-run --os mac --json prints the macOS plan", async () => {
    const r = await runCli(["panel", "install", "aftereffects", "--dry-run", "--os", "mac", "--json"], {
      env,
    });
    expect(r.code).toBe(0);
    const { plan } = JSON.parse(r.stdout);
    expect(plan.target).toBe("~/Library/Application Support/Adobe/CEP/extensions/scriptwright");
    expect(plan.steps.map((s: { display?: string }) => s.display).filter(Boolean)).toEqual([
      "defaults write com.adobe.CSXS.9 PlayerDebugMode 1",
      "defaults write com.adobe.CSXS.10 PlayerDebugMode 1",
      "defaults write com.adobe.CSXS.11 PlayerDebugMode 1",
      "defaults write com.adobe.CSXS.12 PlayerDebugMode 1",
      "killall cfprefsd",
    ]);
  });

  it("install --dry-run --os win prints the Windows plan as text", async () => {
    const r = await runCli(["panel", "install", "premiere", "--kind", "cep", "--dry-run", "--os", "win"], {
      env,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("%APPDATA%\\Adobe\\CEP\\extensions\\scriptwright");
    expect(r.stdout).toContain("reg add HKCU\\Software\\Adobe\\CSXS.12 /v PlayerDebugMode /t REG_SZ /d 1 /f");
    expect(r.stdout).toMatch(/25\.6 and later use the UXP plugin: scriptwright panel install premiere/);
  });

  it("install without --dry-run on Linux: exit 2, says why, installs nothing", async () => {
    const r = await runCli(["panel", "install", "aftereffects"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Adobe apps do not run on Linux/);
    expect(readdirSync(work)).not.toContain("Library");
  });

  it("doctor on Linux: exit 1 with plain-words checks; bad app is a usage error", async () => {
    const r = await runCli(["panel", "doctor", "aftereffects", "--json"], { env });
    expect(r.code).toBe(1);
    const { checks } = JSON.parse(r.stdout);
    expect(checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual([
      "panel-folder:fail",
      "debug-mode:skip",
      "bridge:fail",
      "scripting-pref:info",
    ]);
    expect((await runCli(["panel", "doctor", "photoshop"], { env })).code).toBe(2);
  });

  it("pack --out writes the folder and the signing steps", async () => {
    const out = join(work, "zxp");
    const r = await runCli(["panel", "pack", "--out", out], { env });
    expect(r.code).toBe(0);
    expect(existsSync(join(out, "CSXS", "manifest.xml"))).toBe(true);
    expect(r.stdout).toContain("ZXPSignCmd -sign");
  });
});
