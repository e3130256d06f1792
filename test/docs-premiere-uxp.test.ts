// Premiere Pro's two references: UXP from the installed @adobe/premierepro types package and
// ExtendScript from types-for-adobe, each read by the hosts that speak its language. The CLI
// builds both; `--language` / `language=` pick one; sessions on simulated UXP and CEP Premiere
// hosts (Premiere cannot run here: these are protocol-level simulators, not proof of Premiere)
// get hits from their own language's tree.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { premiereAdapter } from "../adapters/premiere/index.js";
import { premiereUxpDocsSource } from "../adapters/premiere/uxp-docs/index.js";
import { uxpTypesPackage } from "../adapters/premiere/uxp-docs/package.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { DocsError } from "../adapters/shared/docs-errors.js";
import type { Adapter } from "../adapters/types.js";
import { DocsService } from "../bridge/docs/docs-service.js";
import { type BridgeFixture, type ErrorBody, startBridge } from "./helpers/bridge-fixture.js";
import { runCli } from "./helpers/cli.js";
import { call, connectHttp } from "./helpers/mcp.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { ProtocolHost } from "./helpers/protocol-host.js";

const installed = JSON.parse(readFileSync(join(uxpTypesPackage().root, "package.json"), "utf8")) as {
  version: string;
  license: string;
};

describe("docs build --app premiere (CLI, the installed types packages)", () => {
  let dataDir: string;
  const docs = (args: string[]) => runCli(["docs", ...args, "--app", "premiere", "--data-dir", dataDir]);
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-docs-premiere-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("builds the UXP and the ExtendScript trees, the UXP one at the package's version", async () => {
    expect(installed.license).toBe("Apache-2.0");
    const built = await docs(["build", "--json"]);
    expect(built.code, built.stderr).toBe(0);
    const answers = JSON.parse(built.stdout) as Array<{ language: string; version: string; source: string }>;
    expect(answers.map((answer) => answer.language).sort()).toEqual(["extendscript", "uxp-js"]);
    const uxp = answers.find((answer) => answer.language === "uxp-js")!;
    expect(uxp).toMatchObject({
      version: installed.version,
      source: `@adobe/premierepro ${installed.version}`,
    });
    // The ExtendScript tree keeps the app's own folder: trees built before there were two still open.
    const extendscript = answers.find((answer) => answer.language === "extendscript")!;
    expect(existsSync(join(dataDir, "docs", "premiere", extendscript.version, "meta.json"))).toBe(true);
  }, 180_000);

  it("finds Project.getActiveSequence for 'get the active sequence', and read shows it returns a Promise", async () => {
    const search = await docs(["search", "get the active sequence", "--json", "--limit", "5"]);
    expect(search.code, search.stderr).toBe(0);
    const hits = JSON.parse(search.stdout) as Array<{ symbol: string; path: string }>;
    const hit = hits.find((h) => h.symbol === "Project.getActiveSequence");
    expect(hit, JSON.stringify(hits)).toBeDefined();
    const read = await docs(["read", hit!.path]);
    expect(read.code).toBe(0);
    expect(read.stdout).toContain("getActiveSequence(): Promise<Sequence>");
    expect(read.stdout).toMatch(/returns a Promise/);
  });

  it("merges statics into their class: Project.getActiveProject is static and async", async () => {
    const search = await docs(["search", "get the active project", "--json", "--limit", "5"]);
    const hit = (JSON.parse(search.stdout) as Array<{ symbol: string; path: string }>).find(
      (h) => h.symbol === "Project.getActiveProject",
    );
    expect(hit).toBeDefined();
    const read = await docs(["read", hit!.path]);
    expect(read.stdout).toContain("Project.getActiveProject(): Promise<Project>");
    expect(read.stdout).toMatch(/static/i);
  });

  it("--language extendscript searches the ExtendScript tree", async () => {
    const search = await docs(["search", "the active sequence", "--language", "extendscript", "--json"]);
    expect(search.code, search.stderr).toBe(0);
    const symbols = (JSON.parse(search.stdout) as Array<{ symbol: string }>).map((h) => h.symbol);
    expect(symbols.slice(0, 5)).toContain("Project.activeSequence");
    expect(symbols).not.toContain("Project.getActiveSequence");
  });

  it("an unknown language is a usage error naming the languages there are", async () => {
    const answer = await docs(["search", "sequence", "--language", "cobol"]);
    expect(answer.code).toBe(2);
    expect(answer.stderr).toMatch(
      /no Premiere Pro docs in "cobol" \(its docs are in: extendscript, uxp-js\)/,
    );
  });
});

