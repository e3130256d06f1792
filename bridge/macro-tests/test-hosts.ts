// Hosts for macro tests: per app, one managed headless instance in a bridge of its own (port 0,
// no bridge.json, a pool of its own), as batch jobs have. A test's new documents then never
// replace a document that a person, a session or a batch is using, and nothing else runs on the
// host between a case's steps. Started on first use, kept warm for `idleMs` after the last test
// (so the next `macro test` starts at once), stopped with its owner. One test run per app at a
// time; others wait their turn.
import { join } from "node:path";
import type { Adapter } from "../../adapters/types.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { Logger } from "../logger.js";
import { type HeadlessSpec, parseHeadlessSpecs } from "../managed/headless-spec.js";
import type { Dispatcher } from "../runs/dispatcher.js";

/** What TestHosts needs of the bridge it starts (bridge-server's Bridge). */
export interface EmbeddedBridge {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly pool: HostPool;
  readonly dispatcher: Dispatcher;
  readonly managed: { waitUntilConnected(timeoutMs: number): Promise<void> } | null;
}

export type BridgeFactory = (options: {
  dataDir: string;
  headless: HeadlessSpec[];
  logger?: Logger;
}) => EmbeddedBridge;

export interface TestHost {
  dispatcher: Dispatcher;
  hostId: string;
  adapter: Adapter;
}

export interface TestHostsOptions {
  adapters: ReadonlyMap<string, Adapter>;
  /** The data dir; the test bridges keep their logs in <data-dir>/test-hosts/. */
  dataDir: string;
  makeBridge: BridgeFactory;
  logger?: Logger;
  /** How long a host stays up after its last test (default 5 minutes; 0: until stop()). */
  idleMs?: number;
  /** How long a starting host may take to connect (default 120 s). */
  connectTimeoutMs?: number;
}

interface AppHosts {
  bridge: Promise<EmbeddedBridge> | null;
  queue: Promise<unknown>;
  idle: NodeJS.Timeout | null;
}

export class TestHosts {
  private readonly apps = new Map<string, AppHosts>();
  private stopped = false;

  constructor(private readonly options: TestHostsOptions) {}

  /** Whether a host for `app` is up or starting (a test now does not wait for a start). */
  isWarm(app: string): boolean {
    return this.apps.get(app)?.bridge != null;
  }

  /**
   * Runs `work` on the app's test host, alone, after any earlier work for that app; starts the
   * host first when none is up (`onStarting` is told). Throws HeadlessSpecError when the app
   * has no headless hosts or is not installed.
   */
  use<T>(app: string, work: (host: TestHost) => Promise<T>, onStarting?: () => void): Promise<T> {
    const entry = this.entry(app);
    const run = entry.queue
      .catch(() => undefined)
      .then(async () => {
        if (entry.idle) clearTimeout(entry.idle);
        entry.idle = null;
        try {
          const host = await this.host(app, entry, onStarting);
          return await work(host);
        } finally {
          this.scheduleIdle(app, entry);
        }
      });
    entry.queue = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const bridges = [...this.apps.values()].map((entry) => {
      if (entry.idle) clearTimeout(entry.idle);
      const bridge = entry.bridge;
      entry.bridge = null;
      return bridge;
    });
    await Promise.all(bridges.map(async (bridge) => (await bridge?.catch(() => null))?.stop()));
  }

  private entry(app: string): AppHosts {
    let entry = this.apps.get(app);
    if (!entry) {
      entry = { bridge: null, queue: Promise.resolve(), idle: null };
      this.apps.set(app, entry);
    }
    return entry;
  }

  private async host(app: string, entry: AppHosts, onStarting?: () => void): Promise<TestHost> {
    if (this.stopped) throw new Error("test hosts are stopping");
    const adapter = this.options.adapters.get(app);
    if (!entry.bridge) {
      // Throws before anything starts when the app has no headless hosts here.
      const { specs } = parseHeadlessSpecs([`${app}:1`], this.options.adapters);
      onStarting?.();
      const starting = this.start(specs);
      entry.bridge = starting;
      starting.catch(() => {
        if (entry.bridge === starting) entry.bridge = null;
      });
    }
    const bridge = await entry.bridge;
    const timeoutMs = this.options.connectTimeoutMs ?? 120_000;
    // A host that crashed since is being restarted by its supervisor: wait for it.
    let host = bridge.pool.candidates(app, "batch")[0];
    if (!host) {
      await bridge.managed?.waitUntilConnected(timeoutMs);
      host = bridge.pool.candidates(app, "batch")[0];
    }
    if (!host || !adapter) throw new Error(`no ${app} test host connected`);
    return { dispatcher: bridge.dispatcher, hostId: host.id, adapter };
  }

  private async start(specs: HeadlessSpec[]): Promise<EmbeddedBridge> {
    const bridge = this.options.makeBridge({
      dataDir: join(this.options.dataDir, "test-hosts"),
      headless: specs,
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
    try {
      await bridge.start();
      await bridge.managed?.waitUntilConnected(this.options.connectTimeoutMs ?? 120_000);
      return bridge;
    } catch (error) {
      await bridge.stop();
      throw error;
    }
  }

  private scheduleIdle(app: string, entry: AppHosts): void {
    const idleMs = this.options.idleMs ?? 5 * 60_000;
    if (idleMs <= 0 || this.stopped) return;
    entry.idle = setTimeout(() => {
      entry.idle = null;
      const bridge = entry.bridge;
      entry.bridge = null;
      this.options.logger?.info({ app }, "macro test host idle; stopping it");
      void bridge?.then((b) => b.stop()).catch(() => undefined);
    }, idleMs);
    entry.idle.unref();
  }
}
