// The CEP panel's first page (panels/cep/index.html) in a real Chromium, opened from file://
// as CEP does. After Effects cannot run here: `window.__adobe_cep__` is a CEP simulator (its
// evalScript answers with a fixed string) and `require` is a Node simulator whose fs serves
// one bridge.json and whose http.get is performed by the test process. This proves the page
// finds the bridge, shows clear errors, and hands over to the bridge page, which then
// registers as an After Effects host — not that After Effects loads the panel.
import * as http from "node:http";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packagePath } from "../adapters/shared/package-path.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium } from "./helpers/browser.js";
import { requireBinary } from "./helpers/require-binary.js";

const chromium = requireBinary("chromium", "apt-get install chromium, or npm run setup");
const PANEL = pathToFileURL(packagePath("panels", "cep", "index.html")).href;
const HOME = "/Users/editor";

/** Performs the simulated `http.get` for the page, from the test process (no Origin header). */
function nodeGet(url: string): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    http
      .get(url, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode, body }));
      })
      .on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

async function openPanel(browser: Browser, options: { bridgeJson?: string; node: boolean }): Promise<Page> {
  const page = await browser.newPage();
  await page.exposeFunction("nodeSimulatorGet", nodeGet);
  const files = JSON.stringify(
    options.bridgeJson ? { [`${HOME}/.scriptwright/bridge.json`]: options.bridgeJson } : {},
  );
  await page.addInitScript(`
    window.__adobe_cep__ = {
      getHostEnvironment: () => JSON.stringify({ appName: "AEFT", appVersion: "24.0.0" }),
      evalScript: (code, callback) => setTimeout(() => callback("simulated"), 0),
    };
    if (${options.node} && location.protocol === "file:") {
      const files = ${files};
      const fs = {
        readFileSync(path) {
          if (path in files) return files[path];
          const error = new Error("ENOENT: no such file, open '" + path + "'");
          error.code = "ENOENT";
          throw error;
        },
      };
      const httpSim = {
        get(url, _options, onResponse) {
          const handlers = {};
          const request = {
            on(event, fn) { handlers[event] = fn; return request; },
            destroy(error) { handlers.error?.(error); },
          };
          window.nodeSimulatorGet(url).then((answer) => {
            if (answer.error) return handlers.error?.({ code: answer.error });
            const listeners = {};
            onResponse({
              statusCode: answer.status,
              setEncoding() {},
              on(event, fn) { listeners[event] = fn; },
            });
            listeners.data?.(answer.body);
            listeners.end?.();
          });
          return request;
        },
      };
      const modules = { fs, http: httpSim, os: { homedir: () => "${HOME}" }, process: { env: {} } };
      window.require = (name) => modules[name];
      window.process = modules.process;
    }
  `);
  await page.goto(PANEL);
  return page;
}

describe.skipIf(chromium.skip)("CEP panel start page (CEP + Node simulators)", () => {
  let fx: BridgeFixture;
  let browser: Browser;
  beforeAll(async () => {
    fx = await startBridge();
    browser = await launchChromium(chromium.path!);
  });
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  const status = (page: Page) => page.locator("#status").textContent();

  it("reads bridge.json, checks health, opens the bridge page, which registers as the AE host", async () => {
    const info = { url: fx.url, port: Number(new URL(fx.url).port), token: fx.token, pid: 1, version: "0" };
    const page = await openPanel(browser, { bridgeJson: JSON.stringify(info), node: true });
    await page.waitForURL((url) => url.origin === fx.url, { timeout: 15_000 });
    await expect
      .poll(async () => ((await (await fx.api("/api/hosts")).json()) as { app: string }[]).map((h) => h.app))
      .toEqual(["aftereffects"]);
    // The token went to sessionStorage and left the address bar.
    expect(new URL(page.url()).searchParams.get("token")).toBeNull();
    await page.close();
    await expect.poll(async () => ((await (await fx.api("/api/hosts")).json()) as unknown[]).length).toBe(0);
  });

  it("no bridge.json: says to start the bridge; pasting the URL connects", async () => {
    const page = await openPanel(browser, { node: true });
    await expect.poll(() => status(page)).toContain("start the bridge: scriptwright serve");
    expect(await page.locator("#status").getAttribute("data-state")).toBe("error");
    expect(await page.locator("#help").isVisible()).toBe(true);
    await page.fill("#paste", `${fx.url}/?token=${fx.token}`);
    await page.click("#paste-form button[type=submit]");
    await page.waitForURL((url) => url.origin === fx.url, { timeout: 15_000 });
    await page.close();
  });

  it("a stale bridge.json: bridge not reachable at …", async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const info = { url: `http://127.0.0.1:${port}`, port, token: "t", pid: 1, version: "0" };
    const page = await openPanel(browser, { bridgeJson: JSON.stringify(info), node: true });
    await expect.poll(() => status(page)).toContain(`bridge not reachable at http://127.0.0.1:${port}`);
    await page.close();
  });

  it("without Node: explains it, and a pasted URL still connects (no-cors reachability probe)", async () => {
    const page = await openPanel(browser, { node: false });
    await expect.poll(() => status(page)).toMatch(/Node\.js is off in this panel: paste the URL below/);
    await page.fill("#paste", "https://example.com/?token=x");
    await page.click("#paste-form button[type=submit]");
    await expect.poll(() => status(page)).toMatch(/must be http:\/\/127\.0\.0\.1/);
    await page.fill("#paste", `${fx.url}/?token=${fx.token}`);
    await page.click("#paste-form button[type=submit]");
    await page.waitForURL((url) => url.origin === fx.url, { timeout: 15_000 });
    await page.close();
  });
});
