// The checkpoints each host keeps, newest last, and their copies on disk: under
// <data-dir>/checkpoints/<pid>-<random>/<host-id>/, folders 0700 and files 0600 (a copy holds
// the whole document). Bounded per host in count and bytes: the oldest go first. They last as
// long as the bridge: its folder goes when it stops, or when the next bridge finds its process
// gone (a batch job's bridge shares the data dir, so each keeps a folder of its own).
import { randomBytes } from "node:crypto";
import { chmodSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ensurePrivateDir } from "../data-dir.js";
import type { Outcome } from "../runs/outcome.js";

export interface CheckpointLimits {
  /** Checkpoints kept per host. */
  count: number;
  /** Bytes of copies kept per host; a copy larger than this alone is not kept at all. */
  bytes: number;
}

export const DEFAULT_CHECKPOINT_LIMITS: CheckpointLimits = { count: 10, bytes: 512 * 1024 * 1024 };

export interface Checkpoint {
  /** `cp-<n>`, unique while the bridge runs. */
  id: string;
  hostId: string;
  app: string;
  /** `undo`: the app's own undo history; `copy`: a copy of the document in `file`. */
  kind: "undo" | "copy";
  takenAt: Date;
  /** The document before the run (its path or name; null: untitled). */
  document: string | null;
  /** The run's first line, as `undo` names the run it takes back. */
  script: string;
  /** How the run ended ("running" until it has). */
  outcome: Outcome | "running";
  file?: string;
  bytes?: number;
  /** What the app's restore script needs back (CheckpointTaken.state). */
  state?: unknown;
  /** The host connection an undo mark belongs to: the app's undo history ends with it. */
  connection?: object;
  /** Why no checkpoint could be kept: this run cannot be taken back. */
  failed?: string;
}

export class CheckpointStore {
  private readonly byHost = new Map<string, Checkpoint[]>();
  private seq = 0;
  /** This bridge's folder. */
  readonly dir: string;

  constructor(
    private readonly root: string,
    readonly limits: CheckpointLimits = DEFAULT_CHECKPOINT_LIMITS,
  ) {
    this.dir = join(root, `${process.pid}-${randomBytes(4).toString("hex")}`);
    removeOrphans(root);
  }

  /** Removes every copy (the bridge is stopping: nothing can be restored into its hosts any more). */
  close(): void {
    this.byHost.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  nextId(): string {
    return `cp-${++this.seq}`;
  }

  /** The file for checkpoint `id`'s copy of `hostId`'s document, in a folder only this user can open. */
  newFile(hostId: string, id: string, extension: string): string {
    ensurePrivateDir(this.root);
    ensurePrivateDir(this.dir);
    const dir = ensurePrivateDir(join(this.dir, hostId.replace(/[^A-Za-z0-9_-]/g, "_")));
    return join(dir, `${id}-${randomBytes(4).toString("hex")}${extension}`);
  }

  /** The copy the app wrote: made 0600 (the app's umask may allow more), and its size. */
  seal(file: string): number {
    if (process.platform !== "win32") chmodSync(file, 0o600);
    return statSync(file).size;
  }

  list(hostId: string): readonly Checkpoint[] {
    return this.byHost.get(hostId) ?? [];
  }

  /** Adds the newest checkpoint, then drops the oldest past the limits. */
  push(checkpoint: Checkpoint): void {
    const list = this.byHost.get(checkpoint.hostId) ?? [];
    this.byHost.set(checkpoint.hostId, list);
    list.push(checkpoint);
    while (list.length > this.limits.count) this.discard(list[0]!);
    while (list.length > 1 && totalBytes(list) > this.limits.bytes) this.discard(list[0]!);
  }

  /** Forgets a checkpoint and removes its copy. */
  discard(checkpoint: Checkpoint): void {
    const list = this.byHost.get(checkpoint.hostId);
    const index = list?.indexOf(checkpoint) ?? -1;
    if (index >= 0) list!.splice(index, 1);
    if (checkpoint.file) rmSync(checkpoint.file, { force: true });
  }
}

function totalBytes(list: readonly Checkpoint[]): number {
  return list.reduce((sum, checkpoint) => sum + (checkpoint.bytes ?? 0), 0);
}

/** Folders of bridges whose process is gone: copies for hosts no bridge serves any more. */
function removeOrphans(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (pid && !alive(pid)) rmSync(join(root, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
