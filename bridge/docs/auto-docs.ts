// Docs without a person: a tree a docs call needs and does not find is built from the app's
// dependency (adapter docs.build) or read from a connected host of the app (live sync), and a
// host of an app or version without docs starts a sync as soon as it connects. An app reading
// another's reference follows that one. Syncs share the host's queue with people's runs, so
// each batch first lets whatever waits there run. One build at a time per tree.
import { DocsError } from "../../adapters/shared/docs-errors.js";
import type { Adapter } from "../../adapters/types.js";
import type { Host } from "../hosts/host.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { Logger } from "../logger.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import { docsVersion } from "./doc-tree.js";
import {
  type BuiltDocs,
  type DocsBuildStatus,
  DocsBuilds,
  describeProgress,
  percent,
} from "./docs-builds.js";
import type { DocsService, DocsTree } from "./docs-service.js";
import { syncFromHost } from "./sync.js";

export interface AutoDocsOptions {
  docs: DocsService;
  pool: HostPool;
  dispatcher: Dispatcher;
  logger: Logger;
  /** Build on first need and sync on connect; off, trees are made only when asked (docs build|sync). */
  enabled: boolean;
  /** How long a docs call waits for a build in progress before answering that it is still running. */
  waitMs: number;
  /** How long a sync's next batch waits for the host to be free of other runs before queueing anyway. */
  yieldMs?: number;
}

const IDLE_POLL_MS = 50;

export class AutoDocs {
  readonly builds = new DocsBuilds();
  /** The last automatic attempt that failed, per tree: the same attempt is not repeated on every call. */
  private readonly failures = new Map<string, { attempt: string; error: DocsError }>();
  private readonly controller = new AbortController();
  private readonly onHost = (host: Host) => {
    // After the hello is answered and the supervisor has claimed its managed hosts.
    setImmediate(() => this.hostConnected(host));
  };

  constructor(private readonly options: AutoDocsOptions) {
    this.log();
  }

  start(): void {
    if (!this.options.enabled) return;
    this.options.pool.on("added", this.onHost);
    this.options.docs.whenMissing((app, version, language) => this.whenMissing(app, version, language));
    // A host of another version may have connected while a sync ran.
    this.builds.on("finished", () => setImmediate(() => this.rescan()));
  }

  stop(): void {
    this.controller.abort();
    this.options.pool.off("added", this.onHost);
    this.options.docs.whenMissing(null);
  }

  /** `docs build` through the bridge: joins a build of the same version in progress. */
  async build(app: string, version?: string, language?: string): Promise<BuiltDocs> {
    const tree = this.options.docs.tree(app, language);
    const running = this.builds.current(tree.name);
    if (running?.status.kind === "build" && running.status.version === this.versionToBuild(tree, version))
      return running.promise;
    await this.idle(tree.name);
    return this.startBuild(this.options.docs.adapter(app), tree, version);
  }

  /** `docs sync` through the bridge: joins a sync in progress unless another host is named. */
  async sync(app: string, hostId?: string, language?: string): Promise<BuiltDocs> {
    const tree = this.syncTree(app);
    if (language !== undefined) this.checkSyncLanguage(app, language);
    const running = this.builds.current(tree);
    if (running?.status.kind === "sync" && (!hostId || running.status.hostId === hostId))
      return running.promise;
    await this.idle(tree);
    const adapter = this.options.docs.adapter(app);
    if (!adapter.docs?.introspection)
      throw new DocsError("no-source", `${adapter.displayName} has no live introspection`);
    const selection = this.options.pool.select({ app: adapter.app, host: hostId });
    if (!selection.ok) {
      throw new DocsError("sync-failed", `cannot sync ${adapter.displayName} docs: ${selection.message}`);
    }
    return this.startSync(adapter, selection.host.id);
  }

  /** A docs call found no tree: start what can make it (or say why nothing can), then wait a while. */
  private async whenMissing(
    app: string,
    version: string | undefined,
    language: string | undefined,
  ): Promise<void> {
    const { docs } = this.options;
    const tree = docs.tree(app, language).name;
    // Twice at most: a build of another version may be running when the call comes in.
    for (let round = 0; round < 2; round++) {
      if (!this.builds.current(tree)) this.startFor(app, version, language);
      const status = this.builds.current(tree)!.status;
      let ended: BuiltDocs | "running" | null;
      try {
        ended = await this.builds.wait(tree, this.options.waitMs);
      } catch (error) {
        throw failureOf(status.displayName, status.kind, error);
      }
      if (ended === "running") {
        const now = this.builds.current(tree)?.status ?? status;
        throw new DocsError(
          "building",
          `still making the docs: ${describeProgress(now)}; nothing is wrong, ask again in a moment`,
        );
      }
      if (!docs.missing(app, version, language)) return;
    }
    // Made, but not the version asked for: the docs call itself says which versions there are.
  }

