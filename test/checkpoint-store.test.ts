// The checkpoints a host keeps: bounded in count and bytes (the oldest go first, their copies
// removed), private on disk, gone when the bridge stops or its process is; and the per-host lock
// that keeps a checkpoint and its run together.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HostLocks } from "../bridge/checkpoints/host-lock.js";
import { type Checkpoint, CheckpointStore } from "../bridge/checkpoints/store.js";

describe("checkpoint store", () => {
  let root: string;
  beforeEach(() => {
    root = join(mkdtempSync(join(tmpdir(), "sw-checkpoints-")), "checkpoints");
  });
  afterEach(() => rmSync(join(root, ".."), { recursive: true, force: true }));

  /** A checkpoint whose copy (of `bytes` bytes) the app wrote. */
  function copy(store: CheckpointStore, hostId: string, bytes: number): Checkpoint {
    const id = store.nextId();
    const file = store.newFile(hostId, id, ".blend");
    writeFileSync(file, Buffer.alloc(bytes), { mode: 0o644 });
    const checkpoint: Checkpoint = {
      id,
      hostId,
      app: "blender",
      kind: "copy",
      takenAt: new Date(),
      document: null,
      script: "x = 1",
      outcome: "ok",
      file,
      bytes: store.seal(file),
    };
    store.push(checkpoint);
    return checkpoint;
  }

  it("keeps at most `count` per host: the oldest go, with their copies", () => {
    const store = new CheckpointStore(root, { count: 3, bytes: 1e9 });
    const made = [1, 2, 3, 4, 5].map(() => copy(store, "blender-1", 10));
    const other = copy(store, "blender-2", 10);
    expect(store.list("blender-1").map((c) => c.id)).toEqual(made.slice(2).map((c) => c.id));
    expect(made.slice(0, 2).map((c) => existsSync(c.file!))).toEqual([false, false]);
    expect(made.slice(2).every((c) => existsSync(c.file!))).toBe(true);
    expect(store.list("blender-2")).toEqual([other]);
  });

  it("keeps at most `bytes` of copies per host, oldest first, never dropping the newest", () => {
    const store = new CheckpointStore(root, { count: 10, bytes: 250 });
    const a = copy(store, "h", 100);
    const b = copy(store, "h", 100);
    expect(store.list("h")).toEqual([a, b]);
    const c = copy(store, "h", 100);
    expect(store.list("h")).toEqual([b, c]);
    expect(existsSync(a.file!)).toBe(false);
    const big = copy(store, "h", 400);
    expect(store.list("h")).toEqual([big]);
  });

  it("copies are 0600 in 0700 folders, whatever mode the app wrote them with", () => {
    const store = new CheckpointStore(root);
    const made = copy(store, "blender-1", 5);
    expect(statSync(made.file!).mode & 0o777).toBe(0o600);
    for (let dir = join(made.file!, ".."); dir.startsWith(root); dir = join(dir, ".."))
      expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("a host id never reaches outside its folder", () => {
    const store = new CheckpointStore(root);
    const file = store.newFile("../../evil", "cp-1", ".blend");
    expect(file.startsWith(store.dir)).toBe(true);
    expect(file).not.toContain("..");
  });

  it("close removes this bridge's copies; a new store removes those of bridges whose process is gone", () => {
    const store = new CheckpointStore(root);
    const made = copy(store, "h", 5);
    // A folder left by a bridge that is gone (a pid no process has), and one of a live process.
    const gone = spawnSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))",
    ]).stdout.toString();
    const orphan = join(root, `${gone}-0badf00d`);
    mkdirSync(orphan, { recursive: true });
    const live = join(root, `${process.pid}-0000beef`);
    mkdirSync(live, { recursive: true });
    const second = new CheckpointStore(root);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(made.file!)).toBe(true);
    store.close();
    expect(existsSync(made.file!)).toBe(false);
    expect(store.list("h")).toEqual([]);
    expect(readdirSync(root).sort()).toEqual([`${process.pid}-0000beef`]);
    second.close();
  });
});

describe("host locks", () => {
  it("one holder per host at a time, in the order they asked; other hosts are not held up", async () => {
    const locks = new HostLocks();
    const order: string[] = [];
    const first = await locks.acquire("a", 10_000);
    const second = locks.acquire("a", 10_000).then((wait) => {
      order.push("second");
      return wait;
    });
    const other = await locks.acquire("b", 10_000);
    expect(other.ok).toBe(true);
    order.push("other");
    if (first.ok) first.release();
    const got = await second;
    expect(order).toEqual(["other", "second"]);
    if (got.ok) got.release();
    if (other.ok) other.release();
  });

  it("a waiter that gives up (timeout or abort) says why and does not block those after it", async () => {
    const locks = new HostLocks();
    const held = await locks.acquire("a", 10_000);
    const abort = new AbortController();
    const aborted = locks.acquire("a", 10_000, abort.signal);
    const timedOut = locks.acquire("a", 1);
    const later = locks.acquire("a", 10_000);
    abort.abort();
    expect(await aborted).toEqual({ ok: false, reason: "aborted" });
    expect(await timedOut).toEqual({ ok: false, reason: "timeout" });
    if (held.ok) held.release();
    const last = await later;
    expect(last.ok).toBe(true);
    if (last.ok) last.release();
    const again = await locks.acquire("a", 10_000);
    expect(again.ok).toBe(true);
  });
});
