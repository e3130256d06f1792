// `scriptwright worker --queue URL --app A [--hosts N]`: takes queued batch files (from
// `batch run --queue`) and runs them on N local headless hosts until SIGINT/SIGTERM.
import { adapters } from "../../adapters/registry.js";
import { connection } from "../batch/queue/common.js";
import { startWorker } from "../batch/queue/worker.js";
import { createLogger } from "../logger.js";
import { HeadlessSpecError, MAX_HEADLESS_PER_APP, parseHeadlessSpecs } from "../managed/headless-spec.js";
import { CliError, EXIT } from "./exit-codes.js";

export interface WorkerCliOptions {
  queue: string;
  app: string;
  hosts?: string;
  dataDir: string;
}

export async function worker(options: WorkerCliOptions): Promise<number> {
  const hosts = options.hosts === undefined ? 1 : Number(options.hosts);
  if (!Number.isInteger(hosts) || hosts <= 0 || hosts > MAX_HEADLESS_PER_APP)
    throw new CliError(
      `--hosts takes a whole number from 1 to ${MAX_HEADLESS_PER_APP}, got "${options.hosts}"`,
      EXIT.usage,
    );
  try {
    connection(options.queue);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage);
  }
  const adapter = adapters.get(options.app);
  if (!adapter) throw new CliError(`--app: unknown app "${options.app}"`, EXIT.usage);
  if (!adapter.openDocument || !adapter.headless)
    throw new CliError(`batch workers need headless ${options.app} hosts that open documents`, EXIT.usage);
  try {
    parseHeadlessSpecs([`${options.app}:${hosts}`], adapters);
  } catch (error) {
    if (error instanceof HeadlessSpecError) throw new CliError(error.message, EXIT.noBridge);
    throw error;
  }
  const logger = createLogger(options.dataDir);
  const running = await startWorker({
    url: options.queue,
    app: options.app,
    hosts,
    dataDir: options.dataDir,
    logger,
  });
  process.stderr.write(`worker: ${hosts} ${options.app} hosts taking files from ${options.queue}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  process.stderr.write("worker: stopping after the files in flight…\n");
  await running.close();
  return EXIT.ok;
}
