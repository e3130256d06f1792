// Streamable HTTP MCP at /mcp. The Host/Origin guard (DNS rebinding, cross-site requests)
// has already run for this request, as for every route, so the SDK's own copy of that check
// stays off. Then the bearer token, JSON bodies only, and a fresh McpServer and transport per
// request: stateless mode, as the SDK advises when no server-to-client stream is needed; the
// only state (scripts waiting for approval) lives in the bridge, not in an MCP session.
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import express, { Router } from "express";
import type { Logger } from "../logger.js";
import { requireJsonBody, requireToken } from "../server/request-guards.js";
import type { McpBackend } from "./backend.js";
import { createMcpServer } from "./tools.js";

export interface McpRouteOptions {
  token: string;
  backend: McpBackend;
  logger: Logger;
  maxBodyBytes: number;
}

export function mcpRoute(options: McpRouteOptions): Router {
  const router = Router();
  router.use(requireToken(options.token), requireJsonBody);
  router.post(
    "/",
    express.json({ limit: options.maxBodyBytes, strict: true, type: "application/json" }),
    async (req, res) => {
      const server = createMcpServer(options.backend);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      transport.onerror = (error) => options.logger.warn({ err: error.message }, "mcp transport error");
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    },
  );
  // Stateless: no server-to-client stream to open (GET) and no session to end (DELETE).
  router.all("/", (_req, res) => {
    res.setHeader("Allow", "POST");
    res.status(405).json({
      jsonrpc: "2.0",
      error: { code: -32000, message: "Method not allowed: this MCP endpoint is stateless; POST only" },
      id: null,
    });
  });
  return router;
}
