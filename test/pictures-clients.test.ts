// Pictures reach every client, and the chat panel takes a run back: a real headless Blender, the
// real SDK against the scripted Messages API server (the model receives the image block), the
// official MCP SDK client (image content), and a real Chromium showing the picture in the
// script card, "Show me", and the Undo button on the last card.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium, recordPageProblems } from "./helpers/browser.js";
import { connectHttp, connectStdio } from "./helpers/mcp.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { decode } from "./helpers/pixels.js";
import { requireBinary } from "./helpers/require-binary.js";

const chromiumBinary = requireBinary("chromium", "apt-get install chromium");
const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

// A red cube halfway between the factory camera and the origin: the middle of the camera's picture.
const ADD_RED = [
  "bpy.ops.mesh.primitive_cube_add(size=1.6, location=(3.7, -3.5, 2.5))",
  "C.active_object.name = 'Red'",
  "material = D.materials.new('RedPaint')",
  "material.diffuse_color = (1, 0, 0, 1)",
  "C.active_object.data.materials.append(material)",
  "C.active_object.name",
].join("\n");
const HAS_RED = "'Red' in D.objects";

/** What the page's <img> elements tell (the tests' TypeScript has no DOM types). */
type Img = { complete: boolean; naturalWidth: number };

/** The blocks of the tool_result the model received in request `index`. */
type Block = { type: string; text?: string; source?: { type: string; media_type: string; data: string } };

