// The bridge process: HTTP API, /ws/host for panels, managed headless hosts, bridge.json.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import type { Adapter, LanguageKit } from "../../adapters/types.js";
import type { ModelFlags } from "../agent/model-config.js";
import { SessionManager } from "../agent/session-manager.js";
import { Capturer } from "../capture/capture.js";
import { Checkpoints } from "../checkpoints/checkpoints.js";
import type { CheckpointLimits } from "../checkpoints/store.js";
import { ensurePrivateDir } from "../data-dir.js";
import { DEFAULT_PORT, removeBridgeFile, writeBridgeFile } from "../discovery.js";
import { AutoDocs } from "../docs/auto-docs.js";
import { DocsService } from "../docs/docs-service.js";
import { HostPool } from "../hosts/host-pool.js";
import { acceptHostSocket, HELLO_MAX_PAYLOAD } from "../hosts/host-socket.js";
import { createLogger, type Logger } from "../logger.js";
import { TestResults } from "../macro-tests/results.js";
import { TestHosts } from "../macro-tests/test-hosts.js";
import { MacroStore } from "../macros/store.js";
import type { HeadlessSpec } from "../managed/headless-spec.js";
import { Supervisor } from "../managed/supervisor.js";
import { McpApprovalQueue } from "../mcp/approvals.js";
import { directBackend } from "../mcp/backend.js";
import { McpGate } from "../mcp/gate.js";
import { PairingCodes } from "../pairing/pairing-codes.js";
import { PairingStore } from "../pairing/pairing-store.js";
import { Dispatcher } from "../runs/dispatcher.js";
import { checkRequest, type GuardConfig } from "../security/origin-guard.js";
import { registerSecret } from "../security/redact.js";
import { newToken } from "../security/token.js";
import { VERSION } from "../version.js";
import { acceptClientSocket } from "./client-socket.js";
import { createHttpApp } from "./http-app.js";

export interface BridgeOptions {
  dataDir: string;
  /** 0 = any free port. */
  port?: number;
  token?: string;
  allowedOrigins?: string[];
  headless?: HeadlessSpec[];
  logger?: Logger;
  adapters: ReadonlyMap<string, Adapter>;
  kits: ReadonlyMap<string, LanguageKit>;
  heartbeatMs?: number;
  helloTimeoutMs?: number;
  /** Largest WebSocket frame an authenticated host may send; bigger closes the socket with 1009. */
  maxPayloadBytes?: number;
  maxBodyBytes?: number;
  maxQueuePerHost?: number;
  queueTimeoutMs?: number;
  hangGraceMs?: number;
  managedConnectTimeoutMs?: number;
  /** Environment for the model client (SCRIPTWRIGHT_PROVIDER, the keys, base URLs, SCRIPTWRIGHT_MODEL); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Model settings from `serve`'s command line (--provider, --base-url, --model, --small-model). */
  modelFlags?: ModelFlags;
  /** Write bridge.json (off for embedded bridges in benchmarks). */
  writeDiscovery?: boolean;
  /** Scripts from /mcp clients run without a person's approval (`serve --mcp-auto-approve`). */
  mcpAutoApprove?: boolean;
  /** Docs are built on first need and synced when a host of a new version connects (default on). */
  autoDocs?: boolean;
  /** How long a docs call waits for a build in progress before saying it is still running (45 s: under MCP clients' 60 s). */
  docsWaitMs?: number;
  /** Checkpoints kept per host for `undo` (default 10, 512 MiB). */
  checkpointLimits?: CheckpointLimits;
}

export class PortInUseError extends ScriptwrightError {
  override name = "PortInUseError";
  constructor(message: string) {
    super("port-in-use", message);
  }
}

