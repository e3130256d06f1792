// A macro's History and Tests in the chat panel, end to end: a real Chromium on the page the
// bridge serves, a real headless Blender as the panel's host, and the bridge's own test host
// (another headless Blender) running "Run tests". History lists each version with who saved it
// and why, shows a diff view of the code and the parameters, and reverts; Tests shows the cases
// with their last result and runs them.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium, recordPageProblems } from "./helpers/browser.js";
import { requireBinary } from "./helpers/require-binary.js";

const chromiumBinary = requireBinary("chromium", "apt-get install chromium");
const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

/** Adds `count` cubes and says how many objects there are; version 1 adds one too few. */
const BUGGY = [
  'for i in range(params["count"] - 1):',
  "    bpy.ops.mesh.primitive_cube_add(location=(i * 3, 0, 0))",
  "len(bpy.data.objects)",
].join("\n");
const FIXED = BUGGY.replace('params["count"] - 1', 'params["count"]');
const COUNT = { type: "object", properties: { count: { type: "integer", minimum: 0 } }, required: ["count"] };
// The factory scene holds a cube, a camera and a light.
const TESTS = [
  { name: "no cubes", params: { count: 0 }, expect: { value: 3 } },
  { name: "two cubes", params: { count: 2 }, expect: { value: 5 } },
];