  /** Starts a build or sync for `app`'s tree, or throws a DocsError saying why none can run. */
  private startFor(app: string, version: string | undefined, language: string | undefined): void {
    const { docs } = this.options;
    const asked = docs.adapter(app);
    const tree = docs.tree(app, language);
    const owner = tree.owner;
    const failure = this.failures.get(tree.name);
    if (tree.source.build) {
      const attempt = `build ${this.versionToBuild(tree, version) ?? ""}`;
      if (failure?.attempt === attempt) throw failure.error;
      void this.startBuild(owner, tree, version).catch(() => {});
      return;
    }
    if (tree.source.introspection) {
      const host = this.syncHost(owner, version);
      if (!host) throw new DocsError("no-docs", this.noHostReason(asked, owner, version));
      if (failure?.attempt === syncAttempt(host)) throw failure.error;
      void this.startSync(owner, host.id).catch(() => {});
      return;
    }
    const borrowed = asked === owner ? "" : `${asked.displayName} reads the ${owner.displayName} reference; `;
    throw new DocsError(
      "no-docs",
      `${borrowed}no ${owner.displayName} docs yet, and the bridge cannot make them by itself: they are built ` +
        `from your own copy of ${owner.displayName}'s API help. A person runs: ${docs.howToBuild(owner, language)}`,
    );
  }

  private noHostReason(asked: Adapter, owner: Adapter, version: string | undefined): string {
    const borrowed = asked === owner ? "" : `${asked.displayName} reads the ${owner.displayName} reference; `;
    const which = version ? `${owner.displayName} ${version}` : owner.displayName;
    return (
      `${borrowed}no ${which} docs yet: they are read from a running ${which} (live introspection), and none ` +
      `is connected to the bridge. They are made as soon as one connects (or: ${this.options.docs.howToBuild(owner)}).`
    );
  }

  /** A host of the app (and version) that can run the introspection: a managed headless one first. */
  private syncHost(adapter: Adapter, version: string | undefined): Host | null {
    const language = adapter.docs?.introspection?.language ?? adapter.language;
    const hosts = this.options.pool
      .all()
      .filter(
        (host) =>
          host.app === adapter.app &&
          !host.isClosed &&
          host.speaks(language) &&
          (version === undefined || docsVersion(host.hello.appVersion) === version),
      );
    return hosts.find((host) => host.managed) ?? hosts[0] ?? null;
  }

  private hostConnected(host: Host): void {
    const adapter = this.adapterOf(host.app);
    if (this.controller.signal.aborted || host.isClosed || !adapter) return;
    const { docs } = this.options;
    // The reference in the host's own language, when the app has one in it.
    const tree = docs.tree(adapter.app, docs.languageFor(adapter.app, host.hello.language));
    if (this.builds.current(tree.name)) return;
    if (tree.owner === adapter && tree.source.introspection) {
      const version = docsVersion(host.hello.appVersion);
      const chosen = this.syncHost(adapter, version);
      if (!chosen || !docs.missing(adapter.app, version)) return;
      if (this.failures.get(tree.name)?.attempt === syncAttempt(chosen)) return;
      this.options.logger.info(
        { app: adapter.app, version, host: chosen.id },
        "a host of a version without docs connected: syncing them in the background",
      );
      void this.startSync(adapter, chosen.id).catch(() => {});
    } else if (
      tree.owner === adapter &&
      tree.source.build &&
      docs.missing(adapter.app, undefined, tree.language)
    ) {
      if (this.failures.get(tree.name)?.attempt === `build ${this.versionToBuild(tree) ?? ""}`) return;
      void this.startBuild(adapter, tree).catch(() => {});
    }
  }

  private rescan(): void {
    for (const host of this.options.pool.all()) this.hostConnected(host);
  }

  private startBuild(adapter: Adapter, tree: DocsTree, version?: string): Promise<BuiltDocs> {
    const wanted = this.versionToBuild(tree, version);
    const promise = this.builds.start(
      {
        app: adapter.app,
        tree: tree.name,
        language: tree.language,
        displayName: adapter.displayName,
        version: wanted,
        kind: "build",
        hostId: null,
      },
      () => this.options.docs.build(adapter.app, version, undefined, this.controller.signal, tree.language),
    );
    return this.remember(promise, adapter, tree.name, `build ${wanted ?? ""}`);
  }

