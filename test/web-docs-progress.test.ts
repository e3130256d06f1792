// The chat panel's docs line in a real Chromium: while the bridge makes an app's docs on its
// own (here a stand-in app whose build and host the test holds), the panel says so, with the
// share done for a sync, and the line goes away when it is over.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocSet } from "../adapters/shared/docs-model.js";
import type { Adapter } from "../adapters/types.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { launchChromium, recordPageProblems } from "./helpers/browser.js";
import { ProtocolHost } from "./helpers/protocol-host.js";
import { requireBinary } from "./helpers/require-binary.js";
import { sampleDocSet } from "./helpers/sample-docset.js";

const chromiumBinary = requireBinary("chromium", "apt-get install chromium");

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const docSetOf = (app: string, version: string): DocSet => ({ ...sampleDocSet(version), app });

describe.skipIf(chromiumBinary.skip)("docs progress in the chat panel", () => {
  let fx: BridgeFixture;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const buildGate = gate();
  const describeGate = gate();
  let host: ProtocolHost | undefined;

  const depApp: Adapter = {
    app: "depapp",
    displayName: "Dep App",
    language: "echo",
    docs: {
      versions: () => ["2.0"],
      build: async () => {
        await buildGate.promise;
        return docSetOf("depapp", "2.0");
      },
    },
  };
  const liveApp: Adapter = {
    app: "liveapp",
    displayName: "Live App",
    language: "echo",
    docs: { introspection: { listScript: "LIST", describeScript: "DESCRIBE", batchSize: 2 } },
  };

  beforeAll(async () => {
    fx = await startBridge({
      adapters: new Map([
        [depApp.app, depApp],
        [liveApp.app, liveApp],
      ]),
      autoDocs: true,
      docsWaitMs: 300_000,
    });
    browser = await launchChromium(chromiumBinary.path!);
    page = await (await browser.newContext({ viewport: { width: 320, height: 700 } })).newPage();
    recordPageProblems(page, problems);
    page.setDefaultTimeout(30_000);
    await page.goto(`${fx.url}/?token=${fx.token}`);
  }, 120_000);

  afterAll(async () => {
    host?.close();
    await browser?.close();
    await fx?.close();
  });

  const line = () => page.locator(".docs-progress");

  it("shows a build from the dependency while a search waits for it, then nothing", async () => {
    await expect.poll(() => line().isHidden()).toBe(true);
    const search = fx.api("/api/docs/search?app=depapp&q=circle");
    await line().filter({ hasText: "Building Dep App 2.0 docs…" }).waitFor();
    buildGate.open();
    expect((await search).status).toBe(200);
    await line().waitFor({ state: "hidden" });
    expect(problems).toEqual([]);
  });

  it("shows a sync from a host that connected, with how far it got", async () => {
    host = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      app: "liveapp",
      onRun: async (run) => {
        if (run.code === "LIST")
          return { output: JSON.stringify({ version: "1.0", names: ["Scene", "Item"] }) };
        await describeGate.promise;
        return { output: JSON.stringify(docSetOf("liveapp", "1.0").entries.slice(0, 2)) };
      },
    });
    await line()
      .filter({ hasText: `Reading Live App 1.0 docs from ${host.hostId}… 0%` })
      .waitFor();
    describeGate.open();
    await line().waitFor({ state: "hidden" });
    expect(fx.bridge.docs.versions("liveapp")).toEqual(["1.0"]);
    expect(problems).toEqual([]);
  });
});
