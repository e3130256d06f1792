// Patterns from users and models run on a linear-time engine: a pattern that makes a
// backtracking engine spin for hours (`(a+)+$` against "aaa…ab") answers at once, and the
// bridge keeps serving. The bridge and the CLI run as child processes, so a freeze fails
// these tests by vitest's timeout instead of stalling the test worker itself.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapters } from "../adapters/registry.js";
import { writeDocTree } from "../bridge/docs/doc-tree.js";
import { MacroStore } from "../bridge/macros/store.js";
import { CLI, type ServeProcess, startServe } from "./helpers/cli.js";

// 2^40 backtracking steps for a backtracking engine: a day, not a test run.
const EVIL_PATTERN = "(a+)+$";
const EVIL_INPUT = `${"a".repeat(40)}b`;

let dataDir: string;
let serve: ServeProcess;
const children = new AbortController();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sw-regex-"));
  writeDocTree(
    dataDir,
    {
      app: "blender",
      version: "4.2",
      source: "test fixture",
      entries: [
        {
          name: "Evil",
          kind: "class",
          group: "classes",
          description: "A class whose docs hold a long run of a ending in b.",
          members: [
            { name: "trap", kind: "property", signature: "trap: string", description: EVIL_INPUT },
            { name: "plain", kind: "property", signature: "plain: string", description: "aaaa" },
          ],
        },
      ],
    },
    "Blender",
  );
  await new MacroStore(dataDir, { adapters }).save({
    name: "greet",
    app: "blender",
    description: "takes one word of a's",
    code: "params",
    params: {
      type: "object",
      properties: { word: { type: "string", pattern: `^${EVIL_PATTERN}` } },
      required: ["word"],
    },
  });
  serve = await startServe(dataDir);
});

afterAll(() => {
  children.abort();
  // SIGKILL: a frozen bridge ignores SIGTERM, and the test has failed already then.
  serve?.child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${serve.info.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${serve.info.token}`, "content-type": "application/json" },
  });

/** The CLI as a child that afterAll kills if it never ends. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { signal: children.signal });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("regular expressions cannot freeze the bridge", () => {
  it("a docs regex search answers, and the bridge answers a health request during and after it", async () => {
    const query = new URLSearchParams({ app: "blender", mode: "regex", q: EVIL_PATTERN });
    const search = api(`/api/docs/search?${query}`);
    const during = fetch(`${serve.info.url}/api/health`);
    const res = await search;
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { hits: Array<{ symbol: string; snippet: string }> };
    // It really searched: the line of a's alone matches, the one ending in b does not.
    expect(answer.hits.map((hit) => [hit.symbol, hit.snippet])).toEqual([["Evil.plain", "aaaa"]]);
    expect((await during).status).toBe(200);
    expect(await (await fetch(`${serve.info.url}/api/health`)).json()).toMatchObject({ ok: true });
  });

  it("a macro parameter's pattern is checked in linear time: a clear bad-params, bridge still up", async () => {
    const res = await api("/api/macros/greet/run", {
      method: "POST",
      body: JSON.stringify({ params: { word: EVIL_INPUT } }),
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("bad-params");
    expect(error.message).toMatch(/parameter "word" must match pattern/);
    expect((await fetch(`${serve.info.url}/api/health`)).status).toBe(200);
  });

  it("`docs search --mode regex` in the CLI answers", async () => {
    const result = await cli([
      "docs",
      "search",
      "--app",
      "blender",
      "--mode",
      "regex",
      "--json",
      "--data-dir",
      dataDir,
      EVIL_PATTERN,
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).map((hit: { symbol: string }) => hit.symbol)).toEqual(["Evil.plain"]);
  });

  it("`macro run` checks the parameter before contacting the bridge, in linear time", async () => {
    const result = await cli([
      "macro",
      "run",
      "greet",
      "--param",
      `word=${EVIL_INPUT}`,
      "--data-dir",
      dataDir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/parameter "word" must match pattern/);
  });
});