  private startSync(adapter: Adapter, hostId: string): Promise<BuiltDocs> {
    const host = this.options.pool.get(hostId);
    const tree = this.options.docs.trees(adapter.app)[0]!;
    const promise = this.builds.start(
      {
        app: adapter.app,
        tree: tree.name,
        language: tree.language,
        displayName: adapter.displayName,
        version: host ? docsVersion(host.hello.appVersion) : null,
        kind: "sync",
        hostId,
      },
      async (report) => {
        const started = performance.now();
        const synced = await syncFromHost({
          adapter,
          pool: this.options.pool,
          dispatcher: this.options.dispatcher,
          host: hostId,
          onProgress: report,
          beforeRun: (id) => this.hostFree(id),
        });
        const built = await this.options.docs.writeOffThread(
          adapter,
          synced.docSet,
          started,
          this.controller.signal,
        );
        return { ...built, hostId: synced.hostId, skipped: synced.skipped };
      },
    );
    return this.remember(promise, adapter, tree.name, host ? syncAttempt(host) : `sync ${hostId}`);
  }

  /** A sync writes one reference: asked for another language, say how that one is made. */
  private checkSyncLanguage(app: string, language: string): void {
    const { docs } = this.options;
    const asked = docs.tree(app, language);
    const synced = docs.trees(app)[0]!;
    if (asked.name === synced.name) return;
    const adapter = docs.adapter(app);
    throw new DocsError(
      "no-source",
      `${adapter.displayName} docs in ${language} are not synced from the app (a sync writes its ${synced.language} reference); make them with: ${docs.howToBuild(adapter, language)}`,
    );
  }

  /** The tree a live sync writes: the app's first. */
  private syncTree(app: string): string {
    return this.options.docs.trees(app)[0]!.name;
  }

  private remember(
    promise: Promise<BuiltDocs>,
    adapter: Adapter,
    tree: string,
    attempt: string,
  ): Promise<BuiltDocs> {
    promise.then(
      () => this.failures.delete(tree),
      (error: unknown) =>
        this.failures.set(tree, { attempt, error: failureOf(adapter.displayName, attempt, error) }),
    );
    return promise;
  }

  /**
   * Before each sync run: let the runs already waiting on the host go first. Polled, since the
   * host has no idle event; bounded, so a host that stays busy gets the batch queued anyway.
   */
  private async hostFree(hostId: string): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const until = Date.now() + (this.options.yieldMs ?? 120_000);
    for (;;) {
      if (this.controller.signal.aborted) throw new DocsError("sync-failed", "the bridge stopped");
      const host = this.options.pool.get(hostId);
      if (!host || host.isClosed || host.load === 0 || Date.now() >= until) return;
      await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
    }
  }

  /** Waits for the tree's build in progress to end, however it ends. */
  private async idle(tree: string): Promise<void> {
    for (let running = this.builds.current(tree); running; running = this.builds.current(tree)) {
      await running.promise.catch(() => {});
    }
  }

  private versionToBuild(tree: DocsTree, version?: string): string | null {
    return version ?? tree.source.versions?.()[0] ?? null;
  }

  private adapterOf(app: string): Adapter | undefined {
    try {
      return this.options.docs.adapter(app);
    } catch {
      return undefined;
    }
  }

  /** Progress in the bridge's log: start, every tenth, end. */
  private log(): void {
    const { logger } = this.options;
    const fields = (status: DocsBuildStatus) => ({
      app: status.app,
      language: status.language,
      version: status.version,
      kind: status.kind,
      host: status.hostId,
    });
    const logged = new Map<string, number>();
    this.builds.on("started", (status) => logger.info(fields(status), "docs: started"));
    this.builds.on("progress", (status) => {
      const tenth = Math.floor((percent(status) ?? 0) / 10);
      if (tenth === logged.get(status.tree)) return;
      logged.set(status.tree, tenth);
      logger.info({ ...fields(status), done: status.done, total: status.total }, `docs: ${tenth * 10}%`);
    });
    this.builds.on("finished", (status, built) => {
      logged.delete(status.tree);
      logger.info(
        {
          ...fields(status),
          version: built.version,
          entries: built.entries,
          ms: built.ms,
          latest: built.latest,
        },
        status.kind === "sync" ? "docs synced" : "docs built",
      );
    });
    this.builds.on("failed", (status, error) => {
      logged.delete(status.tree);
      logger.warn({ ...fields(status), err: error.message }, "docs: failed");
    });
  }
}

/** One connection of one host: a host that reconnects (same id, after a restart) is tried again. */
function syncAttempt(host: Host): string {
  return `sync ${host.id} ${host.connectedAt.toISOString()}`;
}

/** A failed build or sync as the answer a docs call gives: what was tried and why it failed. */
function failureOf(displayName: string, kind: string, error: unknown): DocsError {
  const message = error instanceof Error ? error.message : String(error);
  const what = kind.startsWith("sync") ? "reading" : "building";
  const text = `${what} the ${displayName} docs failed: ${message}`;
  if (error instanceof DocsError) return new DocsError(error.code, text);
  return new DocsError("build-failed", text);
}
