// "Keep what worked" in the chat panel, end to end: a real Chromium on the page the bridge serves,
// a real headless Blender, the scripted Messages API server as the model, and the bridge's own
// /api/macros (no mock): save a script that worked as a macro, run it from the Macros view with a
// form generated from its parameter schema, and see Blender's answer or the bridge's objection.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium, recordPageProblems } from "./helpers/browser.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { requireBinary } from "./helpers/require-binary.js";

const chromiumBinary = requireBinary("chromium", "apt-get install chromium");
const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

interface MacroView {
  name: string;
  app: string;
  language: string;
  description: string;
  params: { type: string; properties?: Record<string, Record<string, unknown>>; required?: string[] };
  code: string;
  source: Record<string, unknown>;
  starter: boolean;
}

/** What the model proposes; the person edits `* 6` into `* 7` before approving it. */
const PROPOSED =
  'import bpy\nn = (params or {}).get("count", 3)\n{"scene": bpy.data.scenes[0].name, "product": n * 6}';
const EDITED = PROPOSED.replace("n * 6", "n * 7");

/** A macro whose parameters cover every input the run form makes; it returns what it got. */
const KITCHEN_SINK = {
  name: "kitchen-sink",
  app: "blender",
  description: "Echoes its parameters with their Python types.",
  code: "import bpy\n{k: [v, type(v).__name__] for k, v in sorted(params.items())}",
  params: {
    type: "object",
    properties: {
      label: { type: "string", description: "any text", default: "hello" },
      size: { type: "number", exclusiveMinimum: 0, maximum: 10, default: 2.5 },
      count: { type: "integer", minimum: 1, maximum: 100, description: "how many" },
      smooth: { type: "boolean", default: true },
      axis: { type: "string", enum: ["X", "Y", "Z"], default: "Y" },
    },
    required: ["count", "axis"],
    additionalProperties: false,
  },
};

