// A queue worker: an embedded bridge (port 0, no bridge.json) with N managed headless hosts and
// a BullMQ Worker with concurrency N. Each queued file is opened and the macro run on a free
// host, as the local runner does. A lost host (or an idempotent timeout, or no free host) is
// thrown so BullMQ retries it; on the last attempt the outcome is returned instead.
import { accessSync, constants, statSync } from "node:fs";
import { type Job, Worker } from "bullmq";
import { adapters as defaultAdapters, languageKits } from "../../../adapters/registry.js";
import type { Adapter } from "../../../adapters/types.js";
import type { Host } from "../../hosts/host.js";
import type { Logger } from "../../logger.js";
import { parseHeadlessSpecs } from "../../managed/headless-spec.js";
import type { RunResponse } from "../../runs/outcome.js";
import { Bridge } from "../../server/bridge-server.js";
import { connection, type FileJobData, type FileJobResult, queueName } from "./common.js";

const HOST_WAIT_MS = 120_000;
const MAX_VALUE_CHARS = 4096;

export interface WorkerOptions {
  url: string;
  app: string;
  hosts: number;
  dataDir: string;
  logger: Logger;
  adapters?: ReadonlyMap<string, Adapter>;
}

export interface RunningWorker {
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function unreadable(file: string): string | null {
  try {
    if (!statSync(file).isFile()) return `${file} is not a file`;
    accessSync(file, constants.R_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? `file not found: ${file}` : `cannot read ${file} (${code ?? String(error)})`;
  }
}

function smallValue(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text !== undefined && text.length <= MAX_VALUE_CHARS ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const adapters = options.adapters ?? defaultAdapters;
  const adapter = adapters.get(options.app);
  if (!adapter?.openDocument) throw new Error(`${options.app} cannot open documents for batch jobs`);
  const openScript = adapter.openDocument;
  const { specs } = parseHeadlessSpecs([`${options.app}:${options.hosts}`], adapters);
  const bridge = new Bridge({
    dataDir: options.dataDir,
    port: 0,
    kits: languageKits,
    adapters,
    headless: specs,
    writeDiscovery: false,
    logger: options.logger,
  });
  await bridge.start();
  try {
    await bridge.managed?.waitUntilConnected(HOST_WAIT_MS);
  } catch (error) {
    await bridge.stop();
    throw error;
  }

  const leased = new Set<string>();
  const lease = async (): Promise<Host | null> => {
    const deadline = Date.now() + HOST_WAIT_MS;
    for (;;) {
      const host = bridge.pool.all().find((h) => h.app === options.app && !leased.has(h.id));
      if (host) {
        leased.add(host.id);
        return host;
      }
      if (Date.now() > deadline) return null;
      await sleep(100);
    }
  };

  const runOnce = async (data: FileJobData): Promise<RunResponse> => {
    const host = await lease();
    if (!host)
      return {
        outcome: "not-dispatched",
        hostId: null,
        error: { message: `no ${options.app} host became free in ${HOST_WAIT_MS} ms` },
        durationMs: 0,
      };
    try {
      const opened = await bridge.dispatcher.run({
        host: host.id,
        code: openScript,
        language: adapter.language,
        wrap: { params: { file: data.file } },
        timeoutMs: data.timeoutMs,
      });
      if (opened.outcome !== "ok") {
        const message = opened.error?.message ?? "no detail";
        return { ...opened, error: { ...opened.error, message: `opening the file: ${message}` } };
      }
      const ran = await bridge.dispatcher.run({
        host: host.id,
        code: data.macro.code,
        language: data.macro.language,
        wrap: { params: data.params },
        timeoutMs: data.timeoutMs,
      });
      return { ...ran, durationMs: opened.durationMs + ran.durationMs };
    } finally {
      leased.delete(host.id);
    }
  };

  const handle = async (job: Job<FileJobData, FileJobResult>): Promise<FileJobResult> => {
    const data = job.data;
    const problem = unreadable(data.file);
    if (problem)
      return {
        outcome: "error",
        durationMs: 0,
        hostId: null,
        error: { message: problem, type: "FileError" },
      };
    const r = await runOnce(data);
    const retry =
      r.outcome === "host-lost" ||
      r.outcome === "not-dispatched" ||
      (r.outcome === "timeout" && data.idempotent);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (retry && !lastAttempt) {
      options.logger.warn(
        { file: data.file, attempt: job.attemptsMade + 1, outcome: r.outcome },
        "queued file failed; retrying",
      );
      throw new Error(`${r.outcome}: ${r.error?.message ?? "no detail"}`);
    }
    const result: FileJobResult = { outcome: r.outcome, durationMs: r.durationMs, hostId: r.hostId };
    if (r.error) result.error = r.error;
    const value = r.outcome === "ok" ? smallValue(r.value) : undefined;
    if (value !== undefined) result.value = value;
    return result;
  };

  let worker: Worker<FileJobData, FileJobResult>;
  try {
    worker = new Worker<FileJobData, FileJobResult>(queueName(options.app), handle, {
      connection: connection(options.url),
      concurrency: options.hosts,
    });
    worker.on("error", (error) => options.logger.error({ err: error }, "queue worker error"));
    await worker.waitUntilReady();
  } catch (error) {
    await bridge.stop();
    throw error;
  }
  return {
    async close() {
      await worker.close();
      await bridge.stop();
    },
  };
}
