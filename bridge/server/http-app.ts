// The HTTP API. Every request passes the Host/Origin guard; every /api route but health
// needs the bearer token, and so does /mcp (MCP over Streamable HTTP); POST bodies must be JSON.
import express from "express";
import { appInfos } from "../../adapters/app-info.js";
import type { Adapter, LanguageKit } from "../../adapters/types.js";
import type { SessionManager } from "../agent/session-manager.js";
import type { Capturer } from "../capture/capture.js";
import type { Checkpoints } from "../checkpoints/checkpoints.js";
import type { AutoDocs } from "../docs/auto-docs.js";
import type { DocsService } from "../docs/docs-service.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { Logger } from "../logger.js";
import type { TestResults } from "../macro-tests/results.js";
import type { TestHosts } from "../macro-tests/test-hosts.js";
import type { MacroStore } from "../macros/store.js";
import { mcpApiRoutes } from "../mcp/api-route.js";
import type { McpBackend } from "../mcp/backend.js";
import type { McpGate } from "../mcp/gate.js";
import { mcpRoute } from "../mcp/http-route.js";
import type { PairingCodes } from "../pairing/pairing-codes.js";
import type { PairingStore } from "../pairing/pairing-store.js";
import { PROTOCOL_VERSION } from "../protocol/messages.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import { RunRequest } from "../runs/outcome.js";
import { runStateProbe } from "../runs/state-probe.js";
import { checkRequest, type GuardConfig } from "../security/origin-guard.js";
import { VERSION } from "../version.js";
import { firstIssueText } from "../zod-issue.js";
import { captureRoutes, sessionPicture } from "./capture-routes.js";
import { configRoutes } from "./config-routes.js";
import { docsRoutes } from "./docs-routes.js";
import { errorHandler } from "./error-handler.js";
import { macroRoutes } from "./macro-routes.js";
import { modelRoutes } from "./model-routes.js";
import { pairingRoutes } from "./pairing-routes.js";
import { requireJsonBody, requireToken, sendError } from "./request-guards.js";
import { sessionRoutes } from "./session-routes.js";
import { undoRoutes } from "./undo-routes.js";
import { webUi } from "./web-ui.js";

export interface HttpAppOptions {
  guard: () => GuardConfig;
  token: string;
  pool: HostPool;
  adapters: ReadonlyMap<string, Adapter>;
  kits: ReadonlyMap<string, LanguageKit>;
  dispatcher: Dispatcher;
  capturer: Capturer;
  /** What `undo` puts back (POST /api/undo, /api/hosts/:id/undo). */
  checkpoints: Checkpoints;
  docs: DocsService;
  autoDocs: AutoDocs;
  sessions: SessionManager;
  macros: MacroStore;
  /** Panels paired once and the codes that pair them (/api/pairings). */
  pairings: { store: PairingStore; codes: PairingCodes };
  /** Where macro tests run (hosts of their own) and their results are kept. */
  macroTests?: { hosts: TestHosts; results: TestResults };
  /** Scripts from MCP clients under the approval policy; the tools /mcp serves. */
  mcp: { gate: McpGate; backend: McpBackend };
  dataDir: string;
  logger: Logger;
  maxBodyBytes: number;
}

export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);

  app.use((req, res, next) => {
    const verdict = checkRequest(req.headers, options.guard());
    if (!verdict.ok) {
      options.logger.warn({ method: req.method, path: req.path, reason: verdict.reason }, "request refused");
      sendError(res, 403, "forbidden", verdict.reason);
      return;
    }
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Referrer-Policy", "no-referrer");
    next();
  });

  app.use((req, res, next) => {
    const started = performance.now();
    res.on("finish", () => {
      // Only the path: a query string may carry a token one day.
      options.logger.debug(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        "http",
      );
    });
    next();
  });

  app.get("/api/health", (_req, res) => {
    res.json({ ok: true, version: VERSION, protocol: PROTOCOL_VERSION });
  });

  app.use("/api", requireToken(options.token), requireJsonBody);

  app.use("/api", express.json({ limit: options.maxBodyBytes, strict: true, type: "application/json" }));

  // The registry as clients need it: names, languages, what each app can do.
  app.get("/api/apps", (_req, res) => {
    res.json(appInfos(options.adapters, options.kits));
  });

  app.get("/api/hosts", (_req, res) => {
    res.json(options.pool.list());
  });

  // The adapter's state probe: a bounded summary of what is open in the app.
  app.get("/api/hosts/:id/state", async (req, res) => {
    res.json(await runStateProbe(options, req.params.id));
  });

  app.post("/api/run", async (req, res) => {
    const parsed = RunRequest.safeParse(req.body);
    if (!parsed.success) {
      sendError(res, 400, "bad-request", firstIssueText(parsed.error));
      return;
    }
    // A client that goes away stops waiting in the queue; a run already in the app is asked to cancel.
    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    const response = await options.dispatcher.run({ ...parsed.data, undoable: true, signal: abort.signal });
    options.logger.info(
      { host: response.hostId, outcome: response.outcome, ms: response.durationMs },
      "run finished",
    );
    res.json(response);
  });

  app.use("/api/capture", captureRoutes(options.capturer, options.logger));

  app.use("/api", undoRoutes(options.checkpoints));

  app.use("/api/docs", docsRoutes({ docs: options.docs, autoDocs: options.autoDocs }));

  app.get("/api/sessions/:id/pictures/:file", sessionPicture(options.dataDir));
  app.use("/api/sessions", sessionRoutes(options.sessions, options.dataDir));
  // The model and key sessions use (the chat panel shows a missing key before the first prompt).
  app.use("/api/config", configRoutes(options.sessions.config, options.logger));
  // The models the endpoint in effect offers (the chat panel's picker, `scriptwright models`).
  app.use("/api/models", modelRoutes(options.sessions));
  // Scripts waiting for approval in any session: the chat panel points to ones from elsewhere
  // (an MCP client, another window) so nobody waits on a session they have not opened.
  app.get("/api/approvals", (_req, res) => {
    res.json(
      options.sessions.waitingApprovals().map(({ sessionId, script }) => ({
        sessionId,
        scriptId: script.id,
        description: script.description,
        hostId: script.hostId,
        risks: script.risks.length,
      })),
    );
  });

  app.use(
    "/api/macros",
    macroRoutes({
      macros: options.macros,
      dispatcher: options.dispatcher,
      logger: options.logger,
      ...(options.macroTests ? { tests: options.macroTests } : {}),
    }),
  );

  app.use("/api/mcp", mcpApiRoutes(options.mcp.gate, options.logger));

  app.use("/api/pairings", pairingRoutes(options.pairings.store, options.pairings.codes, options.logger));

  app.use("/api", (req, res) => {
    sendError(res, 404, "not-found", `no route ${req.method} ${req.path}`);
  });

  app.use(
    "/mcp",
    mcpRoute({
      token: options.token,
      backend: options.mcp.backend,
      logger: options.logger,
      maxBodyBytes: options.maxBodyBytes,
    }),
  );

  // Everything else is the chat panel's static files.
  app.use(webUi());

  app.use(errorHandler(options));

  return app;
}
