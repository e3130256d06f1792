// `docs sync --app libreoffice` end to end: a real bridge launches the LibreOffice runner
// (headless soffice), the introspection runs there as Python, and the tree it writes answers
// search and read over the HTTP API, as `scriptwright docs sync/search/read` use it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { libreofficeDocs } from "../adapters/libreoffice/docs/index.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { parseHeadlessSpecs } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { requireSofficeWithUno } from "./helpers/soffice.js";

const office = requireSofficeWithUno();

describe("the LibreOffice adapter's docs", () => {
  it("are the VBA introspection", () => {
    expect(adapters.get("libreoffice")?.docs).toBe(libreofficeDocs);
  });
});

describe.skipIf(office.skip)("docs sync --app libreoffice through the LibreOffice runner", () => {
  let fx: BridgeFixture;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies asserted field by field.
  const get = async (path: string): Promise<any> => {
    const res = await fx.api(path);
    expect(res.status).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    fx = await startBridge({
      headless: parseHeadlessSpecs(["libreoffice:1"], adapters).specs,
      kits: languageKits,
      adapters,
    });
    await fx.bridge.managed!.waitUntilConnected(120_000);
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
  });

  it("syncs, then search finds Range.Value and read shows Range.Cells", async () => {
    const res = await fx.api("/api/docs/sync", { method: "POST", json: { app: "libreoffice" } });
    const synced = (await res.json()) as { version: string; entries: number };
    expect(res.status, JSON.stringify(synced)).toBe(200);
    expect(synced).toMatchObject({ app: "libreoffice", skipped: 0 });
    expect(synced.version).toMatch(/^\d+\.\d+/);
    expect(synced.entries).toBeGreaterThan(300);

    const search = await get("/api/docs/search?app=libreoffice&q=Range%20Value&limit=5");
    expect(search.hits.map((hit: { symbol: string }) => hit.symbol)).toContain("Range.Value");
    const read = await get(
      `/api/docs/read?app=libreoffice&path=${encodeURIComponent("objects/Range.md#Cells")}`,
    );
    expect(read.text).toContain("Cells([RowIndex As Variant], [ColumnIndex As Variant]) As Range");
    const functions = await get(
      `/api/docs/read?app=libreoffice&path=${encodeURIComponent("objects/WorksheetFunction.md#SUM")}`,
    );
    expect(functions.text).toMatch(/^<a id="SUM"><\/a>\n### SUM/);
  }, 180_000);
});
