// MCP clients for tests: the official SDK Client over stdio (spawning the built CLI's `mcp`)
// or over Streamable HTTP against a bridge's /mcp, and the tool checks both transports share.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { expect, it } from "vitest";
import { MCP_LIMITS, MCP_TOOL_NAMES } from "../../bridge/mcp/tools.js";
import { CLI } from "./cli.js";

export interface StdioMcp {
  client: Client;
  transport: StdioClientTransport;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export async function connectStdio(args: string[]): Promise<StdioMcp> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "mcp", ...args],
    env: Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const client = new Client({ name: "scriptwright-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, close: () => client.close() };
}

export async function connectHttp(url: string, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "scriptwright-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

export interface ToolAnswer {
  text: string;
  isError: boolean;
}

export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolAnswer> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((part) => (part.type === "text" ? part.text : `[${part.type}]`)).join("\n");
  return { text, isError: result.isError === true };
}

/**
 * The tool checks both transports run against a bridge with one managed headless Blender,
 * with scripts auto-approved and the After Effects docs built (search/read/list without a host).
 */
export function toolSuite(client: () => Client): void {
  it("lists its tools (MCP_TOOL_NAMES), each with a short description and an object input schema", async () => {
    const { tools } = await client().listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...MCP_TOOL_NAMES].sort());
    for (const tool of tools) {
      expect(tool.description?.length ?? 0).toBeGreaterThan(10);
      expect(tool.description?.length ?? 0).toBeLessThan(120);
      expect(tool.inputSchema.type).toBe("object");
    }
    const run = tools.find((tool) => tool.name === "run_script");
    expect(run?.inputSchema.required).toEqual(["code"]);
  });

  it("list_hosts shows the managed Blender", async () => {
    const answer = await call(client(), "list_hosts");
    expect(answer.isError).toBe(false);
    expect(answer.text).toMatch(/^blender-\d+ {2}blender \d+\.\d+\S* \(python\) .*managed/m);
  });

  it("run_script returns the value of the last expression, with logs", async () => {
    const answer = await call(client(), "run_script", {
      code: "print('hello from blender')\nsum(range(10)) * len(bpy.data.cameras)",
    });
    expect(answer.isError).toBe(false);
    expect(answer.text).toMatch(/^outcome: ok \(\d+ ms, host blender-\d+\)/);
    expect(answer.text).toContain("value: 45");
    expect(answer.text).toContain("logs:\nhello from blender");
  });

  it("a script that raises is a tool error with the message and its line", async () => {
    const answer = await call(client(), "run_script", {
      code: "x = 1\ny = 0\nprint('before')\nx / y",
      app: "blender",
    });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/^outcome: error/);
    expect(answer.text).toMatch(/error at line 4.*: ZeroDivisionError: division by zero/);
    expect(answer.text).toContain("before");
  });

  it("a syntax error is a tool error with its line, and nothing ran", async () => {
    const answer = await call(client(), "run_script", {
      code: "bpy.data.objects['Cube'].name = 'SW_Never'\nif True\n  pass",
    });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/^outcome: error/);
    expect(answer.text).toMatch(/error at line 2, column \d+: SyntaxError/);
    const cube = await call(client(), "run_script", { code: "'Cube' in bpy.data.objects" });
    expect(cube.text).toContain("value: true");
  });

  it("caps a huge value with a marker saying how to get the rest", async () => {
    const answer = await call(client(), "run_script", { code: "'x' * 200000" });
    expect(answer.isError).toBe(false);
    expect(answer.text.length).toBeLessThan(MCP_LIMITS.maxChars + 300);
    expect(answer.text.length).toBeGreaterThan(MCP_LIMITS.maxChars);
    expect(answer.text).toMatch(/\[result truncated: \d+ more characters; return a smaller part/);
  });

  it("check_script reports syntax errors and risks without running anything", async () => {
    const risky = await call(client(), "check_script", { code: "import os\nos.remove('/tmp/x')" });
    expect(risky.isError).toBe(false);
    expect(risky.text).toMatch(/^2:1 warning .*os\.remove/m);
    const es6 = await call(client(), "check_script", {
      code: "var a = 1;\nlet b = 2;",
      language: "extendscript",
    });
    expect(es6.text).toMatch(/^2:1 error .*let/m);
    const clean = await call(client(), "check_script", { code: "1 + 1", app: "blender" });
    expect(clean.text).toBe("no problems found (python)");
  });

  it("search_docs, read_doc and list_docs read the app's reference, paged with a marker", async () => {
    const hits = await call(client(), "search_docs", { query: "add a text layer", app: "aftereffects" });
    expect(hits.isError).toBe(false);
    expect(hits.text).toContain("classes/LayerCollection.md#addText");

    const member = await call(client(), "read_doc", {
      path: "classes/LayerCollection.md#addText",
      app: "aftereffects",
    });
    expect(member.text).toMatch(/addText\(sourceText\?: string \| TextDocument\): TextLayer/);

    const first = await call(client(), "read_doc", { path: "classes/Project.md", app: "aftereffects" });
    const marker = /\[more: read_doc (\{.*\})\]$/.exec(first.text);
    expect(marker).not.toBeNull();
    const next = JSON.parse(marker![1]!) as { path: string; app: string; offset: number };
    expect(next).toMatchObject({ path: "classes/Project.md", app: "aftereffects" });
    expect(next.offset).toBeGreaterThan(1000);
    const second = await call(client(), "read_doc", next);
    expect(second.isError).toBe(false);
    expect(second.text.slice(0, 200)).not.toBe(first.text.slice(0, 200));

    const root = await call(client(), "list_docs", { app: "aftereffects" });
    expect(root.text).toMatch(/^classes\/ \(\d+ files\)$/m);
    const classes = await call(client(), "list_docs", { path: "classes/", app: "aftereffects" });
    expect(classes.text).toMatch(/^classes\/LayerCollection\.md — /m);

    const missing = await call(client(), "read_doc", { path: "classes/NoSuchClass.md", app: "aftereffects" });
    expect(missing.isError).toBe(true);
  });

  it("get_app_state summarises the open scene", async () => {
    const answer = await call(client(), "get_app_state", {});
    expect(answer.isError).toBe(false);
    expect(answer.text).toMatch(/^outcome: ok/);
    expect(answer.text).toMatch(/"objectsByType":\{[^}]*"CAMERA":1/);
  });

  it("list_macros shows the starters with their parameters; run_macro runs one", async () => {
    const list = await call(client(), "list_macros", { app: "blender" });
    expect(list.text).toContain("add-cubes (blender) — Add `count` cubes");
    expect(list.text).toContain("params: count: integer, size?: number");

    const ran = await call(client(), "run_macro", { name: "add-cubes", params: { count: 2, size: 0.5 } });
    expect(ran.isError).toBe(false);
    const names = JSON.parse(/^value: (.*)$/m.exec(ran.text)![1]!) as string[];
    expect(names).toHaveLength(2);
    const check = await call(client(), "run_script", {
      code: `[round(bpy.data.objects[n].dimensions.x, 3) for n in ${JSON.stringify(names)}]`,
    });
    expect(check.text).toContain("value: [0.5,0.5]");

    const invalid = await call(client(), "run_macro", { name: "add-cubes", params: { count: 0 } });
    expect(invalid.isError).toBe(true);
    expect(invalid.text).toMatch(/count/);
    const unknown = await call(client(), "run_macro", { name: "no-such-macro" });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/no-such-macro/);
  });
}
