// The chat page as an Adobe CEP panel's host runtime. After Effects cannot run here, so
// `window.__adobe_cep__` is a CEP simulator: its evalScript hands the code to a JavaScript
// engine in the test process (node:vm). This proves the page's host side of protocol v1,
// not that After Effects works.
import { runInNewContext } from "node:vm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium } from "./helpers/browser.js";
import { requireBinary } from "./helpers/require-binary.js";

const chromium = requireBinary("chromium", "apt-get install chromium, or npm run setup");

/** Installs the CEP simulator before the page's own scripts run. */
/** Scripts the simulator evaluated, to prove what never reached the "app". */
const evaluated: string[] = [];

/** A stand-in for After Effects' script engine: no JSON, only the globals the wrapper may use. */
function simulatedAppGlobals() {
  const noop = () => undefined;
  return {
    JSON: undefined,
    app: { beginUndoGroup: noop, endUndoGroup: noop, beginSuppressDialogs: noop, endSuppressDialogs: noop },
    $: { writeln: noop },
  };
}

async function openAsCepPanel(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.exposeFunction("cepSimulatorEval", (code: string) => {
    evaluated.push(code);
    try {
      const value = runInNewContext(code, simulatedAppGlobals(), { timeout: 1000 });
      return value === undefined ? "undefined" : String(value);
    } catch {
      return "EvalScript error."; // what CEP answers for an uncaught error
    }
  });
  await page.addInitScript(`
    window.__adobe_cep__ = {
      getHostEnvironment: () => JSON.stringify({
        appName: "AEFT",
        appVersion: "24.0.0",
        appSkinInfo: { panelBackgroundColor: { color: { red: 40, green: 40, blue: 40 } } },
      }),
      evalScript: (code, callback) => { window.cepSimulatorEval(code).then(callback); },
    };
  `);
  await page.goto(url);
  return page;
}

describe.skipIf(chromium.skip)("chat page as a CEP host runtime (CEP simulator)", () => {
  let fx: BridgeFixture;
  let browser: Browser;
  beforeAll(async () => {
    fx = await startBridge({ kits: languageKits, adapters });
    browser = await launchChromium(chromium.path!);
  });
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  async function waitForHost(app: string) {
    for (let i = 0; i < 100; i++) {
      const hosts = (await (await fx.api("/api/hosts")).json()) as Array<{
        id: string;
        app: string;
        language: string;
        appVersion: string;
      }>;
      const host = hosts.find((h) => h.app === app);
      if (host) return host;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no ${app} host connected`);
  }

  it("connects to /ws/host as the app, evaluates runs with evalScript, and reports bare failures", async () => {
    const page = await openAsCepPanel(browser, `${fx.url}/?token=${fx.token}`);
    const host = await waitForHost("aftereffects");
    expect(host).toMatchObject({ language: "extendscript", appVersion: "24.0.0" });
    await expect
      .poll(() => page.evaluate<string>("document.documentElement.dataset.cepHost"))
      .toMatch(/connected .* as aftereffects-\d+/);
    expect(await page.evaluate<boolean>('document.documentElement.classList.contains("host-cep")')).toBe(
      true,
    );

    const pooled = fx.bridge.pool.get(host.id)!;
    const run = (code: string) =>
      pooled.dispatch({ language: "extendscript", code, timeoutMs: 5000, queueTimeoutMs: 5000 });
    const results = await Promise.all([run("6 * 7"), run("'a' + 'b'"), run("throw new Error('boom')")]);
    expect(results.map((r) => (r.kind === "result" ? r.result : r))).toEqual([
      expect.objectContaining({ ok: true, output: "42" }),
      expect.objectContaining({ ok: true, output: "ab" }),
      expect.objectContaining({
        ok: false,
        error: expect.objectContaining({ message: "EvalScript error." }),
      }),
    ]);
    await page.close();
    await expect.poll(async () => ((await (await fx.api("/api/hosts")).json()) as unknown[]).length).toBe(0);
  });

  it("runs ExtendScript end to end: ES3 kit wrap, evalScript, unwrap; violations never reach the app", async () => {
    const page = await openAsCepPanel(browser, `${fx.url}/?token=${fx.token}`);
    await waitForHost("aftereffects");
    const ok = await fx.run({
      app: "aftereffects",
      code: "var comp = { name: 'Main', layers: [1, 2, 3] };\nlog('checking');\ncomp",
    });
    expect(ok).toMatchObject({ outcome: "ok", value: { name: "Main", layers: [1, 2, 3] } });
    expect(ok.logs).toContain("checking");

    const thrown = await fx.run({ app: "aftereffects", code: "var a = 1;\nvar b = null;\nb.missing.value" });
    expect(thrown).toMatchObject({ outcome: "error", error: { line: 3 } });

    const before = evaluated.length;
    const modern = await fx.run({ app: "aftereffects", code: "const x = 1;\nlet y = () => x;" });
    expect(modern.outcome).toBe("rejected");
    expect(modern.error.message).toMatch(/line 1/);
    expect(evaluated.length).toBe(before);
    await page.close();
  });

  it("rejects ES3 violations even when no After Effects is connected", async () => {
    await expect.poll(async () => ((await (await fx.api("/api/hosts")).json()) as unknown[]).length).toBe(0);
    const modern = await fx.run({ app: "aftereffects", code: "let x = `template`;" });
    expect(modern).toMatchObject({ outcome: "rejected", hostId: null });
  });

  it("stops after the bridge refuses its token", async () => {
    const page = await openAsCepPanel(browser, `${fx.url}/?token=not-the-token`);
    await expect
      .poll(() => page.evaluate<string>('document.documentElement.dataset.cepHost ?? ""'))
      .toMatch(/refused/);
    expect(await (await fx.api("/api/hosts")).json()).toEqual([]);
    await page.close();
  });
});
