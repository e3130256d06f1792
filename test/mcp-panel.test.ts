// Approving an MCP client's script in the real chat panel: an MCP client (SDK, Streamable HTTP)
// asks to run a script, a real Chromium opens the panel the bridge serves, finds the waiting
// script under History and approves it, and the client's next call runs it in a real Blender.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { panelUrl } from "../bridge/discovery.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium } from "./helpers/browser.js";
import { call, connectHttp } from "./helpers/mcp.js";
import { requireBinary } from "./helpers/require-binary.js";

const chromiumBinary = requireBinary("chromium", "apt-get install chromium");
const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

describe.skipIf(chromiumBinary.skip || blender.skip)("MCP approvals in the chat panel", () => {
  let fx: BridgeFixture;
  let browser: Browser;
  let page: Page;
  let client: Client;

  beforeAll(async () => {
    fx = await startBridge({
      kits: languageKits,
      adapters,
      headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
    });
    browser = await launchChromium(chromiumBinary.path!);
    await fx.bridge.managed!.waitUntilConnected(60_000);
    page = await (await browser.newContext({ viewport: { width: 420, height: 820 } })).newPage();
    page.setDefaultTimeout(20_000);
    client = await connectHttp(fx.url, fx.token);
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await fx?.close();
  });

  it("the waiting script shows in History with its risk; Approve lets the next call run it", async () => {
    const args = {
      // The save never runs; the kit's risk scan flags it all the same, and the card shows that.
      code: [
        "bpy.ops.mesh.primitive_cube_add()",
        "C.active_object.name = 'SW_From_MCP'",
        "if False:",
        "    bpy.ops.wm.save_mainfile()",
        "C.active_object.name",
      ].join("\n"),
      description: "add a cube named SW_From_MCP",
    };
    const asked = await call(client, "run_script", args);
    expect(asked.isError).toBe(true);
    const link = /chat panel at (\S+) \(History, session (\S+)\)/.exec(asked.text);
    expect(link?.[1]).toBe(`${fx.url}/`);

    // The person opens the panel (with the token, as `serve` prints it) and finds the script.
    // The panel points to it without being asked: a banner with the script's description.
    await page.goto(panelUrl(fx.url, fx.token));
    const waiting = page.locator("#waiting");
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain("add a cube named SW_From_MCP");
    // At 320 px the banner's text wraps, its button does not (no letter-by-letter column).
    await page.setViewportSize({ width: 320, height: 700 });
    const open = waiting.getByRole("button", { name: "Open" });
    const button = (await open.boundingBox())!;
    const oneLine = (await page.getByRole("button", { name: "New chat" }).boundingBox())!;
    expect(button.height).toBeLessThanOrEqual(oneLine.height + 1);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    await page.setViewportSize({ width: 420, height: 820 });
    await open.click();
    const card = page.locator(".card", { hasText: "SW_From_MCP" });
    await card.getByRole("button", { name: "Approve" }).waitFor();
    expect(await card.textContent()).toContain("add a cube named SW_From_MCP");
    expect(await card.textContent()).toMatch(/saves the \.blend file/);

    const early = await call(client, "run_script", args);
    expect(early.text).toMatch(/still waiting for the user's approval/);

    await card.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => fx.bridge.sessions.pendingApprovals(link![2]!).length).toBe(0);
    const ran = await call(client, "run_script", args);
    expect(ran.isError).toBe(false);
    expect(ran.text).toContain('value: "SW_From_MCP"');
  });
});