describe.skipIf(chromiumBinary.skip || blender.skip)("a macro's history and tests in the chat panel", () => {
  let fx: BridgeFixture;
  let browser: Browser;
  let page: Page;
  const shots = mkdtempSync(join(tmpdir(), "sw-web-macro-versions-shots-"));
  const problems: string[] = [];
  const item = () => page.locator('.macro-item[data-macro="adder"]');

  async function openMacros(): Promise<void> {
    const toggle = page.getByRole("button", { name: "Macros" });
    if ((await toggle.getAttribute("aria-expanded")) === "true") await toggle.click();
    await toggle.click();
    await item().waitFor();
  }

  beforeAll(async () => {
    console.log(`web macro versions screenshots: ${shots}`);
    fx = await startBridge({
      kits: languageKits,
      adapters,
      headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
    });
    // Version 1 from a file, version 2 (the fix, with a new parameter) through the API.
    await fx.bridge.macros.save({
      name: "adder",
      app: "blender",
      description: "Adds cubes.",
      code: BUGGY,
      params: COUNT,
      tests: TESTS,
      source: { kind: "file", path: "/macros/adder.py" },
      message: "first try",
    });
    const fixed = await fx.api("/api/macros?replace=true", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "adder",
        app: "blender",
        description: "Adds cubes.",
        code: FIXED,
        params: {
          ...COUNT,
          properties: { ...COUNT.properties, size: { type: "number", default: 1 } },
        },
        tests: TESTS,
        message: "add every cube",
      }),
    });
    expect(fixed.status).toBe(201);
    browser = await launchChromium(chromiumBinary.path!);
    await fx.bridge.managed!.waitUntilConnected(60_000);
    const context = await browser.newContext({ viewport: { width: 420, height: 900 }, colorScheme: "dark" });
    page = await context.newPage();
    recordPageProblems(page, problems);
    page.setDefaultTimeout(30_000);
    await page.goto(`${fx.url}/?token=${fx.token}`);
    await page.locator("#host option", { hasText: "Blender" }).waitFor({ state: "attached" });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it("lists each version with who saved it and why, and shows the diff of the code and the parameters", async () => {
    await openMacros();
    const history = item().locator("details.macro-history");
    await history.locator("summary").click();
    const versions = history.locator(".version-list > li.version");
    await versions.nth(1).waitFor();
    expect(await versions.count()).toBe(2);
    // Newest first: version 2 is current.
    expect(await versions.nth(0).getAttribute("data-version")).toBe("2");
    expect(await versions.nth(0).locator(".version-number").textContent()).toBe("v2 (current)");
    expect(await versions.nth(0).locator(".version-message").textContent()).toBe("add every cube");
    expect(await versions.nth(0).locator(".version-who").textContent()).toBe("saved by a person");
    expect(await versions.nth(1).locator(".version-message").textContent()).toBe("first try");
    expect(await versions.nth(1).locator(".version-who").textContent()).toBe("file adder.py");

    await history.getByRole("button", { name: "Diff version 1 to version 2" }).click();
    const diff = history.getByLabel("Code changes from version 1 to version 2");
    await diff.waitFor();
    expect(await diff.locator(".diff-del").allTextContents()).toContain(
      '-for i in range(params["count"] - 1):',
    );
    expect(await diff.locator(".diff-add").allTextContents()).toContain('+for i in range(params["count"]):');
    expect(await history.locator(".param-changes li").allTextContents()).toEqual([
      "+ parameter size (number)",
    ]);
    await page.screenshot({ path: join(shots, "01-history-diff.png"), fullPage: true });
  });

  it("reverts to version 1: its code comes back as version 3, the history says so", async () => {
    const history = item().locator("details.macro-history");
    if ((await history.getAttribute("open")) === null) await history.locator("summary").click();
    await history.getByRole("button", { name: "Revert to v1" }).click();
    await expect.poll(() => fx.bridge.macros.get("adder").code, { timeout: 30_000 }).toBe(BUGGY);
    // The list reloads with the macro as its new version; its history shows version 3 first.
    await openMacros();
    const reopened = item().locator("details.macro-history");
    if ((await reopened.getAttribute("open")) === null) await reopened.locator("summary").click();
    const first = reopened.locator(".version-list > li.version").first();
    await reopened.locator('.version-list > li.version[data-version="3"]').waitFor();
    expect(await first.locator(".version-number").textContent()).toBe("v3 (current)");
    expect(await first.locator(".version-message").textContent()).toBe("revert to version 1");
    expect(await first.locator(".version-who").textContent()).toBe("revert to v1 (panel)");
    expect(await reopened.locator(".version-list > li.version").count()).toBe(3);
  });

  it("shows the tests, runs them on a new document, names the failing case with its reason, and keeps the result", async () => {
    const tests = item().locator("details.macro-tests");
    expect(await tests.locator("summary").textContent()).toBe("Tests (2)");
    await tests.locator("summary").click();
    await tests.locator(".tests-last", { hasText: "Not run yet." }).waitFor();
    await tests.getByRole("button", { name: "Run tests" }).click();
    // The first run starts the bridge's own headless Blender for tests.
    await tests.locator(".card-status", { hasText: "1 of 2 failed" }).waitFor({ timeout: 180_000 });
    expect(await tests.locator('.test-case[data-case="no cubes"]').getAttribute("class")).toContain("pass");
    const failing = tests.locator('.test-case[data-case="two cubes"]');
    expect(await failing.getAttribute("class")).toContain("fail");
    expect(await failing.locator(".test-reason").textContent()).toBe("expected value 5, got 4");
    await page.screenshot({ path: join(shots, "02-tests-ran.png"), fullPage: true });
    // The panel's host kept its own scene: the tests ran on the test host.
    const hostCount = await fx.api("/api/run", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ app: "blender", code: "len(bpy.data.objects)" }),
    });
    expect(((await hostCount.json()) as { value: unknown }).value).toBe(3);

    // In a new page, the Tests show that last result of this version.
    await page.reload();
    await page.locator("#host option", { hasText: "Blender" }).waitFor({ state: "attached" });
    await openMacros();
    const reopened = item().locator("details.macro-tests");
    await reopened.locator("summary").click();
    await reopened
      .locator(".tests-last", { hasText: "Last run on version 3" })
      .filter({ hasText: "1 passed, 1 failed" })
      .waitFor();
    expect(await reopened.locator('.test-case[data-case="two cubes"] .test-reason').textContent()).toBe(
      "expected value 5, got 4",
    );
  }, 240_000);

  it("fits a 320 px panel with the history, the diff view and the tests open", async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    const history = item().locator("details.macro-history");
    if ((await history.getAttribute("open")) === null) await history.locator("summary").click();
    await history.getByRole("button", { name: "Diff version 2 to version 3" }).click();
    await history.getByLabel("Code changes from version 2 to version 3").waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    await page.screenshot({ path: join(shots, "03-narrow.png"), fullPage: true });
  });

  it("broke no Content Security Policy rule and threw no page errors", () => {
    expect(problems).toEqual([]);
  });
});
