// The chat panel end to end: a real Chromium opens the page the bridge serves, a real headless
// Blender runs the scripts, and the scripted Messages API server plays the model.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import type { BridgeOptions } from "../bridge/server/bridge-server.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium } from "./helpers/browser.js";
import { closeServer } from "./helpers/close-server.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { requireBinary } from "./helpers/require-binary.js";

const chromiumBinary = requireBinary("chromium", "apt-get install chromium");
const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

describe.skipIf(chromiumBinary.skip || blender.skip)("chat panel in a real browser", () => {
  let fx: BridgeFixture;
  let server: MessagesServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const replies = scriptedReplies();
  const setReplies = replies.set;
  const shots = mkdtempSync(join(tmpdir(), "sw-web-panel-shots-"));
  /** CSP violations and uncaught errors on the panel's pages. */
  const problems: string[] = [];

  const bridgeOptions = (): Partial<BridgeOptions> => ({
    kits: languageKits,
    adapters,
    headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
    env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: server.url },
  });

  function watch(target: Page): Page {
    target.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    target.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    target.setDefaultTimeout(20_000);
    return target;
  }

  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const box = () => page.getByRole("textbox", { name: "Message" });
  const lastCard = () => page.locator(".card").last();
  const assistant = (text: string) => page.locator(".msg.assistant", { hasText: text });

  async function say(text: string) {
    await box().fill(text);
    await box().press("Enter");
  }

  /** The tool_result the model received in request `index`. */
  const toolResult = (index: number) => {
    const messages = server.requests[index]!.body.messages as Array<{ role: string; content: unknown }>;
    const content = messages.at(-1)!.content as Array<{ type: string; content: string }>;
    return content.find((block) => block.type === "tool_result")!;
  };

  beforeAll(async () => {
    console.log(`web panel screenshots: ${shots}`);
    server = await MessagesServer.start(replies.responder);
    fx = await startBridge(bridgeOptions());
    browser = await launchChromium(chromiumBinary.path!);
    await fx.bridge.managed!.waitUntilConnected(60_000);
    // Dark is the panel's own theme; Chromium reports "light" unless told otherwise.
    context = await browser.newContext({ viewport: { width: 420, height: 820 }, colorScheme: "dark" });
    page = watch(await context.newPage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
    await server?.close();
  });

  it("takes the token out of the address bar and lists the Blender host", async () => {
    await page.goto(`${fx.url}/?token=${fx.token}`);
    await page.waitForFunction("!window.location.search.includes('token')");
    expect(page.url()).not.toContain(fx.token);
    expect(await page.evaluate("sessionStorage.getItem('scriptwright.token')")).toBe(fx.token);
    const option = page.locator("#host option", { hasText: "Blender" });
    await option.waitFor({ state: "attached" });
    const host = (await (await fx.api("/api/hosts")).json()) as Array<{ id: string; appVersion: string }>;
    expect(await option.getAttribute("value")).toBe(host[0]!.id);
    expect(await option.textContent()).toContain(host[0]!.appVersion);
    await expect(page.locator("#hosts-empty").isVisible()).resolves.toBe(false);
    await shot("01-start");
  });

  it("without a token, says to open the URL serve printed; with no host, says how to connect one", async () => {
    const other = await browser.newContext();
    const bare = await startBridge();
    try {
      const lost = watch(await other.newPage());
      await lost.goto(`${fx.url}/`);
      await lost.locator("#notice", { hasText: "scriptwright serve" }).waitFor();
      expect(await lost.locator("#composer").isVisible()).toBe(false);
      await lost.goto(`${bare.url}/?token=${bare.token}`);
      const empty = lost.locator("#hosts-empty");
      await empty.waitFor();
      expect(await empty.textContent()).toMatch(
        /scriptwright serve --headless blender[\s\S]*scriptwright_blender\.py/,
      );
      expect(await empty.textContent()).toMatch(/After Effects/);
      expect(await empty.textContent()).toMatch(/serve --headless libreoffice[\s\S]*panel install excel/);
    } finally {
      await other.close();
      await bare.close();
    }
  });

  it("sends a prompt with Enter, shows the script for approval, runs it in Blender and streams the answer", async () => {
    setReplies([
      {
        text: "I'll look at the scene.",
        toolUses: [
          {
            name: "run_script",
            input: {
              description: "read the scene name",
              code: "import bpy\n# the first scene\nname = bpy.data.scenes[0].name\nname",
            },
          },
        ],
      },
      { text: "The scene is called Scene." },
    ]);
    server.requests.length = 0;
    await box().click();
    await box().pressSequentially("What is the scene called?");
    await page.keyboard.press("Shift+Enter");
    await box().pressSequentially("Answer briefly.");
    await page.keyboard.press("Enter");

    const approve = lastCard().getByRole("button", { name: "Approve" });
    await approve.waitFor();
    expect(await lastCard().locator(".card-desc").textContent()).toBe("read the scene name");
    expect(await lastCard().locator(".tok-kw").allTextContents()).toContain("import");
    expect(await lastCard().locator(".tok-com").allTextContents()).toEqual(["# the first scene"]);
    expect(await lastCard().locator(".tok-num").allTextContents()).toEqual(["0"]);
    expect(await lastCard().getByRole("button", { name: "Deny" }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Stop" }).isVisible()).toBe(true);
    await assistant("I'll look at the scene.").waitFor();
    await shot("02-approval");

    await approve.click();
    await assistant("The scene is called Scene.").waitFor();
    const card = lastCard();
    expect(await card.locator(".outcome").textContent()).toBe("ok");
    expect(await card.locator(".result .value").textContent()).toBe('"Scene"');
    // Deltas were appended one by one into the bubble (the server sends each text in pieces).
    const pieces = await assistant("The scene is called Scene.").evaluate((node) => node.childNodes.length);
    expect(pieces).toBeGreaterThan(1);
    await page.locator("#usage", { hasText: "2 model calls" }).waitFor();
    expect(await page.locator("#usage").textContent()).toMatch(/50 input · 0 cached · 20 output/);
    await page.getByRole("button", { name: "Stop" }).waitFor({ state: "hidden" });
    expect(await page.getByRole("button", { name: "Send" }).isEnabled()).toBe(true);
    expect(await box().inputValue()).toBe("");
    const first = server.requests[0]!.body.messages as Array<{ role: string; content: unknown }>;
    expect(JSON.stringify(first[0]!.content)).toContain(
      JSON.stringify("What is the scene called?\nAnswer briefly."),
    );
    await shot("03-answered");
  });

  it("runs the user's edited script and marks the line of its error", async () => {
    setReplies([
      { toolUses: [{ name: "run_script", input: { description: "compute", code: "2 + 2" } }] },
      { text: "Your version failed on line 2." },
    ]);
    server.requests.length = 0;
    await say("compute something");
    const card = lastCard();
    await card.getByRole("button", { name: "Approve" }).waitFor();
    await card.getByRole("button", { name: "Edit" }).click();
    const editor = card.getByRole("textbox", { name: "Edit the script" });
    expect(await editor.inputValue()).toBe("2 + 2");
    await editor.fill("x = 1\ny = x / 0\ny");
    await card.getByRole("button", { name: "Approve" }).click();
    await assistant("Your version failed on line 2.").waitFor();
    expect(await card.locator(".outcome").textContent()).toBe("error");
    expect(await card.locator(".error-message").textContent()).toMatch(/ZeroDivisionError.*line 2/);
    expect(await card.locator(".line.error-line").getAttribute("data-line")).toBe("2");
    expect(await card.locator(".line.error-line").textContent()).toBe("y = x / 0");
    expect(toolResult(1).content).toMatch(/edited the script[\s\S]*ZeroDivisionError/);
    await shot("04-edited-error");
  });

  it("shows a risky script's flags, and after Deny the script does not run and the model's answer shows", async () => {
    const victim = join(fx.dataDir, "keep-me.txt");
    writeFileSync(victim, "important");
    setReplies([
      {
        toolUses: [
          {
            name: "run_script",
            input: { description: "clean up", code: `import os\nos.remove(${JSON.stringify(victim)})` },
          },
        ],
      },
      { text: "Understood, I will not delete it." },
    ]);
    server.requests.length = 0;
    await say("delete my file");
    const card = lastCard();
    await card.getByRole("button", { name: "Deny" }).waitFor();
    expect(await card.locator(".risk").allTextContents()).toEqual([
      expect.stringMatching(/os\.remove.*line 2/),
    ]);
    await shot("05-risky");
    await card.getByRole("button", { name: "Deny" }).click();
    await assistant("Understood, I will not delete it.").waitFor();
    expect(await card.locator(".card-status").textContent()).toMatch(/^Denied: denied by the user/);
    expect(await card.locator(".result").isVisible()).toBe(false);
    expect(await card.getByRole("button", { name: "Approve" }).count()).toBe(0);
    expect(toolResult(1).content).toBe("not run: denied by the user");
    expect(existsSync(victim)).toBe(true);
  });

  it("stops a turn while the model stream is stalled", async () => {
    await page.getByRole("button", { name: "New chat" }).click();
    expect(await page.locator(".msg").count()).toBe(0);
    setReplies([{ stallAfterText: "Let me think" }]);
    await say("think forever");
    await assistant("Let me think").waitFor();
    // The event stream drops and comes back: nothing is shown twice.
    // (The bridge's HTTP server drops every HTTP connection; WebSocket hosts are unaffected.)
    const http = (fx.bridge as unknown as { server: Server }).server;
    const reconnected = new Promise<void>((resolve) => {
      const onRequest = (req: IncomingMessage) => {
        if (!req.url?.endsWith("/events")) return;
        http.off("request", onRequest);
        resolve();
      };
      http.on("request", onRequest);
    });
    http.closeAllConnections();
    await page.locator("#status", { hasText: "reconnecting" }).waitFor();
    await reconnected;
    await page.locator("#status", { hasText: "Working" }).waitFor();
    expect(await page.locator(".msg.assistant").allTextContents()).toEqual(["Let me think"]);
    const stop = page.getByRole("button", { name: "Stop" });
    expect(await stop.isVisible()).toBe(true);
    await shot("06-working");
    await stop.click();
    await page.locator(".note.stopped", { hasText: "Stopped." }).waitFor();
    await stop.waitFor({ state: "hidden" });
    expect(await page.getByRole("button", { name: "Send" }).isEnabled()).toBe(true);
  });

  it("keeps a pending approval across a reload, and approving it still works", async () => {
    await page.getByRole("button", { name: "New chat" }).click();
    setReplies([
      {
        text: "Here is the script.",
        toolUses: [{ name: "run_script", input: { description: "multiply", code: "6 * 7" } }],
      },
      { text: "The answer is 42." },
    ]);
    await say("what is six times seven?");
    await lastCard().getByRole("button", { name: "Approve" }).waitFor();
    await page.reload();
    const approve = lastCard().getByRole("button", { name: "Approve" });
    await approve.waitFor();
    await assistant("Here is the script.").waitFor();
    expect(await page.locator(".msg.user").allTextContents()).toEqual(["what is six times seven?"]);
    expect(await assistant("Here is the script.").count()).toBe(1);
    expect(await page.locator(".card").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Stop" }).isVisible()).toBe(true);
    await shot("07-reloaded-pending");
    await approve.click();
    await assistant("The answer is 42.").waitFor();
    expect(await lastCard().locator(".result .value").textContent()).toBe("42");
    expect(await assistant("Here is the script.").count()).toBe(1);
  });

  it("lists the sessions, reopens one read-only, and continues it with a follow-up", async () => {
    await page.getByRole("button", { name: "History" }).click();
    const entry = page.locator(".session-open", { hasText: "What is the scene called?" });
    await entry.waitFor();
    expect(await page.locator(".session-open").count()).toBe(3);
    await shot("08-history");
    await entry.click();
    await assistant("The scene is called Scene.").waitFor();
    expect(await page.locator(".msg.user").first().textContent()).toBe(
      "What is the scene called?\nAnswer briefly.",
    );
    const cards = page.locator(".card");
    expect(await cards.count()).toBe(3);
    expect(await cards.nth(0).locator(".outcome").textContent()).toBe("ok");
    expect(await cards.nth(1).locator(".code").textContent()).toContain("y = x / 0");
    expect(await cards.nth(2).locator(".card-status").textContent()).toMatch(/^Not run/);
    // The risk flags come back from the transcript with the script.
    expect(await cards.nth(2).locator(".risk").allTextContents()).toEqual([
      expect.stringMatching(/os\.remove.*line 2/),
    ]);
    expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(0);
    expect(await page.locator("#usage").textContent()).toMatch(/model calls/);

    setReplies([{ text: "Continued the old session." }]);
    server.requests.length = 0;
    await say("are you still there?");
    await assistant("Continued the old session.").waitFor();
    const messages = server.requests[0]!.body.messages as Array<{ role: string }>;
    expect(messages.length).toBeGreaterThan(3);
  });

  it("after a bridge restart, the session is still listed and its transcript shows", async () => {
    await fx.bridge.stop();
    fx = await startBridge({ ...bridgeOptions(), dataDir: fx.dataDir });
    await fx.bridge.managed!.waitUntilConnected(60_000);
    await page.goto(`${fx.url}/?token=${fx.token}`);
    await page.getByRole("button", { name: "History" }).click();
    const entry = page.locator(".session-open", { hasText: "What is the scene called?" });
    await entry.waitFor();
    await entry.click();
    await assistant("Continued the old session.").waitFor();
    await assistant("The scene is called Scene.").waitFor();
    await shot("09-after-restart");
  }, 90_000);

  it("fits a 320 px panel without horizontal scrolling", async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator(".card").first().waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    await page.screenshot({ path: join(shots, "10-narrow.png") });
    await page.getByRole("button", { name: "History" }).click();
    await page.locator(".session-open").first().waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    await page.screenshot({ path: join(shots, "11-narrow-history.png") });
    await page.getByRole("button", { name: "History" }).click();
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: join(shots, "12-narrow-light.png") });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize({ width: 420, height: 820 });
  });

  it("a page on another origin can neither read the API nor open the WebSockets", async () => {
    const other: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><title>elsewhere</title><p>another site</p>");
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    const probe = async ({ base, token }: { base: string; token: string }) => {
      let api: string;
      try {
        const res = await fetch(`${base}/api/hosts`, { headers: { authorization: `Bearer ${token}` } });
        api = `status ${res.status}`;
      } catch {
        api = "failed";
      }
      const socket = (path: string) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`${base.replace("http:", "ws:")}${path}`);
          const timer = setTimeout(() => resolve("no answer"), 5000);
          ws.onopen = () => {
            clearTimeout(timer);
            ws.close();
            resolve("open");
          };
          ws.onerror = () => {
            clearTimeout(timer);
            resolve("refused");
          };
        });
      return { api, client: await socket("/ws/client"), host: await socket("/ws/host") };
    };
    const stranger = await context.newPage();
    try {
      await stranger.goto(otherUrl);
      const foreign = await stranger.evaluate(probe, { base: fx.url, token: fx.token });
      expect(foreign).toEqual({ api: "failed", client: "refused", host: "refused" });
      // The same probe from the panel's own origin gets through: the refusals above are the origin's.
      const own = await page.evaluate(probe, { base: fx.url, token: fx.token });
      expect(own).toEqual({ api: "status 200", client: "open", host: "open" });
      // And the bridge itself answers 403 to that origin.
      const res = await fetch(`${fx.url}/api/hosts`, {
        headers: { authorization: `Bearer ${fx.token}`, origin: otherUrl.slice(0, -1) },
      });
      expect(res.status).toBe(403);
    } finally {
      await stranger.close();
      await closeServer(other);
    }
  });

  it("broke no Content Security Policy rule and threw no page errors", () => {
    expect(problems).toEqual([]);
  });
});
