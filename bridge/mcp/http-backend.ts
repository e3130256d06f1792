// The MCP tools of `scriptwright mcp` (stdio) reach the running bridge over its HTTP API with
// the token from bridge.json. The approval policy still runs in the bridge (POST
// /api/mcp/run), where the chat panel that approves scripts lives.
import type { Adapter, LanguageKit } from "../../adapters/types.js";
import type { CaptureResponse } from "../capture/response.js";
import type { BridgeClient } from "../client/bridge-client.js";
import type { ListAnswer, ReadAnswer, SearchAnswer } from "../docs/docs-service.js";
import type { HostInfo } from "../hosts/host.js";
import type { MacroSummary } from "../macros/store.js";
import type { RunResponse } from "../runs/outcome.js";
import type { McpBackend } from "./backend.js";
import type { GatedRunAnswer, McpApproval } from "./gate.js";

export interface HttpBackendOptions {
  /** The bridge to talk to; called per request, so a restarted bridge (new port and token) is found. */
  client: () => Promise<BridgeClient>;
  approval: McpApproval;
  kits: ReadonlyMap<string, LanguageKit>;
  adapters: ReadonlyMap<string, Adapter>;
}

export function httpBackend(options: HttpBackendOptions): McpBackend {
  const get = async <T>(path: string, query: Record<string, string | number | undefined> = {}) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const search = params.size ? `?${params}` : "";
    return (await options.client()).get<T>(`${path}${search}`);
  };
  return {
    kits: options.kits,
    adapters: options.adapters,
    hosts: () => get<HostInfo[]>("/api/hosts"),
    run: async (request, signal) =>
      (await options.client()).post<GatedRunAnswer>(
        "/api/mcp/run",
        { ...request, approval: options.approval },
        signal,
      ),
    appState: async (hostId, signal) =>
      (await options.client()).get<RunResponse>(`/api/hosts/${encodeURIComponent(hostId)}/state`, signal),
    capture: async (request, signal) =>
      (await options.client()).post<CaptureResponse>("/api/capture", request, signal),
    searchDocs: (app, q, limit, language) =>
      get<SearchAnswer>("/api/docs/search", { app, q, limit, language }),
    readDoc: (app, path, offset, language) =>
      get<ReadAnswer>("/api/docs/read", { app, path, offset, language }),
    listDocs: (app, path, language) => get<ListAnswer>("/api/docs/ls", { app, path, language }),
    macros: () => get<MacroSummary[]>("/api/macros"),
  };
}
