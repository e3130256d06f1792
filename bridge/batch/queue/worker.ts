// A queue worker: an embedded bridge (port 0, no bridge.json) with N managed headless hosts and
// a BullMQ Worker with concurrency N. Each queued file is opened and the macro run on a free
// host, as the local runner does. A lost host (or an idempotent timeout, or no free host) is
// thrown so BullMQ retries it; on the last attempt the outcome is returned instead.
import { type Job, Worker } from "bullmq";
import { adapters as defaultAdapters, languageKits } from "../../../adapters/registry.js";
import { type Adapter, openDocumentFor } from "../../../adapters/types.js";
import type { Logger } from "../../logger.js";
import { parseHeadlessSpecs } from "../../managed/headless-spec.js";
import type { RunResponse } from "../../runs/outcome.js";
import { Bridge } from "../../server/bridge-server.js";
import { FileRunner, HOST_WAIT_MS, smallValue, unreadableFile, worthRetrying } from "../file-run.js";
import { connection, type FileJobData, type FileJobResult, queueName } from "./common.js";

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

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const adapters = options.adapters ?? defaultAdapters;
  const adapter = adapters.get(options.app);
  const open = openDocumentFor(adapter);
  if (!open) throw new Error(`${options.app} cannot open documents for batch jobs`);
  const { specs } = parseHeadlessSpecs([`${options.app}:${options.hosts}`], adapters);
  const bridge = new Bridge({
    dataDir: options.dataDir,
    port: 0,
    kits: languageKits,
    adapters,
    headless: specs,
    writeDiscovery: false,
    logger: options.logger,
    // A batch reads no docs: its hosts stay free for the files.
    autoDocs: false,
  });
  await bridge.start();
  try {
    await bridge.managed?.waitUntilConnected(HOST_WAIT_MS);
  } catch (error) {
    await bridge.stop();
    throw error;
  }

  const files = new FileRunner(bridge, options.app, open.code, open.language);
  const runOnce = (data: FileJobData): Promise<RunResponse> =>
    files.run({
      file: data.file,
      macro: data.macro,
      params: data.params,
      timeoutMs: data.timeoutMs,
      verifySaves: data.verifySaves,
      keepBackups: data.keepBackups,
    });

  const handle = async (job: Job<FileJobData, FileJobResult>): Promise<FileJobResult> => {
    const data = job.data;
    const problem = unreadableFile(data.file);
    if (problem)
      return {
        outcome: "error",
        durationMs: 0,
        hostId: null,
        error: { message: problem, type: "FileError" },
      };
    const r = await runOnce(data);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (worthRetrying(r.outcome, data.idempotent) && !lastAttempt) {
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
