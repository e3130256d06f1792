// Start-up (issue 14): the commands people run often load only what they use. Each runs as
// built, in a fresh node under a preload that records every module the process loads (ES
// imports and CommonJS requires); what only the server, the agent, the queue and the docs
// builders need must not be among them. bench/cli-startup.ts measures what this keeps cheap.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { CLI } from "./helpers/cli.js";
import { ProtocolHost } from "./helpers/protocol-host.js";
import { runProcess } from "./helpers/run-process.js";

const RECORDER = fileURLToPath(new URL("./helpers/record-imports.mjs", import.meta.url));
const SDK = "@modelcontextprotocol/sdk";
/** The server's, the agent's, the queue's and the docs builders' dependencies. */
const HEAVY = [
  "typescript",
  "bullmq",
  "@anthropic-ai/sdk",
  "openai",
  "express",
  "fast-xml-parser",
  "htmlparser2",
  SDK,
];

/** The npm packages among recorded module URLs and paths (the last node_modules/ segment). */
function packagesIn(modules: string[]): Set<string> {
  const names = new Set<string>();
  for (const module of modules) {
    const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
    if (match) names.add(match[1]!);
  }
  return names;
}

const dirs: string[] = [];
let fx: BridgeFixture;
let host: ProtocolHost;
beforeAll(async () => {
  fx = await startBridge();
  host = await ProtocolHost.connect({ url: fx.url, token: fx.token, onRun: () => ({ output: "42" }) });
});
afterAll(async () => {
  host.close();
  await fx.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs node with the recorder; returns what it printed and the packages it loaded. */
async function recorded(args: string[], input?: string) {
  const dir = mkdtempSync(join(tmpdir(), "sw-imports-"));
  dirs.push(dir);
  const out = join(dir, "modules.txt");
  const result = await runProcess(process.execPath, ["--import", RECORDER, ...args], {
    input,
    env: { SCRIPTWRIGHT_RECORD_IMPORTS: out },
  });
  return { ...result, packages: packagesIn(readFileSync(out, "utf8").split("\n")) };
}

const cli = (...args: string[]) => recorded([CLI, ...args]);
const heavyIn = (packages: Set<string>, allowed: string[] = []) =>
  HEAVY.filter((name) => packages.has(name) && !allowed.includes(name));

describe("the recorder", () => {
  it("names packages, scoped or not, from URLs and paths", () => {
    expect([
      ...packagesIn([
        "file:///x/node_modules/@anthropic-ai/sdk/index.mjs",
        "/x/node_modules/a/node_modules/bullmq/dist/cjs/index.js",
        "file:///x/dist/bridge/cli.js",
        "node:fs",
      ]),
    ]).toEqual(["@anthropic-ai/sdk", "bullmq"]);
  });

  it("sees a CommonJS require out of the resolve hook's sight, and an ES import", async () => {
    const required = await recorded(["-e", 'require("typescript")']);
    expect(heavyIn(required.packages)).toEqual(["typescript"]);
    const imported = await recorded(["--input-type=module", "-e", 'await import("express")']);
    expect(heavyIn(imported.packages)).toEqual(["express"]);
  });
});

describe("commands that start often load none of the heavy modules", () => {
  it("--version", async () => {
    const run = await cli("--version");
    expect(run.code).toBe(0);
    expect(run.packages.has("commander")).toBe(true);
    expect(heavyIn(run.packages)).toEqual([]);
  });

  it("hosts", async () => {
    const run = await cli("hosts", "--json", "--data-dir", fx.dataDir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ id: host.hostId })]);
    expect(heavyIn(run.packages)).toEqual([]);
  });

  it("exec", async () => {
    const run = await cli("exec", "--host", host.hostId, "--code", "1", "--data-dir", fx.dataDir);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe("42");
    expect(heavyIn(run.packages)).toEqual([]);
  });

  it.each(["aftereffects", "solidworks", "blender"])("check --app %s", async (app) => {
    const run = await cli("check", "--app", app, "--code", "x = 1");
    expect(run.code, run.stderr).toBe(0);
    expect(heavyIn(run.packages)).toEqual([]);
  });

  it("mcp loads the MCP SDK and nothing else heavy, through a tool call", async () => {
    const { code, answers, packages } = await mcpSession([
      {
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      },
      { method: "tools/call", params: { name: "list_hosts", arguments: {} } },
    ]);
    expect(code).toBe(0);
    expect(answers[0]).toMatchObject({ result: { serverInfo: { name: expect.any(String) } } });
    expect(JSON.stringify(answers[1])).toContain(host.hostId);
    expect(packages.has(SDK)).toBe(true);
    expect(heavyIn(packages, [SDK])).toEqual([]);
  });
});

/**
 * `mcp` against the fixture's bridge: sends each request after the previous one's answer (and
 * `notifications/initialized` after the first), then closes stdin, which ends the server.
 */
async function mcpSession(requests: Array<{ method: string; params: unknown }>) {
  const dir = mkdtempSync(join(tmpdir(), "sw-imports-"));
  dirs.push(dir);
  const out = join(dir, "modules.txt");
  const child = spawn(process.execPath, ["--import", RECORDER, CLI, "mcp", "--data-dir", fx.dataDir], {
    env: { ...process.env, SCRIPTWRIGHT_RECORD_IMPORTS: out },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
  const answers: unknown[] = [];
  for (const [i, request] of requests.entries()) {
    send({ id: i + 1, ...request });
    const line = await lines.next();
    if (line.done) break;
    answers.push(JSON.parse(line.value));
    if (i === 0) send({ method: "notifications/initialized" });
  }
  child.stdin.end();
  const code = await exited;
  return { code, answers, packages: packagesIn(readFileSync(out, "utf8").split("\n")) };
}
