// The MCP tools, one definition for both transports (stdio and /mcp), over McpBackend.
// Descriptions are short on purpose: a client sends the whole list to its model on every
// request (bench/mcp-tokens.ts measures it). Results are the agent's compact text
// (tool-text.ts), capped well under what clients accept (~25k tokens) with a marker.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { captureCaption } from "../capture/response.js";
import { docsLanguagesOf } from "../docs/doc-languages.js";
import type { HostInfo } from "../hosts/host.js";
import type { MacroSummary } from "../macros/store.js";
import { diagnose, formatDiagnostic } from "../runs/diagnose.js";
import type { RunResponse } from "../runs/outcome.js";
import { redact } from "../security/redact.js";
import { cap, formatDocPage, formatListing, formatRun, formatSearch, type TextLimits } from "../tool-text.js";
import { VERSION } from "../version.js";
import type { McpBackend } from "./backend.js";
import type { GatedRunAnswer } from "./gate.js";

/** About 15k tokens of text: clients cap a tool result near 25k tokens. */
export const MCP_LIMITS: TextLimits = { maxChars: 60_000, maxLogChars: 16_000 };

export const MCP_TOOL_NAMES = [
  "list_hosts",
  "run_script",
  "check_script",
  "search_docs",
  "read_doc",
  "list_docs",
  "get_app_state",
  "capture",
  "list_macros",
  "run_macro",
] as const;

export interface McpToolOptions {
  /** The app a call means when it names neither app nor host (`scriptwright mcp --app`). */
  defaultApp?: string;
}

const INSTRUCTIONS =
  "Scriptwright runs code inside desktop apps (Blender: Python with bpy). Look the API up with search_docs/read_doc, then do a whole task in one run_script; its last expression is the result.";

// Described once (run_script): every tool's list goes to the model, and these mean the same everywhere.
const app = z.string().optional();
const host = z.string().optional();
const docsLanguage = z.string().optional();

