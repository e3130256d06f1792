// Launches headless app instances, ties each to its host connection, and keeps them alive:
// a crashed instance is restarted with backoff, one stuck in a script past its timeout is
// killed and restarted (a `while True: pass` must not take the host away for good).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describeDocument, type Host } from "../hosts/host.js";
import { managedHostId } from "../hosts/host-ids.js";
import type { HostPool } from "../hosts/host-pool.js";
import { type LogFile, rotatingLogFile } from "../log-file.js";
import type { Logger } from "../logger.js";
import { redact } from "../security/redact.js";
import type { HeadlessSpec } from "./headless-spec.js";
import { managedHostEnv } from "./host-environment.js";

export interface SupervisorOptions {
  pool: HostPool;
  logger: Logger;
  bridgeUrl: string;
  token: string;
  logDir: string;
  /** After a run times out, how long the host gets to answer the cancel before it is killed. */
  hangGraceMs: number;
  /** How long a started instance may take to connect before it is restarted. */
  connectTimeoutMs: number;
}

type SlotState = "starting" | "connected" | "waiting-restart" | "refused" | "stopped";

/** Panels exit with this code when the bridge refused them (token, protocol): restarting cannot help. */
export const EXIT_REFUSED = 2;

interface Slot {
  spec: HeadlessSpec;
  /** The host id every process of this slot gets (`blender-1`), kept across restarts. */
  id: string;
  name: string;
  instance: string;
  state: SlotState;
  child: ChildProcess | null;
  host: Host | null;
  restarts: number;
  startedAt: number;
  timer: NodeJS.Timeout | null;
  log: LogFile;
}

export interface ManagedStatus {
  name: string;
  app: string;
  state: SlotState;
  pid: number | null;
  hostId: string | null;
  restarts: number;
}

const MAX_BACKOFF_MS = 30_000;
/** An instance that stayed up this long has its backoff reset. */
const STABLE_AFTER_MS = 60_000;

export class Supervisor {
  private readonly slots: Slot[] = [];
  private stopping = false;
  private readonly connectedWaiters: Array<() => void> = [];

  constructor(private readonly options: SupervisorOptions) {
    options.pool.on("added", (host) => this.claim(host));
  }

  start(specs: readonly HeadlessSpec[]): void {
    const perApp = new Map<string, number>();
    for (const spec of specs) {
      for (let n = 0; n < spec.count; n++) {
        const app = spec.adapter.app;
        const i = (perApp.get(app) ?? 0) + 1;
        perApp.set(app, i);
        const name = `${app}-headless-${i}`;
        const log = rotatingLogFile(join(this.options.logDir, `${name}.log`));
        const slot: Slot = {
          spec,
          id: managedHostId(app, i),
          name,
          instance: "",
          state: "stopped",
          child: null,
          host: null,
          restarts: 0,
          startedAt: 0,
          timer: null,
          log,
        };
        this.slots.push(slot);
        this.launch(slot);
      }
    }
  }

  status(): ManagedStatus[] {
    return this.slots.map((slot) => ({
      name: slot.name,
      app: slot.spec.adapter.app,
      state: slot.state,
      pid: slot.child?.pid ?? null,
      hostId: slot.host?.id ?? null,
      restarts: slot.restarts,
    }));
  }

  /** Resolves when every managed instance is connected, or rejects after `timeoutMs`. */
  waitUntilConnected(timeoutMs: number): Promise<void> {
    if (this.allConnected()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const waiting = this.slots.filter((slot) => slot.state !== "connected").map((slot) => slot.name);
        reject(new Error(`managed hosts not connected after ${timeoutMs} ms: ${waiting.join(", ")}`));
      }, timeoutMs);
      this.connectedWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        slot.state = "stopped";
        await terminate(slot.child, 3000);
        slot.log.end();
      }),
    );
  }

  private launch(slot: Slot): void {
    const { spec } = slot;
    slot.instance = randomBytes(12).toString("hex");
    // Before the process can say hello: its id is the slot's, not the next free one.
    this.options.pool.ids.reserve(slot.id, slot.instance);
    slot.state = "starting";
    slot.host = null;
    slot.startedAt = Date.now();
    const launch = spec.adapter.headless!.launch(spec.executable, {
      bridgeUrl: this.options.bridgeUrl,
      token: this.options.token,
      name: slot.name,
      instance: slot.instance,
    });
    const child = spawn(launch.command, launch.args, {
      env: managedHostEnv(process.env, launch.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    slot.child = child;
    // What the app prints (a script's background threads included) may quote a secret.
    const keep = (chunk: string) => slot.log.write(redact(chunk));
    child.stdout?.setEncoding("utf8").on("data", keep);
    child.stderr?.setEncoding("utf8").on("data", keep);
    this.options.logger.info({ slot: slot.name, pid: child.pid }, "managed host started");
    child.on("error", (error) => {
      this.options.logger.error({ slot: slot.name, err: error.message }, "managed host failed to start");
    });
    child.on("exit", (code, signal) => {
      if (slot.child !== child) return;
      slot.child = null;
      this.options.logger.info({ slot: slot.name, code, signal }, "managed host exited");
      if (this.stopping) return;
      if (code === EXIT_REFUSED && slot.state === "starting") {
        if (slot.timer) clearTimeout(slot.timer);
        slot.state = "refused";
        this.options.logger.error(
          { slot: slot.name },
          `managed host was refused by the bridge; see ${slot.name}.log`,
        );
        return;
      }
      this.scheduleRestart(slot);
    });
    slot.timer = setTimeout(() => {
      if (slot.state === "starting" && slot.child === child) {
        this.options.logger.warn({ slot: slot.name }, "managed host did not connect in time; restarting");
        child.kill("SIGKILL");
      }
    }, this.options.connectTimeoutMs);
  }

  private scheduleRestart(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    if (Date.now() - slot.startedAt > STABLE_AFTER_MS) slot.restarts = 0;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** slot.restarts);
    slot.restarts++;
    slot.state = "waiting-restart";
    slot.host = null;
    this.options.logger.info({ slot: slot.name, delayMs: delay }, "managed host restarting after a delay");
    slot.timer = setTimeout(() => this.launch(slot), delay);
  }

  private claim(host: Host): void {
    const slot = this.slots.find((s) => s.instance !== "" && s.instance === host.hello.instance);
    if (!slot) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.state = "connected";
    slot.host = host; // the pool marked it managed: its instance is this slot's
    host.restartAfterHangMs = this.options.hangGraceMs;
    host.on("run-timeout", () => this.watchHang(slot, host));
    host.on("closed", () => {
      // The process usually exits right after its socket closes; if it lingers, it is of no use.
      if (slot.host === host && !this.stopping) slot.child?.kill("SIGKILL");
    });
    if (this.allConnected()) for (const waiter of this.connectedWaiters.splice(0)) waiter();
  }

  private watchHang(slot: Slot, host: Host): void {
    const stuck = host.stuckRun;
    setTimeout(() => {
      if (slot.host === host && !host.isClosed && host.stuckRun !== null && host.stuckRun === stuck) {
        this.options.logger.warn(
          { slot: slot.name, host: host.id },
          "managed host still stuck after cancel; restarting it",
        );
        this.options.pool.addNotice(
          host.id,
          `${host.id} was restarted because a script hung: unsaved changes to ${describeDocument(host.document)} are gone, and it started again with a fresh document`,
        );
        slot.child?.kill("SIGKILL");
      }
    }, this.options.hangGraceMs);
  }

  private allConnected(): boolean {
    return this.slots.every((slot) => slot.state === "connected");
  }
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export function terminate(child: ChildProcess | null, graceMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