describe.skipIf(chromiumBinary.skip || blender.skip)("macros in the chat panel", () => {
  let fx: BridgeFixture;
  let server: MessagesServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const replies = scriptedReplies();
  const shots = mkdtempSync(join(tmpdir(), "sw-web-macros-shots-"));
  const problems: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const box = () => page.getByRole("textbox", { name: "Message" });
  const assistant = (text: string) => page.locator(".msg.assistant", { hasText: text });
  const macroItem = (name: string) => page.locator(`.macro-item[data-macro="${name}"]`);

  async function listMacros(): Promise<MacroView[]> {
    const res = await fx.api("/api/macros");
    expect(res.status).toBe(200);
    return (await res.json()) as MacroView[];
  }

  beforeAll(async () => {
    console.log(`web macros screenshots: ${shots}`);
    server = await MessagesServer.start(replies.responder);
    fx = await startBridge({
      kits: languageKits,
      adapters,
      headless: parseHeadlessSpecs(["blender:1"], adapters).specs,
      env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: server.url },
    });
    const probe = await fx.api("/api/macros");
    if (probe.status === 404) {
      throw new Error(
        "GET /api/macros answered 404: this bridge has no macro routes yet (bridge/macros, /api/macros). " +
          "The panel's macro UI needs the server side of macros to land first.",
      );
    }
    expect(probe.status).toBe(200);
    browser = await launchChromium(chromiumBinary.path!);
    await fx.bridge.managed!.waitUntilConnected(60_000);
    context = await browser.newContext({ viewport: { width: 420, height: 900 }, colorScheme: "dark" });
    page = await context.newPage();
    recordPageProblems(page, problems);
    page.setDefaultTimeout(20_000);
    await page.goto(`${fx.url}/?token=${fx.token}`);
    await page.locator("#host option", { hasText: "Blender" }).waitFor({ state: "attached" });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
    await server?.close();
  });

  it("saves the script that ran (as the person edited it) as a macro with one parameter", async () => {
    replies.set([
      {
        text: "Here is the product.",
        toolUses: [{ name: "run_script", input: { description: "multiply in Blender", code: PROPOSED } }],
      },
      { text: "The product is 21." },
    ]);
    await box().fill("multiply three by seven in blender");
    await box().press("Enter");
    const card = page.locator(".card").last();
    await card.getByRole("button", { name: "Approve" }).waitFor();
    // Before it has run, there is nothing to keep.
    expect(await card.getByRole("button", { name: "Save as macro" }).count()).toBe(0);
    await card.getByRole("button", { name: "Edit" }).click();
    await card.getByRole("textbox", { name: "Edit the script" }).fill(EDITED);
    await card.getByRole("button", { name: "Approve" }).click();
    await assistant("The product is 21.").waitFor();
    expect(await card.locator(".outcome").textContent()).toBe("ok");
    expect(JSON.parse((await card.locator(".result .value").textContent())!)).toEqual({
      scene: "Scene",
      product: 21,
    });

    const save = card.getByRole("button", { name: "Save as macro" });
    await save.click();
    expect(await save.getAttribute("aria-expanded")).toBe("true");
    const form = card.getByRole("form", { name: "Save as macro" });
    expect(await form.getByRole("textbox", { name: "Macro description" }).inputValue()).toBe(
      "multiply in Blender",
    );
    // The name is checked before anything is sent.
    await form.getByRole("textbox", { name: "Macro name" }).fill("Times Seven");
    await form.getByRole("button", { name: "Save macro" }).click();
    await form.locator(".form-error", { hasText: "lowercase" }).waitFor();
    expect(await form.getByRole("textbox", { name: "Macro name" }).getAttribute("aria-invalid")).toBe("true");

    await form.getByRole("textbox", { name: "Macro name" }).fill("times-seven");
    expect(await form.getByRole("textbox", { name: "Macro name" }).getAttribute("aria-invalid")).toBeNull();
    await form.getByRole("textbox", { name: "Macro description" }).fill("Multiplies count by seven");
    await form.getByRole("button", { name: "Add parameter" }).click();
    await form.getByRole("textbox", { name: "Parameter 1 name" }).fill("count");
    await form.getByRole("combobox", { name: "Parameter 1 type" }).selectOption("integer");
    await form.getByRole("textbox", { name: "Parameter 1 default" }).fill("3");
    await form.getByRole("textbox", { name: "Parameter 1 description" }).fill("how many sevens");
    await shot("01-save-form");
    await form.getByRole("button", { name: "Save macro" }).click();
    await card.locator(".macro-saved", { hasText: "times-seven" }).waitFor();
    expect(await form.isVisible()).toBe(false);

    expect((await listMacros()).map((macro) => macro.name)).toContain("times-seven");
    const saved = (await (await fx.api("/api/macros/times-seven")).json()) as MacroView;
    expect(saved).toMatchObject({
      app: "blender",
      language: "python",
      description: "Multiplies count by seven",
      code: EDITED,
      starter: false,
      params: {
        type: "object",
        properties: { count: { type: "integer", default: 3, description: "how many sevens" } },
      },
    });
    expect(saved!.params.required ?? []).toEqual([]);
    const sessionId = await page.evaluate<string | null>("sessionStorage.getItem('scriptwright.session')");
    expect(saved!.source).toEqual({
      kind: "session",
      sessionId,
      scriptId: await card.getAttribute("data-script-id"),
    });
    await shot("02-saved");
  });

  it("in a reopened transcript, offers Save as macro and shows the bridge's error for a name in use", async () => {
    await page.getByRole("button", { name: "New chat" }).click();
    await page.getByRole("button", { name: "History" }).click();
    await page.locator(".session-open", { hasText: "multiply three by seven" }).click();
    const card = page.locator(".card").last();
    await card.locator(".outcome", { hasText: "ok" }).waitFor();
    await card.getByRole("button", { name: "Save as macro" }).click();
    const form = card.getByRole("form", { name: "Save as macro" });
    await form.getByRole("textbox", { name: "Macro name" }).fill("times-seven");
    await form.getByRole("button", { name: "Save macro" }).click();
    const error = form.locator(".form-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/times-seven.*already exists/);
    expect(await error.getAttribute("role")).toBe("alert");
    expect(await form.getByRole("textbox", { name: "Macro name" }).getAttribute("aria-invalid")).toBe("true");
    await shot("03-name-in-use");
    expect((await listMacros()).filter((macro) => macro.name === "times-seven")).toHaveLength(1);
  });

  it("lists the active host's macros and runs one with a parameter from its generated form", async () => {
    const toggle = page.getByRole("button", { name: "Macros" });
    await toggle.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    // History and Macros take turns.
    expect(await page.locator("#history").isVisible()).toBe(false);
    const item = macroItem("times-seven");
    await item.waitFor();
    expect(await page.locator("#macros-title").textContent()).toBe("Macros for Blender");
    expect(await item.locator(".macro-desc").textContent()).toBe("Multiplies count by seven");
    expect(await item.locator(".badge").count()).toBe(0);
    // The starter macros shipped for Blender carry the badge.
    const listed = (await listMacros()).filter((macro) => macro.app === "blender");
    expect(await page.locator(".macro-item").count()).toBe(listed.length);
    for (const starter of listed.filter((macro) => macro.starter)) {
      expect(await macroItem(starter.name).locator(".badge").textContent()).toBe("starter");
    }

    await item.getByRole("button", { name: "Run", exact: true }).click();
    const count = item.getByRole("spinbutton", { name: "count", exact: true });
    expect(await count.inputValue()).toBe("3");
    expect(await count.getAttribute("step")).toBe("1");
    expect(await item.locator(".hint").textContent()).toBe("how many sevens · whole number");
    await count.fill("6");
    await item.getByRole("button", { name: "Run macro" }).click();
    const value = item.locator(".result .value");
    await value.waitFor();
    expect(await item.locator(".outcome").textContent()).toBe("ok");
    expect(JSON.parse((await value.textContent())!)).toEqual({ scene: "Scene", product: 42 });
    // Its code (the edited version) is read when asked for.
    await item.getByText("Code", { exact: true }).click();
    await item.locator(".macro-code .code", { hasText: "n * 7" }).waitFor();
    await shot("04-macro-ran");
  });

  it("shows the bridge's error next to the form, naming the parameter, when a value is invalid", async () => {
    const item = macroItem("times-seven");
    const count = item.getByRole("spinbutton", { name: "count", exact: true });
    await count.fill("2.5");
    await item.getByRole("button", { name: "Run macro" }).click();
    const error = item.locator(".form-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/"count".*integer/);
    expect(await count.getAttribute("aria-invalid")).toBe("true");
    expect(await count.getAttribute("aria-describedby")).toContain((await error.getAttribute("id"))!);
    await shot("05-invalid-param");
    // Fixed, it runs again and the message goes.
    await count.fill("1");
    await item.getByRole("button", { name: "Run macro" }).click();
    await item.locator(".result .value", { hasText: '"product": 7' }).waitFor();
    expect(await error.isVisible()).toBe(false);
    expect(await count.getAttribute("aria-invalid")).toBeNull();
  });

  it("generates inputs for string, number, integer, boolean and enum parameters, and Blender gets typed values", async () => {
    const res = await fx.api("/api/macros", { method: "POST", json: KITCHEN_SINK });
    expect(res.status).toBe(201);
    // Reopening the view lists it.
    await page.getByRole("button", { name: "Macros" }).click();
    await page.getByRole("button", { name: "Macros" }).click();
    const item = macroItem("kitchen-sink");
    await item.getByRole("button", { name: "Run", exact: true }).click();
    const label = item.getByRole("textbox", { name: "label" });
    const size = item.getByRole("spinbutton", { name: "size" });
    const count = item.getByRole("spinbutton", { name: "count", exact: true });
    const smooth = item.getByRole("checkbox", { name: "smooth" });
    const axis = item.getByRole("combobox", { name: "axis" });
    expect(await label.inputValue()).toBe("hello");
    expect(await size.inputValue()).toBe("2.5");
    expect(await size.getAttribute("step")).toBe("any");
    expect(await size.getAttribute("max")).toBe("10");
    expect(await count.inputValue()).toBe("");
    expect(await count.getAttribute("min")).toBe("1");
    expect(await count.getAttribute("max")).toBe("100");
    expect(await smooth.isChecked()).toBe(true);
    expect(await axis.locator("option").allTextContents()).toEqual(["X", "Y", "Z"]);
    expect(await axis.locator("option:checked").textContent()).toBe("Y");
    // Required ones are marked (for sight and for assistive technology).
    for (const required of [count, axis]) expect(await required.getAttribute("aria-required")).toBe("true");
    for (const optional of [label, size, smooth])
      expect(await optional.getAttribute("aria-required")).toBeNull();
    expect(await item.locator(".param-field .req").count()).toBe(2);
    expect(
      await item
        .locator(".param-field", { has: page.getByRole("spinbutton", { name: "count", exact: true }) })
        .locator(".hint")
        .textContent(),
    ).toBe("how many · 1 to 100 · whole number");
    expect(
      await item
        .locator(".param-field", { has: page.getByRole("spinbutton", { name: "size" }) })
        .locator(".hint")
        .textContent(),
    ).toBe("more than 0, at most 10");
    await shot("06-generated-form");

    // Out of range: the bridge says which parameter.
    await count.fill("1000");
    await item.getByRole("button", { name: "Run macro" }).click();
    await item.locator(".form-error", { hasText: /"count".*100/ }).waitFor();
    expect(await count.getAttribute("aria-invalid")).toBe("true");

    await label.fill("a label");
    await size.fill("0.25");
    await count.fill("4");
    await smooth.uncheck();
    await axis.selectOption("Z");
    await item.getByRole("button", { name: "Run macro" }).click();
    const value = item.locator(".result .value");
    await value.waitFor();
    expect(JSON.parse((await value.textContent())!)).toEqual({
      axis: ["Z", "str"],
      count: [4, "int"],
      label: ["a label", "str"],
      size: [0.25, "float"],
      smooth: [false, "bool"],
    });
    await shot("07-generated-form-ran");
  });

  it("fits a 320 px panel: the Macros view, a run form and the save form", async () => {
    await page.setViewportSize({ width: 320, height: 700 });
    const width = () => page.evaluate<number>("document.documentElement.scrollWidth");
    await macroItem("kitchen-sink").locator(".result").waitFor();
    expect(await width()).toBeLessThanOrEqual(320);
    await page.screenshot({ path: join(shots, "08-narrow-macros.png") });
    await page.getByRole("button", { name: "Macros" }).click();
    const card = page.locator(".card").last();
    await card.getByRole("button", { name: "Save as macro" }).scrollIntoViewIfNeeded();
    const form = card.getByRole("form", { name: "Save as macro" });
    if (!(await form.isVisible())) await card.getByRole("button", { name: "Save as macro" }).click();
    await form.getByRole("button", { name: "Add parameter" }).click();
    await form.getByRole("textbox", { name: "Parameter 1 name" }).fill("a_rather_long_parameter_name");
    await form.getByRole("button", { name: "Add parameter" }).click();
    expect(await width()).toBeLessThanOrEqual(320);
    await form.getByRole("button", { name: "Remove parameter 2" }).click();
    expect(await form.locator(".param-row").count()).toBe(1);
    await form.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "09-narrow-save-form.png") });
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: join(shots, "10-narrow-save-form-light.png") });
    await page.emulateMedia({ colorScheme: "dark" });
  });

  it("marks a macro an agent saved as unreviewed: its code is read, approved, and only then runs", async () => {
    await fx.bridge.macros.save({
      name: "agent-made",
      app: "blender",
      description: "Counts the objects.",
      code: "len(bpy.data.objects)",
      source: { kind: "session", sessionId: "20261207-101010-abcdef" },
    });
    // (Re)opening the view lists it.
    const toggle = page.getByRole("button", { name: "Macros" });
    if ((await toggle.getAttribute("aria-expanded")) === "true") await toggle.click();
    await toggle.click();
    const item = macroItem("agent-made");
    await item.locator(".badge", { hasText: "unreviewed" }).waitFor();
    expect(await item.getByRole("button", { name: "Run", exact: true }).isVisible()).toBe(false);
    await item.getByRole("button", { name: "Review code" }).click();
    await item.locator(".macro-code .code", { hasText: "len(bpy.data.objects)" }).waitFor();
    await shot("07b-unreviewed");
    await item.getByRole("button", { name: "Approve this code" }).click();
    // The list comes back with the macro reviewed: no badge, and Run is offered.
    const approved = macroItem("agent-made");
    await approved.getByRole("button", { name: "Run", exact: true }).waitFor();
    expect(await approved.locator(".badge").count()).toBe(0);
    expect(fx.bridge.macros.get("agent-made")).toMatchObject({ reviewed: true, review: { via: "panel" } });
    await approved.getByRole("button", { name: "Run", exact: true }).click();
    await approved.locator(".result .value").waitFor();
    expect(await approved.locator(".outcome").textContent()).toBe("ok");
  });

  it("broke no Content Security Policy rule and threw no page errors", () => {
    expect(problems).toEqual([]);
  });
});
