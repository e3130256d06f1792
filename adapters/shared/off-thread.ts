// Runs one exported function of a compiled module in a worker thread and answers its result.
// CPU-heavy work (the TypeScript compiler, rendering and indexing a docs tree) takes seconds,
// and the bridge's hosts, runs and HTTP API share one event loop that must keep moving.
// Arguments and the result are structured-cloned. The module is always the compiled one under
// dist/ (built by `npm run build`, which start, bench and the tests' setup run), since a worker
// is plain Node and cannot load the TypeScript sources the tests run from.
import { Worker } from "node:worker_threads";
import { ScriptwrightError } from "./errors.js";
import { packagePath } from "./package-path.js";

/** An error the function threw in the worker, with its code when it had one. */
export class OffThreadError extends ScriptwrightError {
  override name = "OffThreadError";
  constructor(
    code: string,
    message: string,
    readonly originalName: string,
  ) {
    super(code, message);
  }
}

/**
 * `modulePath`: the compiled module's path under dist/, e.g. ["bridge", "docs", "doc-tree.js"].
 * An aborted `signal` stops the worker where it is (the bridge is stopping).
 */
export function runOffThread<T>(
  modulePath: readonly string[],
  exportName: string,
  args: unknown[],
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted)
      return reject(new OffThreadError("aborted", `${exportName} was not started`, "Abort"));
    const worker = new Worker(packagePath("dist", "adapters", "shared", "off-thread-worker.js"), {
      workerData: { module: packagePath("dist", ...modulePath), exportName, args },
    });
    const abort = () => {
      reject(new OffThreadError("aborted", `${exportName} was stopped`, "Abort"));
      void worker.terminate();
    };
    signal?.addEventListener("abort", abort, { once: true });
    worker.once("exit", () => signal?.removeEventListener("abort", abort));
    let settled = false;
    worker.once("message", (answer: WorkerAnswer) => {
      settled = true;
      if (answer.ok) resolve(answer.result as T);
      else reject(new OffThreadError(answer.code ?? "off-thread-failed", answer.message, answer.name));
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`the worker running ${exportName} exited with code ${code}`));
    });
  });
}

export type WorkerAnswer =
  | { ok: true; result: unknown }
  | { ok: false; name: string; message: string; code?: string };
