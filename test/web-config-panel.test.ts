// The chat panel's model line and key form in a real Chromium, against an in-process bridge
// whose own environment has no key: the missing key shows before any prompt; a key typed into
// the password field is what the next message sends to the scripted Messages server (no
// restart); the page never holds the key once it is stored.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium, openChatPanel, sayInPanel } from "./helpers/browser.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { ProtocolHost } from "./helpers/protocol-host.js";
import { requireBinary } from "./helpers/require-binary.js";

const chromiumBinary = requireBinary("chromium", "apt-get install chromium");

const KEY_A = "sk-ant-panel-test-key-a-0123456789abcdefgh";
const KEY_B = "sk-ant-panel-test-key-b-9876543210zyxwvuts";

describe.skipIf(chromiumBinary.skip)("the chat panel's model and key", () => {
  let fx: BridgeFixture;
  let server: MessagesServer;
  let host: ProtocolHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const replies = scriptedReplies();
  /** CSP violations and uncaught errors on the page. */
  const problems: string[] = [];

  beforeAll(async () => {
    server = await MessagesServer.start(replies.responder);
    fx = await startBridge({ env: { ANTHROPIC_BASE_URL: server.url } });
    host = await ProtocolHost.connect({ url: fx.url, token: fx.token });
    browser = await launchChromium(chromiumBinary.path!);
    context = await browser.newContext({ viewport: { width: 320, height: 720 }, colorScheme: "dark" });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    host?.close();
    await fx?.close();
    await server?.close();
  });
  beforeEach(async () => {
    server.requests.length = 0;
    await fx.api("/api/config", { method: "PUT", json: { apiKey: null } });
    await page?.close();
    page = await openChatPanel(context, fx, problems);
  });

  const notice = () => page.locator(".key-needed");
  const keyField = () => page.getByLabel("Anthropic API key");
  const modelLine = () => page.locator(".model-line");

  const say = (text: string) => sayInPanel(page, text);

  /** The key the last model request carried (this SDK sends it as a bearer token; older ones as x-api-key). */
  function sentKey(): string | undefined {
    const headers = server.requests.at(-1)!.headers;
    return (headers["x-api-key"] as string | undefined) ?? headers.authorization?.replace(/^Bearer /, "");
  }

  /** Everything the page holds that a script on it could read. */
  const pageHolds = () =>
    page.evaluate<string>(`[
      document.documentElement.outerHTML,
      JSON.stringify(sessionStorage),
      JSON.stringify(localStorage),
      ...[...document.querySelectorAll("input, textarea")].map((node) => node.value),
    ].join("\\n")`);

  /** What returning to the panel's window does (headless Chromium never loses focus by itself). */
  const focusAgain = () => page.evaluate('window.dispatchEvent(new Event("focus"))');

  it("shows before any prompt that there is no key, where the bridge looks, and the model", async () => {
    await notice().waitFor();
    expect(await notice().textContent()).toContain(
      `No API key: the bridge reads ANTHROPIC_API_KEY from its own environment or api-key in ${join(fx.dataDir, "config.json")}.`,
    );
    expect(await modelLine().textContent()).toContain("Model: claude-sonnet-5-5");
    expect(await modelLine().textContent()).toContain("No API key");
    expect(await keyField().getAttribute("type")).toBe("password");
    expect(await page.locator(".msg").count()).toBe(0);
    expect(server.requests).toHaveLength(0);
    // It fits the narrowest docked panel.
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    expect(problems).toEqual([]);
  });

  it("stores a key typed into the field; the notice goes and the next message sends that key", async () => {
    await keyField().fill(KEY_A);
    // The probe sees what the page holds: the key, while it is in the field.
    expect(await pageHolds()).toContain(KEY_A);
    await page.getByRole("button", { name: "Save key" }).click();
    await notice().waitFor({ state: "hidden" });
    expect(await modelLine().textContent()).toContain("Key sk-…efgh (config.json)");
    expect(await pageHolds()).not.toContain(KEY_A);
    const file = join(fx.dataDir, "config.json");
    expect(JSON.parse(readFileSync(file, "utf8")).apiKey).toBe(KEY_A);
    if (process.platform !== "win32") expect(statSync(file).mode & 0o777).toBe(0o600);

    replies.set([{ text: "Hello from the model." }]);
    await say("hello");
    await page.locator(".msg.assistant", { hasText: "Hello from the model." }).waitFor();
    expect(sentKey()).toBe(KEY_A);
    expect(problems).toEqual([]);
  });

  it("opens the form again when the key is rejected, and the follow-up sends the new one", async () => {
    await fx.api("/api/config", { method: "PUT", json: { apiKey: KEY_A } });
    await page.reload();
    await modelLine().getByText("Key sk-…efgh").waitFor();
    expect(await notice().isVisible()).toBe(false);

    replies.set([
      { status: 401, error: { type: "authentication_error", message: "invalid x-api-key" } },
      { text: "Now it works." },
    ]);
    await say("hello");
    await page.locator(".msg.error", { hasText: "the API key was rejected" }).waitFor();
    await notice().getByText("The API key was rejected. Enter another one").waitFor();
    await keyField().fill(KEY_B);
    await keyField().press("Enter");
    await notice().waitFor({ state: "hidden" });
    await say("try again");
    await page.locator(".msg.assistant", { hasText: "Now it works." }).waitFor();
    expect(sentKey()).toBe(KEY_B);
    expect(await pageHolds()).not.toContain(KEY_B);
  });

  it("says when the bridge cannot read config.json, and drops that once it is fixed", async () => {
    const file = join(fx.dataDir, "config.json");
    writeFileSync(file, "[1]", { mode: 0o600 });
    try {
      await focusAgain();
      await notice()
        .getByText(`The bridge cannot read its settings: ${file} must hold a JSON object`)
        .waitFor();
      expect(await keyField().isVisible()).toBe(false);
    } finally {
      writeFileSync(file, "{}", { mode: 0o600 });
    }
    await focusAgain();
    await notice().getByText("No API key").waitFor();
    expect(await keyField().isVisible()).toBe(true);
  });

  it("drops the notice when a key set elsewhere (config set) shows on returning to the page", async () => {
    await notice().waitFor();
    await fx.api("/api/config", { method: "PUT", json: { apiKey: KEY_B } });
    await focusAgain();
    await notice().waitFor({ state: "hidden" });
    expect(await modelLine().textContent()).toContain("Key sk-…vuts (config.json)");
  });
});
