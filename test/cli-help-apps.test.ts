// CLI help names the apps from the registry (adapters/registry.ts), never from a hand-written
// list: every registered app where any app goes, and only those that can where a capability
// is needed (headless hosts, batch jobs, docs built from the user's files).
import { describe, expect, it } from "vitest";
import { appInfos } from "../adapters/app-info.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { runCli } from "./helpers/cli.js";

const apps = appInfos(adapters, languageKits);
const ids = (capability?: string) =>
  apps.filter((app) => !capability || app.capabilities.includes(capability as never)).map((app) => app.app);

/** The help of one command, with its line wrapping undone. */
async function help(...command: string[]): Promise<string> {
  const result = await runCli([...command, "--help"]);
  expect(result.code).toBe(0);
  return result.stdout.replace(/\s+/g, " ");
}

/** The app ids listed in the parentheses after `lead` (comma-separated, up to `;` or `)`). */
function listAfter(text: string, lead: string): string[] {
  const at = text.indexOf(lead);
  expect(at, `"${lead}" in: ${text}`).toBeGreaterThanOrEqual(0);
  const list = /\(([^;)]*)/.exec(text.slice(at + lead.length))![1]!;
  return list.split(",").map((name) => name.trim());
}

describe("CLI help lists apps from the registry", () => {
  it("there are apps with and without each capability, so the lists below can differ", () => {
    expect(ids("headless").length).toBeGreaterThan(0);
    expect(ids("headless").length).toBeLessThan(ids().length);
  });

  it.each([
    [["exec"], "run on a host of this app"],
    [["check"], "the app whose language and rules to check with"],
    [["macro", "save"], "the app it runs in"],
    [["ask"], "work in a host of this app"],
    [["mcp"], "the app tools use when a call names none"],
  ])("%j --app: every registered app", async (command, lead) => {
    expect(listAfter(await help(...command), lead)).toEqual(ids());
  });

  it("docs --app: the apps with a reference", async () => {
    expect(listAfter(await help("docs", "search"), "--app <app> the app")).toEqual(ids("docs"));
  });

  it("serve and mcp --headless: the apps with managed headless hosts", async () => {
    expect(listAfter(await help("serve"), "headless instances of an app")).toEqual(ids("headless"));
    expect(listAfter(await help("mcp"), "headless hosts to launch")).toEqual(ids("headless"));
  });

  it("batch run and worker --app: the apps that run batch jobs", async () => {
    expect(listAfter(await help("batch", "run"), "--app <app> the app")).toEqual(ids("batch"));
    expect(listAfter(await help("worker"), "the app whose queue to take files from")).toEqual(ids("batch"));
  });

  it("check --language: every language kit; docs build --from: each app built from the user's files", async () => {
    expect(listAfter(await help("check"), "--language <language> the language")).toEqual([
      ...languageKits.keys(),
    ]);
    const from = await help("docs", "build");
    const fromFiles = [...adapters.values()].filter((adapter) => adapter.docs?.buildFrom);
    expect(fromFiles.length).toBeGreaterThan(0);
    for (const adapter of fromFiles)
      expect(from).toContain(`${adapter.app}: ${adapter.docs!.fromHint!.replace(/\s+/g, " ")}`);
  });
});
