// The registry as clients see it (GET /api/apps), and the one rule it enforces on macros: a
// macro's language is one its app speaks (HTTP 400, CLI exit 2).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { runCli } from "./helpers/cli.js";

describe("GET /api/apps", () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridge({ adapters, kits: languageKits });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("needs the token", async () => {
    expect((await fx.api("/api/apps", { headers: { authorization: "Bearer nope" } })).status).toBe(401);
  });

  it("lists every registered app with its display name, languages and capabilities", async () => {
    const res = await fx.api("/api/apps");
    expect(res.status).toBe(200);
    const apps = (await res.json()) as Array<{ app: string; displayName: string; languages: string[] }>;
    expect(apps.map((a) => a.app)).toEqual([...adapters.keys()]);
    expect(apps.find((a) => a.app === "excel")).toMatchObject({
      displayName: "Excel",
      languages: ["vba"],
      defaultLanguage: "vba",
      capabilities: expect.arrayContaining(["state", "docs", "read-only"]),
    });
    expect(apps.find((a) => a.app === "blender")).toMatchObject({
      capabilities: expect.arrayContaining(["headless", "batch", "state", "docs", "read-only"]),
    });
  });

  it("refuses a macro in a language its app does not speak (400, naming both)", async () => {
    const res = await fx.api("/api/macros", {
      method: "POST",
      json: { name: "wrong-language", app: "excel", language: "python", description: "", code: "1" },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      "language: Excel runs vba, not python",
    );
    const fine = await fx.api("/api/macros", {
      method: "POST",
      json: { name: "right-language", app: "libreoffice", language: "python", description: "", code: "1" },
    });
    expect(fine.status).toBe(201);
  });
});

describe("macro save in the CLI", () => {
  it("exits 2 for a language its app does not speak", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-apps-cli-"));
    try {
      const file = join(dataDir, "m.py");
      writeFileSync(file, "1");
      const saved = await runCli([
        "macro",
        "save",
        "m",
        "--app",
        "excel",
        "--language",
        "python",
        "--file",
        file,
        "--data-dir",
        dataDir,
      ]);
      expect(saved.code).toBe(2);
      expect(saved.stderr).toMatch(/language: Excel runs vba, not python/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
