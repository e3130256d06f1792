// The worker side of runOffThread: imports the module, calls the function, posts one answer.
import { parentPort, workerData } from "node:worker_threads";
import type { WorkerAnswer } from "./off-thread.js";

const { module, exportName, args } = workerData as { module: string; exportName: string; args: unknown[] };
let answer: WorkerAnswer;
try {
  const fn = (await import(module))[exportName] as (...values: unknown[]) => unknown;
  answer = { ok: true, result: await fn(...args) };
} catch (error) {
  const failure = error as { name?: string; message?: string; code?: unknown };
  answer = {
    ok: false,
    name: failure.name ?? "Error",
    message: failure.message ?? String(error),
    ...(typeof failure.code === "string" ? { code: failure.code } : {}),
  };
}
parentPort?.postMessage(answer);
