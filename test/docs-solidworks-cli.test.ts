// `scriptwright docs build --app solidworks --from …` as a user runs it, on the synthetic help
// fixtures (test/fixtures/solidworks-help), then search and read on the tree it wrote.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters } from "../adapters/registry.js";
import { packagePath } from "../adapters/shared/package-path.js";
import { solidworksDocs } from "../adapters/solidworks/docs/index.js";
import { runCli } from "./helpers/cli.js";

const FIXTURES = packagePath("test", "fixtures", "solidworks-help");

let dataDir: string;
const docs = (args: string[]) => runCli(["docs", ...args, "--data-dir", dataDir]);

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "sw-docs-solidworks-"));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("SolidWorks docs from the user's own help", () => {
  it("is the SolidWorks adapter's docs source", () => {
    expect(adapters.get("solidworks")?.docs).toBe(solidworksDocs);
  });

  it("says how to build the tree, with --from, before there is one", async () => {
    const search = await docs(["search", "--app", "solidworks", "save as"]);
    expect(search.code).toBe(1);
    expect(search.stderr).toMatch(/scriptwright docs build --app solidworks --from .*api\\redist/);
    const noFrom = await docs(["build", "--app", "solidworks"]);
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toMatch(/--from/);
  });

  it("builds, then search finds SaveAs3 and read shows its text and parameters", async () => {
    const built = await docs([
      "build",
      "--app",
      "solidworks",
      "--from",
      FIXTURES,
      "--version",
      "2024",
      "--json",
    ]);
    expect(built.stderr).toBe("");
    expect(built.code).toBe(0);
    expect(JSON.parse(built.stdout)).toMatchObject({ app: "solidworks", version: "2024" });
    const tree = join(dataDir, "docs", "solidworks", "2024");
    for (const file of [
      "index.md",
      "interfaces/IModelDoc2.md",
      "interfaces/ISldWorks.md",
      "enums/swDocumentTypes_e.md",
    ]) {
      expect(existsSync(join(tree, file))).toBe(true);
    }

    const search = await docs(["search", "--app", "solidworks", "--json", "--limit", "3", "save as"]);
    const hits = JSON.parse(search.stdout) as Array<{ symbol: string; path: string }>;
    const saveAs = hits.find((hit) => hit.symbol === "IModelDoc2.SaveAs3");
    expect(saveAs?.path).toBe("interfaces/IModelDoc2.md#SaveAs3");

    const read = await docs(["read", "--app", "solidworks", saveAs!.path]);
    expect(read.stdout).toMatch(/^<a id="SaveAs3"><\/a>\n### SaveAs3/);
    expect(read.stdout).toContain("`SaveAs3(NewName: String, SaveAsVersion: Int32, Options: Int32)`");
    expect(read.stdout).toContain("Synthetic text: saves the document as a new file (save as)");
    expect(read.stdout).toContain("- `NewName: String` — Synthetic text: path and name of the new file.");

    const values = await docs(["read", "--app", "solidworks", "enums/swDocumentTypes_e.md#swDocDRAWING"]);
    expect(values.stdout).toContain("Value: `3`");
  });

  it.each([
    [["--from", join(FIXTURES, "missing")], /no such file or folder/],
    [["--from", join(FIXTURES, "help", "RunMacro2.htm"), "--version", "../up"], /--version/],
  ])("%j → exit 2 with a clear message", async (args, message) => {
    const result = await docs(["build", "--app", "solidworks", ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("answers a .chm with the command that decompiles it", async () => {
    const chm = join(dataDir, "sldworksapi.chm");
    writeFileSync(chm, "ITSF synthetic");
    const result = await docs(["build", "--app", "solidworks", "--from", chm]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`hh.exe -decompile sldworksapi-help "${chm}"`);
  });
});