export class Bridge {
  readonly token: string;
  readonly pool = new HostPool();
  readonly logger: Logger;
  readonly dispatcher: Dispatcher;
  /** What `undo` puts back: a checkpoint before each person's run that may change the document. */
  readonly checkpoints: Checkpoints;
  /** Pictures of what is open in a host's app (POST /api/capture, the agent, MCP). */
  readonly capturer: Capturer;
  readonly docs: DocsService;
  readonly autoDocs: AutoDocs;
  readonly sessions: SessionManager;
  readonly macros: MacroStore;
  /** Macro tests: headless hosts of their own (started on first use) and results per version. */
  readonly macroTests: { hosts: TestHosts; results: TestResults };
  readonly mcpGate: McpGate;
  /** Panels paired once (pairings.json) and the short codes that pair them. */
  readonly pairings: PairingStore;
  readonly pairingCodes = new PairingCodes();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  /** Session watchers send one small subscribe frame. */
  private readonly clientWss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private supervisor: Supervisor | null = null;
  private boundPort = 0;
  private stopped = false;

  constructor(private readonly options: BridgeOptions) {
    ensurePrivateDir(options.dataDir);
    this.token = options.token ?? newToken();
    registerSecret(this.token, "bridge token");
    this.logger = options.logger ?? createLogger(options.dataDir);
    this.pairings = new PairingStore(options.dataDir);
    if (this.pairings.problem) this.logger.error({ err: this.pairings.problem }, "pairings unreadable");
    this.checkpoints = new Checkpoints({
      root: join(options.dataDir, "checkpoints"),
      pool: this.pool,
      adapters: options.adapters,
      kits: options.kits,
      logger: this.logger,
      run: (call) => this.dispatcher.run(call),
      queueTimeoutMs: options.queueTimeoutMs ?? 120_000,
      limits: options.checkpointLimits,
    });
    this.dispatcher = new Dispatcher({
      pool: this.pool,
      kits: options.kits,
      adapters: options.adapters,
      queueTimeoutMs: options.queueTimeoutMs ?? 120_000,
      checkpoints: this.checkpoints,
    });
    this.capturer = new Capturer({
      pool: this.pool,
      adapters: options.adapters,
      dispatcher: this.dispatcher,
      dataDir: options.dataDir,
    });
    this.docs = new DocsService(options.dataDir, options.adapters);
    this.autoDocs = new AutoDocs({
      docs: this.docs,
      pool: this.pool,
      dispatcher: this.dispatcher,
      logger: this.logger,
      enabled: options.autoDocs !== false,
      waitMs: options.docsWaitMs ?? 45_000,
    });
    this.macros = new MacroStore(options.dataDir, { adapters: options.adapters });
    this.macroTests = {
      hosts: new TestHosts({
        adapters: options.adapters,
        dataDir: options.dataDir,
        logger: this.logger,
        // A bridge of their own, as a batch job has: its hosts are nobody else's.
        makeBridge: (embedded) =>
          new Bridge({
            ...embedded,
            port: 0,
            kits: options.kits,
            adapters: options.adapters,
            writeDiscovery: false,
            autoDocs: false,
          }),
      }),
      results: new TestResults(options.dataDir),
    };
    this.sessions = new SessionManager({
      dataDir: options.dataDir,
      docs: this.docs,
      dispatcher: this.dispatcher,
      pool: this.pool,
      kits: options.kits,
      adapters: options.adapters,
      macros: this.macros,
      capturer: this.capturer,
      logger: this.logger,
      env: options.env,
      modelFlags: options.modelFlags,
    });
    this.mcpGate = new McpGate({
      pool: this.pool,
      kits: options.kits,
      adapters: options.adapters,
      dispatcher: this.dispatcher,
      macros: this.macros,
      queue: new McpApprovalQueue({ dataDir: options.dataDir, sessions: this.sessions }),
      baseUrl: () => this.url,
    });
    const mcpBackend = directBackend({
      pool: this.pool,
      kits: options.kits,
      adapters: options.adapters,
      dispatcher: this.dispatcher,
      capturer: this.capturer,
      docs: this.docs,
      macros: this.macros,
      gate: this.mcpGate,
      approval: options.mcpAutoApprove ? "auto" : "ask",
    });
    const app = createHttpApp({
      guard: () => this.guardConfig(),
      token: this.token,
      pool: this.pool,
      adapters: options.adapters,
      kits: options.kits,
      dispatcher: this.dispatcher,
      capturer: this.capturer,
      checkpoints: this.checkpoints,
      docs: this.docs,
      autoDocs: this.autoDocs,
      sessions: this.sessions,
      macros: this.macros,
      macroTests: this.macroTests,
      pairings: { store: this.pairings, codes: this.pairingCodes },
      mcp: { gate: this.mcpGate, backend: mcpBackend },
      dataDir: options.dataDir,
      logger: this.logger,
      maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
    });
    this.server = createServer(app);
    this.server.keepAliveTimeout = 60_000;
    // Frames stay tiny until a host's hello is authenticated; acceptHostSocket then raises the
    // limit of that one socket (compression stays off: it would keep a limit of its own).
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: HELLO_MAX_PAYLOAD,
      perMessageDeflate: false,
    });
    this.server.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head));
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  get managed(): Supervisor | null {
    return this.supervisor;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(
          error.code === "EADDRINUSE"
            ? new PortInUseError(`port ${this.options.port} is already in use (another bridge? try --port 0)`)
            : error,
        );
      };
      this.server.once("error", onError);
      this.server.listen(this.options.port ?? DEFAULT_PORT, "127.0.0.1", () => {
        this.server.off("error", onError);
        resolve();
      });
    });
    const address = this.server.address();
    this.boundPort = typeof address === "object" && address ? address.port : 0;
    if (this.options.writeDiscovery !== false) {
      writeBridgeFile(this.options.dataDir, {
        url: this.url,
        port: this.boundPort,
        token: this.token,
        pid: process.pid,
        version: VERSION,
      });
    }
    this.logger.info({ port: this.boundPort, version: VERSION }, "bridge listening");
    this.autoDocs.start();
    if (this.options.headless?.length) {
      this.supervisor = new Supervisor({
        pool: this.pool,
        logger: this.logger,
        bridgeUrl: `ws://127.0.0.1:${this.boundPort}/ws/host`,
        token: this.token,
        logDir: ensurePrivateDir(join(this.options.dataDir, "logs")),
        hangGraceMs: this.options.hangGraceMs ?? 2000,
        connectTimeoutMs: this.options.managedConnectTimeoutMs ?? 60_000,
      });
      this.supervisor.start(this.options.headless);
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.logger.info("bridge stopping");
    this.sessions.cancelAll();
    this.autoDocs.stop();
    await Promise.all([this.supervisor?.stop(), this.macroTests.hosts.stop()]);
    this.checkpoints.close();
    for (const client of [...this.wss.clients, ...this.clientWss.clients])
      client.close(1001, "bridge shutting down");
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.wss.close();
    this.clientWss.close();
    if (this.options.writeDiscovery !== false) removeBridgeFile(this.options.dataDir);
    this.logger.info("bridge stopped");
    this.logger.flush();
  }

  private guardConfig(): GuardConfig {
    return { port: this.boundPort, allowedOrigins: this.options.allowedOrigins ?? [] };
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const verdict = checkRequest(req.headers, this.guardConfig());
    const path = (req.url ?? "").split("?")[0];
    if (verdict.ok && path === "/ws/client") {
      this.clientWss.handleUpgrade(req, socket, head, (ws) =>
        acceptClientSocket(ws, { token: this.token, sessions: this.sessions }),
      );
      return;
    }
    if (!verdict.ok || path !== "/ws/host") {
      const status = verdict.ok ? "404 Not Found" : "403 Forbidden";
      this.logger.warn({ path, reason: verdict.ok ? "unknown path" : verdict.reason }, "upgrade refused");
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.binaryType = "nodebuffer";
      acceptHostSocket(ws, {
        token: this.token,
        pairings: this.pairings,
        codes: this.pairingCodes,
        pool: this.pool,
        logger: this.logger,
        heartbeatMs: this.options.heartbeatMs ?? 10_000,
        helloTimeoutMs: this.options.helloTimeoutMs ?? 10_000,
        maxQueue: this.options.maxQueuePerHost ?? 64,
        maxPayloadBytes: this.options.maxPayloadBytes ?? 32 * 1024 * 1024,
      });
    });
  }
}
