// The chat panel on an OpenAI-compatible endpoint, in a real Chromium against an in-process
// bridge and the scripted chat-completions server: the line names the provider, the endpoint and
// the model, no key is asked for, and the picker lists the endpoint's models. A model picked
// is what that session's messages go to (and what GET /api/sessions and its transcript say);
// a new chat starts on the configured one; a reopened session shows and keeps its own.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium, openChatPanel, sayInPanel } from "./helpers/browser.js";
import { ChatCompletionsServer } from "./helpers/chat-completions-server.js";
import { ProtocolHost } from "./helpers/protocol-host.js";
import { requireBinary } from "./helpers/require-binary.js";

const chromiumBinary = requireBinary("chromium", "apt-get install chromium");

describe.skipIf(chromiumBinary.skip)("the chat panel's provider line and model picker", () => {
  let fx: BridgeFixture;
  let chat: ChatCompletionsServer;
  let host: ProtocolHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    chat = await ChatCompletionsServer.start(() => ({ text: "Hello from the endpoint." }));
    fx = await startBridge({
      env: { SCRIPTWRIGHT_PROVIDER: "openai", OPENAI_BASE_URL: chat.url, SCRIPTWRIGHT_MODEL: "qwen-test:7b" },
    });
    host = await ProtocolHost.connect({ url: fx.url, token: fx.token });
    browser = await launchChromium(chromiumBinary.path!);
    context = await browser.newContext({ viewport: { width: 320, height: 720 }, colorScheme: "dark" });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    host?.close();
    await fx?.close();
    await chat?.close();
  });
  beforeEach(async () => {
    chat.requests.length = 0;
    await page?.close();
    page = await openChatPanel(context, fx, problems);
  });

  const line = () => page.locator(".model-line");
  const picker = () => page.getByRole("combobox", { name: "Model" });

  const say = (text: string) => sayInPanel(page, text);

  /** Waits for the n-th answer of the page (the scripted server always says the same). */
  const answers = (count: number) =>
    page
      .locator(".msg.assistant", { hasText: "Hello from the endpoint." })
      .nth(count - 1)
      .waitFor();

  const sessions = async () =>
    (await (await fx.api("/api/sessions")).json()) as Array<{ id: string; provider: string; model: string }>;

  it("names the provider, endpoint and model, asks for no key, and lists the endpoint's models", async () => {
    await picker().waitFor();
    expect(await line().textContent()).toContain(`OpenAI-compatible at ${chat.url}`);
    expect(await line().textContent()).toContain("No key (local servers need none)");
    expect(await picker().inputValue()).toBe("qwen-test:7b");
    expect(await picker().locator("option").allTextContents()).toEqual(["qwen-test:7b", "llama-test:3b"]);
    expect(await page.locator(".key-needed").isVisible()).toBe(false);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    expect(problems).toEqual([]);
  });

  it("sends a session's messages to the model picked for it; a new chat starts on the configured one", async () => {
    await picker().waitFor();
    await picker().selectOption("llama-test:3b");
    await say("hello");
    await answers(1);
    expect(chat.completions.at(-1)!.body.model).toBe("llama-test:3b");
    const first = (await sessions()).find((session) => session.model === "llama-test:3b");
    expect(first).toMatchObject({ provider: "openai", model: "llama-test:3b" });
    await say("and again");
    await answers(2);
    expect(chat.completions.at(-1)!.body.model).toBe("llama-test:3b");

    await page.getByRole("button", { name: "New chat" }).click();
    expect(await picker().inputValue()).toBe("qwen-test:7b");
    await say("hello there");
    await answers(1);
    expect(chat.completions.at(-1)!.body.model).toBe("qwen-test:7b");

    // The first session, reopened, shows its own model and keeps it for its next message.
    await page.getByRole("button", { name: "History" }).click();
    await page.locator(".session-open", { hasText: "hello" }).last().click();
    await page.locator(".msg.user", { hasText: "and again" }).waitFor();
    expect(await picker().inputValue()).toBe("llama-test:3b");
    await say("one more");
    await page.locator(".msg.assistant", { hasText: "Hello from the endpoint." }).nth(2).waitFor();
    expect(chat.completions.at(-1)!.body.model).toBe("llama-test:3b");
    const detail = (await (await fx.api(`/api/sessions/${first!.id}`)).json()) as {
      records: Array<{ type: string; provider?: string; model?: string }>;
    };
    expect(detail.records[0]).toMatchObject({ type: "session", provider: "openai", model: "llama-test:3b" });
    expect(problems).toEqual([]);
  });
});
