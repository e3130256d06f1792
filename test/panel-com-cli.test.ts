// `scriptwright panel install|doctor excel|solidworks` through the compiled CLI, as a user runs
// it (here, on Linux: plans and skipped checks only; nothing is installed).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { adapters } from "../adapters/registry.js";
import { runCli } from "./helpers/cli.js";

const work = mkdtempSync(join(tmpdir(), "sw-panel-com-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { HOME: work, SCRIPTWRIGHT_HOME: join(work, "data") };

describe("scriptwright panel … excel|solidworks (compiled CLI)", () => {
  it("install excel --os win --trust-vba-access --json prints the Windows plan, with consent recorded", async () => {
    const r = await runCli(["panel", "install", "excel", "--os", "win", "--trust-vba-access", "--json"], {
      env,
    });
    expect(r.code).toBe(0);
    const { dryRun, plan } = JSON.parse(r.stdout);
    expect(dryRun).toBe(true);
    expect(plan.target).toBe("%LOCALAPPDATA%\\Scriptwright\\com-runner");
    expect(plan.steps.find((s: { kind: string }) => s.kind === "vba-trust")).toMatchObject({ consent: true });
    expect(r.stderr).toMatch(/printing the Windows plan only/);
    expect(readdirSync(work)).toEqual([]);
  });

  it("install solidworks --dry-run prints the plan as text", async () => {
    const r = await runCli(["panel", "install", "solidworks", "--dry-run"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Install the Scriptwright COM runner for SolidWorks on Windows:");
    expect(r.stdout).toContain("if missing: py -3 -m pip install pywin32");
    expect(r.stdout).toContain(
      'py -3 "%LOCALAPPDATA%\\Scriptwright\\com-runner\\windows-com\\scriptwright_com.py" solidworks',
    );
  });

  it("doctor excel on Linux: Windows checks skipped, no bridge, exit 1", async () => {
    const r = await runCli(["panel", "doctor", "excel", "--json"], { env });
    expect(r.code).toBe(1);
    const { checks } = JSON.parse(r.stdout);
    expect(checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual([
      "python:skip",
      "pywin32:skip",
      "runner-files:skip",
      "vba-trust:skip",
      "app-running:skip",
      "bridge:fail",
      "host-connected:skip",
    ]);
  });

  it("the help names the apps with a panel (from the registry) and the consent flag", async () => {
    const r = await runCli(["panel", "install", "--help"], { env });
    const apps = [...adapters.values()].filter((adapter) => adapter.panel).map((adapter) => adapter.app);
    expect(r.stdout).toContain(`${apps.slice(0, -1).join(", ")} or ${apps.at(-1)}`);
    expect(r.stdout).toContain("--trust-vba-access");
  });
});