describe("Premiere docs trees that are not there", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-docs-premiere-missing-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("a tree not built for that language says the command that builds it", async () => {
    const built = await runCli([
      "docs",
      "build",
      "--app",
      "premiere",
      "--language",
      "extendscript",
      "--data-dir",
      dataDir,
    ]);
    expect(built.code, built.stderr).toBe(0);
    const missing = await runCli(["docs", "search", "sequence", "--app", "premiere", "--data-dir", dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("scriptwright docs build --app premiere --language uxp-js");
    const other = await runCli([
      "docs",
      "search",
      "the active sequence",
      "--app",
      "premiere",
      "--language",
      "extendscript",
      "--data-dir",
      dataDir,
    ]);
    expect(other.code).toBe(0);
  }, 120_000);

  it("a types package missing from the install is named, with how to install it", async () => {
    const empty = mkdtempSync(join(tmpdir(), "sw-no-modules-"));
    try {
      const withoutPackage: Adapter = {
        ...premiereAdapter,
        moreDocs: [premiereUxpDocsSource("premiere", () => uxpTypesPackage([empty]))],
      };
      const service = new DocsService(dataDir, new Map([["premiere", withoutPackage]]));
      const failure = await service
        .build("premiere", undefined, undefined, undefined, "uxp-js")
        .catch((e) => e);
      expect(failure).toBeInstanceOf(DocsError);
      expect(failure).toMatchObject({ code: "no-source" });
      expect(failure.message).toMatch(
        /the @adobe\/premierepro package \(Premiere Pro's UXP types\) is not installed.*npm install @adobe\/premierepro/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("agent sessions on simulated Premiere hosts read their own language's docs", () => {
  let fx: BridgeFixture;
  let server: MessagesServer;
  const replies = scriptedReplies();
  const hosts: ProtocolHost[] = [];

  beforeAll(async () => {
    server = await MessagesServer.start(replies.responder);
    fx = await startBridge({
      kits: languageKits,
      adapters,
      autoDocs: true,
      // Generous: the builds load the TypeScript compiler on a busy machine.
      docsWaitMs: 300_000,
      env: {
        ANTHROPIC_API_KEY: "test-key",
        ANTHROPIC_BASE_URL: server.url,
        SCRIPTWRIGHT_MODEL: "claude-sonnet-5-5",
      },
    });
  }, 120_000);
  afterAll(async () => {
    for (const host of hosts) host.close();
    await fx?.close();
    await server?.close();
  });

  /** The search_docs result a session on a simulated Premiere host speaking `language` gets. */
  async function sessionSearch(language: string, query: string): Promise<string> {
    const host = await ProtocolHost.connect({
      url: fx.url,
      token: fx.token,
      app: "premiere",
      language,
      name: `simulated Premiere (${language})`,
    });
    hosts.push(host);
    replies.set([{ toolUses: [{ name: "search_docs", input: { query } }] }, { text: "Found it." }]);
    const before = server.requests.length;
    const created = await fx.api("/api/sessions", {
      method: "POST",
      json: { app: "premiere", host: host.hostId, prompt: `Look up: ${query}`, approval: "auto" },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // Done when the model has been asked twice (the tool result went back) and the turn ended.
    for (;;) {
      const state = (await (await fx.api(`/api/sessions/${id}`)).json()) as { busy: boolean };
      if (!state.busy && server.requests.length >= before + 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const messages = server.requests[before + 1]!.body.messages as Array<{ content: unknown }>;
    const results = messages.at(-1)!.content as Array<{ type: string; content: string; is_error?: boolean }>;
    const result = results.find((block) => block.type === "tool_result")!;
    expect(result.is_error, result.content).not.toBe(true);
    return result.content;
  }

  it("a UXP host's session gets UXP hits (tree built on first need)", async () => {
    const content = await sessionSearch("uxp-js", "get the active sequence");
    expect(content).toContain("Project.getActiveSequence");
    expect(content).toContain("Promise<Sequence>");
  }, 400_000);

  it("a CEP host's session gets ExtendScript hits", async () => {
    const content = await sessionSearch("extendscript", "the active sequence");
    expect(content).toContain("Project.activeSequence");
    expect(content).not.toContain("Promise<");
  }, 400_000);

  it("MCP search_docs reads the connected host's reference; language picks another", async () => {
    // Only one Premiere host, speaking ExtendScript (CEP), whatever ran before.
    for (const host of hosts.splice(0)) host.close();
    for (;;) {
      const list = (await (await fx.api("/api/hosts")).json()) as Array<{ app: string }>;
      if (!list.some((host) => host.app === "premiere")) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    hosts.push(
      await ProtocolHost.connect({ url: fx.url, token: fx.token, app: "premiere", language: "extendscript" }),
    );
    const client = await connectHttp(fx.url, fx.token);
    try {
      const own = await call(client, "search_docs", { app: "premiere", query: "the active sequence" });
      expect(own.isError, own.text).toBe(false);
      expect(own.text).toContain("Project.activeSequence");
      expect(own.text).not.toContain("Promise<");
      const uxp = await call(client, "search_docs", {
        app: "premiere",
        query: "get the active sequence",
        language: "uxp-js",
      });
      expect(uxp.text).toContain("Project.getActiveSequence");
      expect(uxp.text).toContain("Promise<Sequence>");
      const bad = await call(client, "list_docs", { app: "premiere", language: "cobol" });
      expect(bad.isError).toBe(true);
      expect(bad.text).toMatch(/its docs are in: extendscript, uxp-js/);
    } finally {
      await client.close();
    }
  }, 400_000);

  it("language= picks a tree over HTTP; an unknown one is a 400 naming the languages", async () => {
    const es = await fx.api("/api/docs/search?app=premiere&language=extendscript&q=the%20active%20sequence");
    expect(es.status).toBe(200);
    expect(await es.json()).toMatchObject({ language: "extendscript" });
    const uxp = await fx.api("/api/docs/search?app=premiere&language=uxp-js&q=get%20the%20active%20sequence");
    expect(((await uxp.json()) as { hits: Array<{ symbol: string }> }).hits[0]?.symbol).toBe(
      "Project.getActiveSequence",
    );
    const bad = await fx.api("/api/docs/search?app=premiere&language=cobol&q=x");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.message).toMatch(/its docs are in: extendscript, uxp-js/);
  });
});
