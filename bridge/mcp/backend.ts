// What the MCP tools need from a bridge, as a small interface with two implementations:
// in the bridge process (/mcp) the tools call the dispatcher, docs and macros directly —
// no second hop over loopback and no token handed to itself; `scriptwright mcp` (stdio)
// talks to the running bridge over its HTTP API (http-backend.ts).
import type { Adapter, LanguageKit } from "../../adapters/types.js";
import type { Capturer } from "../capture/capture.js";
import type { CaptureRequest } from "../capture/request.js";
import { type CaptureResponse, captureResponse } from "../capture/response.js";
import type { DocsService, ListAnswer, ReadAnswer, SearchAnswer } from "../docs/docs-service.js";
import type { HostInfo } from "../hosts/host.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { MacroStore, MacroSummary } from "../macros/store.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import type { RunResponse } from "../runs/outcome.js";
import { runStateProbe } from "../runs/state-probe.js";
import type { GatedRunAnswer, GatedRunRequest, McpApproval, McpGate } from "./gate.js";

export interface McpBackend {
  hosts(): Promise<HostInfo[]>;
  /** A script or macro under the approval policy this backend was set up with. */
  run(request: GatedRunRequest, signal?: AbortSignal): Promise<GatedRunAnswer>;
  appState(hostId: string, signal?: AbortSignal): Promise<RunResponse>;
  /** A picture of the app (POST /api/capture); rejects with the capture's error. */
  capture(request: CaptureRequest, signal?: AbortSignal): Promise<CaptureResponse>;
  /** `language`: which of the app's references (default: its own language's). */
  searchDocs(app: string, query: string, limit: number, language?: string): Promise<SearchAnswer>;
  readDoc(app: string, path: string, offset?: number, language?: string): Promise<ReadAnswer>;
  listDocs(app: string, path: string, language?: string): Promise<ListAnswer>;
  macros(): Promise<MacroSummary[]>;
  /** check_script needs only a language kit, so it runs where the tools run. */
  readonly kits: ReadonlyMap<string, LanguageKit>;
  readonly adapters: ReadonlyMap<string, Adapter>;
}

export interface DirectParts {
  pool: HostPool;
  kits: ReadonlyMap<string, LanguageKit>;
  adapters: ReadonlyMap<string, Adapter>;
  dispatcher: Dispatcher;
  capturer: Capturer;
  docs: DocsService;
  macros: MacroStore;
  gate: McpGate;
  approval: McpApproval;
}

/** The tools inside the bridge process. A missing tree is made first when the bridge can (docs.ready). */
export function directBackend(parts: DirectParts): McpBackend {
  return {
    kits: parts.kits,
    adapters: parts.adapters,
    hosts: async () => parts.pool.list(),
    run: (request, signal) => parts.gate.run(request, parts.approval, signal),
    appState: (hostId, signal) => runStateProbe(parts, hostId, signal),
    capture: async ({ app, host, ...options }, signal) =>
      captureResponse(await parts.capturer.capture({ app, host }, options, signal)),
    searchDocs: async (app, query, limit, language) => {
      await parts.docs.ready(app, undefined, language);
      return parts.docs.search(app, query, { limit, language });
    },
    readDoc: async (app, path, offset, language) => {
      await parts.docs.ready(app, undefined, language);
      return parts.docs.read(app, path, { offset, language });
    },
    listDocs: async (app, path, language) => {
      await parts.docs.ready(app, undefined, language);
      return parts.docs.ls(app, path, { language });
    },
    macros: async () => parts.macros.list().macros,
  };
}