describe.skipIf(chromiumBinary.skip || blender.skip)(
  "pictures reach the model, the MCP client and the chat panel",
  () => {
    let fx: BridgeFixture;
    let server: MessagesServer;
    let browser: Browser;
    let page: Page;
    let mcp: Client;
    const replies = scriptedReplies();
    /** CSP violations and uncaught errors on the panel's page. */
    const problems: string[] = [];

    /** The tool_result in the model's `index`th Messages request (the panel also asks for the model list). */
    const toolResult = (index: number) => {
      const turns = server.requests.filter(
        (request) => request.method === "POST" && request.path.endsWith("/messages"),
      );
      const messages = turns[index]!.body.messages as Array<{ role: string; content: unknown }>;
      const content = messages.at(-1)!.content as Array<{ type: string; content: Block[] | string }>;
      const found = content.find((block) => block.type === "tool_result");
      if (!found)
        throw new Error(`no tool_result in request ${index}: ${JSON.stringify(messages).slice(0, 2000)}`);
      return found;
    };
    const blenderValue = async (code: string) => (await fx.run({ app: "blender", code })).value;
    const box = () => page.getByRole("textbox", { name: "Message" });
    const lastCard = () => page.locator(".card").last();

    beforeAll(async () => {
      server = await MessagesServer.start(replies.responder);
      fx = await startBridge({
        kits: languageKits,
        adapters,
        headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
        env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: server.url },
      });
      browser = await launchChromium(chromiumBinary.path!);
      await fx.bridge.managed!.waitUntilConnected(90_000);
      mcp = await connectHttp(fx.url, fx.token);
      const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
      page = await context.newPage();
      recordPageProblems(page, problems);
      page.setDefaultTimeout(60_000);
    }, 180_000);

    afterAll(async () => {
      await mcp?.close();
      await browser?.close();
      await fx?.close();
      await server?.close();
    });

    // Each test starts from the factory scene, in a new conversation.
    beforeEach(async () => {
      await blenderValue("bpy.ops.wm.read_homefile(use_factory_startup=True, load_ui=False)\nTrue");
      const kept = fx.bridge.checkpoints.store;
      for (const host of fx.bridge.pool.all())
        for (const checkpoint of [...kept.list(host.id)]) kept.discard(checkpoint);
      await page.goto(`${fx.url}/?token=${fx.token}`);
      await page.locator("#host option", { hasText: "Blender" }).waitFor({ state: "attached" });
      // The page reopens the last session: each test talks in a new one.
      await page.getByRole("button", { name: "New chat" }).click();
      server.requests.length = 0;
    }, 120_000);

    it("run_script with capture: the model gets the picture as an image block; the card shows it, enlarges it, and Undo takes the run back", async () => {
      replies.set([
        {
          toolUses: [
            {
              name: "run_script",
              input: { description: "add a red cube", code: ADD_RED, capture: { width: 480 } },
            },
          ],
        },
        { text: "There is the red cube." },
      ]);
      await box().fill("Add a red cube and show me");
      await box().press("Enter");
      await lastCard().getByRole("button", { name: "Approve" }).click();
      await page.locator(".msg.assistant", { hasText: "There is the red cube." }).waitFor();

      // The model's second request: the run's text with a one-line caption, then the picture.
      const result = toolResult(1);
      expect(Array.isArray(result.content)).toBe(true);
      const [text, image, ...rest] = result.content as Block[];
      expect(rest).toEqual([]);
      expect(text!.type).toBe("text");
      expect(text!.text).toMatch(/^outcome: ok /);
      const caption = text!.text!.split("\n").at(-1)!;
      expect(caption).toMatch(/^picture of .*camera.*480×270/);
      expect(image).toMatchObject({ type: "image", source: { type: "base64", media_type: "image/png" } });
      const picture = await decode(image!.source!.data);
      expect(picture.meta.format).toBe("png");
      expect([picture.info.width, picture.info.height]).toEqual([480, 270]);
      expect(picture.redShare(0.42, 0.4, 0.58, 0.6)).toBeGreaterThan(0.9);

      // The card of that run shows the same picture, loaded under the page's CSP.
      const card = lastCard();
      const img = card.locator("figure.picture img");
      await img.waitFor();
      expect(
        await img.evaluate((node) => [
          (node as unknown as Img).complete,
          (node as unknown as Img).naturalWidth,
        ]),
      ).toEqual([true, 480]);
      expect(await img.getAttribute("src")).toBe(`data:image/png;base64,${image!.source!.data}`);
      expect(await card.locator("figure.picture figcaption").textContent()).toMatch(/^camera — 480×270 · /);
      await card.locator("figure.picture button").click();
      const viewer = page.locator("dialog.picture-viewer[open] img");
      await viewer.waitFor();
      expect(await viewer.evaluate((node) => (node as unknown as Img).naturalWidth)).toBe(480);
      await page.keyboard.press("Escape");
      await viewer.waitFor({ state: "hidden" });

      // Undo on the last card: the cube is gone, and the card says what was restored.
      expect(await blenderValue(HAS_RED)).toBe(true);
      await card.getByRole("button", { name: "Undo" }).click();
      await card.locator(".undo-status", { hasText: "Took back" }).waitFor();
      expect(await card.locator(".undo-status").textContent()).toMatch(
        /^Took back the run of \d\d:\d\d:\d\d \(`bpy\.ops\.mesh\.primitive_cube_add.*`, ok\) on blender-1: the untitled document is as it was before it \(from its copy\)\./,
      );
      expect(await card.getByRole("button", { name: "Undo" }).count()).toBe(0);
      expect(await blenderValue(HAS_RED)).toBe(false);
    }, 240_000);

    it("only the last card that changed the document offers Undo; an earlier run's undo waits for the later one", async () => {
      const add = (name: string, x: number) => ({
        toolUses: [
          {
            name: "run_script",
            input: {
              description: `add ${name}`,
              code: `bpy.ops.mesh.primitive_cube_add(location=(${x}, 0, 0))\nC.active_object.name = '${name}'`,
            },
          },
        ],
      });
      replies.set([add("First", 3), add("Second", -3), { text: "Two cubes." }]);
      await box().fill("Add two cubes");
      await box().press("Enter");
      await lastCard().getByRole("button", { name: "Approve" }).click();
      await page.locator(".card").nth(1).getByRole("button", { name: "Approve" }).click();
      await page.locator(".msg.assistant", { hasText: "Two cubes." }).waitFor();
      const cards = page.locator(".card");
      await cards.nth(1).getByRole("button", { name: "Undo" }).waitFor();
      expect(await cards.nth(0).getByRole("button", { name: "Undo" }).count()).toBe(0);
      await cards.nth(1).getByRole("button", { name: "Undo" }).click();
      await cards.nth(1).locator(".undo-status", { hasText: "Took back" }).waitFor();
      expect(
        await blenderValue("sorted(o.name for o in D.objects if o.name in ('First', 'Second'))"),
      ).toEqual(["First"]);
    }, 240_000);

    it("the capture tool: named views make one labelled sheet in the tool result and in the conversation", async () => {
      replies.set([
        { toolUses: [{ name: "capture", input: { views: ["front", "top"], width: 600 } }] },
        { text: "Seen from the front and the top." },
      ]);
      await box().fill("Look at the scene");
      await box().press("Enter");
      await page.locator(".msg.assistant", { hasText: "Seen from the front and the top." }).waitFor();
      const [text, image] = toolResult(1).content as Block[];
      expect(text!.text).toMatch(/^picture of .*front, top.*600×/);
      expect(text!.text!.split("\n")).toHaveLength(1);
      const sheet = await decode(image!.source!.data);
      expect(sheet.info.width).toBe(600);
      const shown = page.locator(".pictures-msg figure.picture img");
      await shown.waitFor();
      expect(await shown.evaluate((node) => (node as unknown as Img).naturalWidth)).toBe(600);
    }, 240_000);

    it("'Show me' adds a picture of the selected host; a bad capture for the model is an error it reads, and Blender keeps serving", async () => {
      await page.getByRole("button", { name: "Show me" }).click();
      const shown = page.locator(".pictures-msg figure.picture img").last();
      await shown.waitFor();
      expect(
        await shown.evaluate((node) => [
          (node as unknown as Img).complete,
          (node as unknown as Img).naturalWidth > 0,
        ]),
      ).toEqual([true, true]);
      expect(await page.locator(".pictures-msg figcaption").last().textContent()).toMatch(
        /^camera — 1024×576 · /,
      );

      replies.set([
        { toolUses: [{ name: "capture", input: { views: ["sideways"] } }] },
        { text: "That view does not exist." },
      ]);
      await box().fill("Look sideways");
      await box().press("Enter");
      await page.locator(".msg.assistant", { hasText: "That view does not exist." }).waitFor();
      const result = toolResult(1) as { content: unknown; is_error?: boolean };
      expect(result.is_error).toBe(true);
      expect(result.content).toMatch(/^no picture: .*sideways.*camera, front, side, top, persp/);
      expect(await blenderValue("len(D.objects)")).toBe(3);
    }, 240_000);

    it("MCP clients receive image content, over /mcp and from `scriptwright mcp` (stdio); a bad request is an error result", async () => {
      await blenderValue(ADD_RED);
      // `scriptwright mcp` finds this bridge through its bridge.json and asks it over HTTP.
      const stdio = await connectStdio(["--data-dir", fx.dataDir]);
      try {
        for (const [name, client] of [
          ["/mcp", mcp],
          ["scriptwright mcp", stdio.client],
        ] as const) {
          const answer = (await client.callTool({
            name: "capture",
            arguments: { app: "blender", width: 320 },
          })) as CallToolResult;
          expect(answer.isError, name).not.toBe(true);
          const [text, image, ...rest] = answer.content;
          expect(rest, name).toEqual([]);
          expect(text, name).toMatchObject({ type: "text" });
          expect((text as { text: string }).text, name).toMatch(/^picture of .*camera.*320×180/);
          expect(image, name).toMatchObject({ type: "image", mimeType: "image/png" });
          const picture = await decode((image as { data: string }).data);
          expect([picture.info.width, picture.info.height], name).toEqual([320, 180]);
          expect(picture.redShare(0.42, 0.4, 0.58, 0.6), name).toBeGreaterThan(0.9);

          const bad = (await client.callTool({
            name: "capture",
            arguments: { app: "blender", frames: [99999] },
          })) as CallToolResult;
          expect(bad.isError, name).toBe(true);
          expect(JSON.stringify(bad.content), name).toMatch(/frame 99999 is outside the scene's range 1-250/);
        }
      } finally {
        await stdio.close();
      }
      expect(await blenderValue(HAS_RED)).toBe(true);
    }, 240_000);

    it("broke no Content Security Policy rule and threw no page errors", () => {
      expect(problems).toEqual([]);
    });
  },
);
