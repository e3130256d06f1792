// A lock shared by every process on this machine that uses one data dir (the bridge, CLI
// commands, a batch): a lock file created exclusively, holding its owner's pid. Inside one
// process, callers queue in the order they asked. A lock whose owner is gone (killed while
// holding it) is taken over; one held longer than `staleMs` is presumed abandoned.
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { ScriptwrightError } from "../adapters/shared/errors.js";

export class LockTimeoutError extends ScriptwrightError {
  override name = "LockTimeoutError";
  constructor(message: string) {
    super("locked", message, { status: 503 });
  }
}

export interface FileLockOptions {
  /** Give up waiting after this long (default 20 s). */
  timeoutMs?: number;
  /** A lock older than this is taken over (default 60 s: the work it guards takes milliseconds). */
  staleMs?: number;
}

const queues = new Map<string, Promise<unknown>>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` holding the lock at `path`, after every earlier caller in this process. */
export function withFileLock<T>(
  path: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => holding(path, work, options));
  const tail = run.catch(() => undefined);
  queues.set(path, tail);
  void tail.then(() => {
    if (queues.get(path) === tail) queues.delete(path);
  });
  return run;
}

async function holding<T>(path: string, work: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const token = await acquire(path, options.timeoutMs ?? 20_000, options.staleMs ?? 60_000);
  try {
    return await work();
  } finally {
    release(path, token);
  }
}

async function acquire(path: string, timeoutMs: number, staleMs: number): Promise<string> {
  const token = `${process.pid} ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  const deadline = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 50)) {
    try {
      const fd = openSync(path, "wx", 0o600);
      try {
        writeSync(fd, token);
      } finally {
        closeSync(fd);
      }
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(path);
    // An empty lock file is one whose owner died between creating and writing it.
    const staleAfter = holder?.pid === null ? Math.min(staleMs, 2000) : staleMs;
    if (holder && ((holder.pid !== null && !alive(holder.pid)) || Date.now() - holder.since > staleAfter)) {
      // Only the content we read is removed: another waiter may have taken it over already.
      if (readHolder(path)?.token === holder.token) rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new LockTimeoutError(
        `${path} is held by process ${holder?.pid ?? "?"}: waited ${timeoutMs} ms (remove the file if that process is gone)`,
      );
    await sleep(wait);
  }
}

function release(path: string, token: string): void {
  if (readHolder(path)?.token === token) rmSync(path, { force: true });
}

function readHolder(path: string): { pid: number | null; since: number; token: string } | null {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(path, "utf8");
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return null;
  }
  const [pid, since] = text.split(" ").map(Number);
  // A lock file not written yet (its owner between create and write) ages from its mtime.
  if (!pid || !since) return { pid: null, since: mtimeMs, token: text };
  return { pid, since, token: text };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