export function createMcpServer(backend: McpBackend, options: McpToolOptions = {}): McpServer {
  const server = new McpServer({ name: "scriptwright", version: VERSION }, { instructions: INSTRUCTIONS });
  const tools = new McpTools(backend, options);

  server.registerTool("list_hosts", { description: "List the connected app instances (hosts)." }, async () =>
    text(formatHosts(await backend.hosts())),
  );
  server.registerTool(
    "run_script",
    {
      description:
        "Run a script in the app. Returns the value of its last expression and logs, or the error with its line.",
      inputSchema: {
        code: z.string().describe("the whole script"),
        app: app.describe("e.g. blender (default: the connected app)"),
        host: host.describe("from list_hosts"),
        description: z.string().optional().describe("one line for the person approving it"),
      },
    },
    async (input, extra) =>
      answerRun(
        await backend.run(
          { code: input.code, ...tools.target(input), description: input.description },
          extra.signal,
        ),
      ),
  );
  server.registerTool(
    "check_script",
    {
      description: "Check a script without running it: preflight errors and risk flags.",
      inputSchema: {
        code: z.string(),
        app,
        language: z.string().optional().describe("instead of app, e.g. python"),
      },
    },
    async (input) => tools.check(input.code, input.app, input.language),
  );
  server.registerTool(
    "search_docs",
    {
      description: "Search the app's API reference. Returns paths, symbols and snippets.",
      inputSchema: {
        query: z.string(),
        app,
        limit: z.number().int().min(1).max(50).optional(),
        language: docsLanguage.describe("which reference, e.g. uxp-js (default: the connected host's)"),
      },
    },
    async (input) => {
      const docs = await tools.docs(input);
      const answer = await backend.searchDocs(docs.app, input.query, input.limit ?? 8, docs.language);
      return text(formatSearch(answer, input.query));
    },
  );
  server.registerTool(
    "read_doc",
    {
      description: "Read a reference file or member (8 KB a page).",
      inputSchema: {
        path: z.string().describe("from search_docs or list_docs, e.g. classes/Foo.md#bar"),
        app,
        offset: z.number().int().min(0).max(1e9).optional(),
        language: docsLanguage,
      },
    },
    async (input) => {
      const docs = await tools.docs(input);
      const page = await backend.readDoc(docs.app, input.path, input.offset, docs.language);
      const nextArgs = {
        ...(input.app ? { app: input.app } : {}),
        ...(input.language ? { language: input.language } : {}),
      };
      return text(formatDocPage(page, { nextArgs }));
    },
  );
  server.registerTool(
    "list_docs",
    {
      description: "List the reference tree: groups at the root, files in a group.",
      inputSchema: { path: z.string().optional(), app, language: docsLanguage },
    },
    async (input) => {
      const docs = await tools.docs(input);
      return text(formatListing(await backend.listDocs(docs.app, input.path ?? "", docs.language)));
    },
  );
  server.registerTool(
    "get_app_state",
    {
      description: "Summarise what is open in the app (document, selection, counts).",
      inputSchema: { app, host },
    },
    async (input, extra) => answerResult(await backend.appState(await tools.host(input), extra.signal)),
  );
  server.registerTool(
    "capture",
    {
      description: "A picture of what is open in the app; several frames or views make one labelled sheet.",
      inputSchema: {
        app,
        host,
        frames: z.array(z.number().int()).optional().describe("frame numbers"),
        views: z.array(z.string()).optional().describe("Blender: camera, front, side, top, persp, viewport"),
        range: z.string().optional().describe("a sheet's cell range"),
        width: z.number().int().optional().describe("longest side in px (default 1024, at most 1568)"),
      },
    },
    async (input, extra) => {
      const { app: _app, host: _host, ...options } = input;
      const capture = await backend.capture({ ...tools.target(input), ...options }, extra.signal);
      return {
        content: [
          { type: "text", text: redact(`picture of ${captureCaption(capture)}`) },
          ...capture.images.map((image) => ({
            type: "image" as const,
            data: image.data,
            mimeType: image.mediaType,
          })),
        ],
      };
    },
  );
  server.registerTool(
    "list_macros",
    { description: "List saved macros (scripts with typed parameters).", inputSchema: { app } },
    async (input) => {
      const macros = await backend.macros();
      return text(formatMacros(input.app ? macros.filter((macro) => macro.app === input.app) : macros));
    },
  );
  server.registerTool(
    "run_macro",
    {
      description: "Run a saved macro with parameters.",
      inputSchema: { name: z.string(), params: z.record(z.string(), z.unknown()).optional(), app, host },
    },
    async (input, extra) =>
      answerRun(
        await backend.run(
          // A macro knows its app: only an explicit app or host narrows where it runs.
          { macro: { name: input.name, params: input.params }, app: input.app, host: input.host },
          extra.signal,
        ),
      ),
  );
  return server;
}

/** Where calls go when they leave app and host out. */
class McpTools {
  constructor(
    private readonly backend: McpBackend,
    private readonly options: McpToolOptions,
  ) {}

  target(input: { app?: string; host?: string }): { app?: string; host?: string } {
    if (input.host) return { host: input.host, ...(input.app ? { app: input.app } : {}) };
    const app = input.app ?? this.options.defaultApp;
    return app ? { app } : {};
  }

  /** The named app, else the default, else the one app whose hosts are connected (`hosts`, if listed). */
  async app(named: string | undefined, hosts?: HostInfo[]): Promise<string> {
    const chosen = named ?? this.options.defaultApp;
    if (chosen) return chosen;
    const apps = [...new Set((hosts ?? (await this.backend.hosts())).map((host) => host.app))];
    if (apps.length === 1) return apps[0]!;
    const known = [...this.backend.adapters.keys()].join(", ");
    throw new Error(
      apps.length
        ? `several apps are connected (${apps.join(", ")}): pass app`
        : `no app is connected: pass app (one of ${known})`,
    );
  }

  /**
   * The app, and the reference to read: the named language, else the one its connected hosts
   * speak when the app has a reference in it (a UXP Premiere reads the UXP one, a CEP one the
   * ExtendScript one), else the app's default.
   */
  async docs(input: { app?: string; language?: string }): Promise<{ app: string; language?: string }> {
    if (input.language) return { app: await this.app(input.app), language: input.language };
    const hosts = await this.backend.hosts();
    const app = await this.app(input.app, hosts);
    const spoken = new Set(hosts.filter((h) => h.app === app).map((h) => h.language));
    const [language] = spoken;
    return spoken.size === 1 && docsLanguagesOf(this.backend.adapters, app).includes(language!)
      ? { app, language }
      : { app };
  }

