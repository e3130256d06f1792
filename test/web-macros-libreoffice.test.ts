// The chat panel takes apps' names and languages from the bridge's registry (GET /api/apps):
// a reopened LibreOffice session (VBA) saves "Save as macro" as VBA, never as Python. Real
// Chromium, a real headless LibreOffice, the scripted Messages API as the model.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium } from "./helpers/browser.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { requireBinary } from "./helpers/require-binary.js";

const chromiumBinary = requireBinary("chromium", "apt-get install chromium");
const soffice = requireBinary(
  "soffice",
  "apt-get install libreoffice-calc-nogui python3-uno, or npm run setup",
);

describe.skipIf(chromiumBinary.skip || soffice.skip)("the chat panel with a LibreOffice host", () => {
  let fx: BridgeFixture;
  let server: MessagesServer;
  let browser: Browser;
  let page: Page;
  const replies = scriptedReplies();

  beforeAll(async () => {
    server = await MessagesServer.start(replies.responder);
    fx = await startBridge({
      kits: languageKits,
      adapters,
      headless: parseHeadlessSpecs(["libreoffice:1"], adapters).specs,
      env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: server.url },
    });
    await fx.bridge.managed!.waitUntilConnected(90_000);
    browser = await launchChromium(chromiumBinary.path!);
    page = await (await browser.newContext({ viewport: { width: 420, height: 900 } })).newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${fx.url}/?token=${fx.token}`);
    // The host's label uses the registry's display name, not the app id.
    await page.locator("#host option", { hasText: "LibreOffice Calc" }).waitFor({ state: "attached" });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
    await server?.close();
  });

  it("saves a script from a reopened session in the session's language (VBA)", async () => {
    replies.set([
      {
        toolUses: [
          { name: "run_script", input: { description: "multiply in Calc", code: "Result = 6 * 7" } },
        ],
      },
      { text: "It is 42." },
    ]);
    await page.getByRole("textbox", { name: "Message" }).fill("multiply six by seven");
    await page.getByRole("textbox", { name: "Message" }).press("Enter");
    const card = page.locator(".card").last();
    await card.getByRole("button", { name: "Approve" }).click();
    await page.locator(".msg.assistant", { hasText: "It is 42." }).waitFor();

    await page.getByRole("button", { name: "New chat" }).click();
    await page.getByRole("button", { name: "History" }).click();
    await page.locator(".session-open", { hasText: "multiply six by seven" }).click();
    const reopened = page.locator(".card").last();
    await reopened.locator(".outcome", { hasText: "ok" }).waitFor();
    await reopened.getByRole("button", { name: "Save as macro" }).click();
    const form = reopened.getByRole("form", { name: "Save as macro" });
    await form.getByRole("textbox", { name: "Macro name" }).fill("six-sevens");
    await form.getByRole("button", { name: "Save macro" }).click();
    await reopened.locator(".macro-saved", { hasText: "six-sevens" }).waitFor();

    const saved = (await (await fx.api("/api/macros/six-sevens")).json()) as {
      app: string;
      language: string;
    };
    expect(saved).toMatchObject({ app: "libreoffice", language: "vba" });
  });
});