  /** A host id: the named one, else the least busy host of the app. */
  async host(input: { app?: string; host?: string }): Promise<string> {
    if (input.host) return input.host;
    const app = await this.app(input.app);
    const candidates = (await this.backend.hosts()).filter((host) => host.app === app);
    const best = candidates.sort((a, b) => Number(a.busy) - Number(b.busy) || a.queued - b.queued)[0];
    if (!best) throw new Error(`no connected host for app "${app}"`);
    return best.id;
  }

  /** The kit of the language named, else of the app's language (named, default or connected). */
  async check(code: string, app: string | undefined, language: string | undefined): Promise<CallToolResult> {
    let lang = language;
    let adapter = app ? this.backend.adapters.get(app) : undefined;
    if (!lang) {
      const appId = await this.app(app);
      adapter = this.backend.adapters.get(appId);
      lang = adapter?.language;
      if (!lang)
        throw new Error(`unknown app "${appId}" (known: ${[...this.backend.adapters.keys()].join(", ")})`);
    }
    const kit = this.backend.kits.get(lang);
    if (!kit)
      throw new Error(`no language kit for "${lang}" (known: ${[...this.backend.kits.keys()].join(", ")})`);
    const diagnostics = diagnose(kit, adapter, code);
    if (!diagnostics.length) return text(`no problems found (${kit.language})`);
    return text(diagnostics.map(formatDiagnostic).join("\n"));
  }
}

function text(content: string, isError = false): CallToolResult {
  return {
    content: [{ type: "text", text: cap(redact(content), MCP_LIMITS.maxChars, "result") }],
    ...(isError ? { isError } : {}),
  };
}

/** A script that did not end `ok` is a tool error: the client's model reads the message and line. */
function answerResult(result: RunResponse, prefix = ""): CallToolResult {
  return text(`${prefix}${formatRun(result, MCP_LIMITS)}`, result.outcome !== "ok");
}

function answerRun(answer: GatedRunAnswer): CallToolResult {
  switch (answer.status) {
    case "ran":
      return answerResult(
        answer.result,
        answer.edited
          ? "The user edited the script before approving it; this is their version's result.\n"
          : "",
      );
    case "denied":
      return text(`not run: ${answer.reason}`, true);
    case "awaiting-approval": {
      const risks = answer.risks.length
        ? ` Flagged: ${answer.risks.map((risk) => risk.reason).join("; ")}.`
        : "";
      const state = answer.asked ? "needs the user's approval" : "is still waiting for the user's approval";
      return text(
        `not run yet: the script ${state}.${risks} Ask the user to approve it in the Scriptwright chat panel at ${answer.panelUrl} (History, session ${answer.sessionId}), then call this tool again with the same arguments.`,
        true,
      );
    }
  }
}

function formatHosts(hosts: HostInfo[]): string {
  if (!hosts.length)
    return "no host is connected: start one with `scriptwright serve --headless blender`, or open the app with its Scriptwright panel";
  return hosts
    .map((host) => {
      const state = `${host.busy ? `busy, ${host.queued} queued` : "idle"}, ${host.managed ? "managed" : "interactive"}`;
      const name = host.name !== host.id ? `  name: ${host.name}` : "";
      return `${host.id}  ${host.app} ${host.appVersion} (${host.language})${name}  document: ${host.document ?? "none"}  [${state}]`;
    })
    .join("\n");
}

function formatMacros(macros: MacroSummary[]): string {
  if (!macros.length) return "no macros";
  return macros
    .map((macro) => {
      const required = new Set(macro.params.required ?? []);
      const params = Object.entries(macro.params.properties ?? {}).map(([name, schema]) => {
        const type = (schema as { type?: unknown }).type;
        return `${name}${required.has(name) ? "" : "?"}: ${typeof type === "string" ? type : "any"}`;
      });
      return `${macro.name} (${macro.app}) — ${macro.description}\n  params: ${params.join(", ") || "none"}`;
    })
    .join("\n");
}
