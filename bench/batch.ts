// (e) Batch jobs, in one run:
//   1. Throughput of the real `executeJob` (a macro saved through MacroStore that returns
//      len(bpy.data.objects), over 50 small .blend files made by Blender first) with 1, 2 and 4
//      managed headless hosts, as files per second and the scaling ratio against 1 host. The
//      clock starts when the hosts are connected (onHostsReady), so Blender start-up is not in it.
//   2. The journal's cost per file: a `start` and a `done` record appended durably by the
//      real JournalWriter, against the same appends not synced to disk, measured in the same run.
import { spawnSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statfsSync,
  writeSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { adapters } from "../adapters/registry.js";
import {
  type DoneRecord,
  JOURNAL,
  type JobHeader,
  JournalWriter,
  type StartRecord,
} from "../bridge/batch/journal.js";
import { executeJob } from "../bridge/batch/runner.js";
import { silentLogger } from "../bridge/logger.js";
import { MacroStore, type StoredMacro } from "../bridge/macros/store.js";
import { summarize } from "./stats.js";

const FILES = 50;
const HOSTS = [1, 2, 4];
/** Jobs per host count; the order rotates each round. A 50-file job takes well under a second. */
const JOB_ROUNDS = 5;
const JOURNAL_FILES = 500;
const JOURNAL_ROUNDS = 5;
const TMPFS_MAGIC = 0x01021994;

/** One Blender saves `count` small .blend files (the factory scene) into `dir`. */
function makeBlendFiles(dir: string, count: number): string[] {
  const script = [
    "import bpy, os",
    `out = ${JSON.stringify(dir)}`,
    `for i in range(${count}):`,
    "    bpy.ops.wm.save_as_mainfile(filepath=os.path.join(out, f'scene-{i:03d}.blend'), copy=True)",
  ].join("\n");
  const made = spawnSync(
    "blender",
    ["-b", "--factory-startup", "--python-exit-code", "1", "--python-expr", script],
    { encoding: "utf8", timeout: 120_000 },
  );
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".blend"))
    .sort()
    .map((name) => join(dir, name));
  if (made.status !== 0 || files.length !== count)
    throw new Error(`blender made ${files.length}/${count} files (exit ${made.status}): ${made.stderr}`);
  return files;
}

/** A fresh job (header journaled as `batch run` does), run by executeJob; files/s once hosts are up. */
async function timeJob(
  dataDir: string,
  macro: StoredMacro,
  files: string[],
  concurrency: number,
  round: number,
): Promise<number> {
  const id = `bench-${concurrency}-${round}`;
  const dir = join(dataDir, "jobs", id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const header: JobHeader = {
    type: "job",
    id,
    macro: macro.name,
    macroHash: macro.hash,
    app: "blender",
    params: {},
    files,
    concurrency,
    timeoutMs: 60_000,
    idempotent: true,
    createdAt: new Date().toISOString(),
  };
  const writer = new JournalWriter(join(dir, JOURNAL));
  writer.appendSync(header);
  await writer.close();

  let readyAt = 0;
  let lastDoneAt = 0;
  const { status } = await executeJob({
    dataDir,
    dir,
    macro,
    resume: false,
    logger: silentLogger(),
    onHostsReady: () => {
      readyAt = performance.now();
    },
    onProgress: (progress) => {
      if (progress.done === progress.total) lastDoneAt = performance.now();
    },
  });
  if (status.ok !== files.length) {
    const bad = status.files.find((f) => f.outcome !== "ok");
    throw new Error(
      `batch bench job (${concurrency} hosts): ${status.ok}/${files.length} ok; ${JSON.stringify(bad)}`,
    );
  }
  const wrong = status.files.find((f) => typeof f.value !== "number" || f.value < 1);
  if (wrong) throw new Error(`batch bench macro returned ${JSON.stringify(wrong.value)} for ${wrong.file}`);
  return files.length / ((lastDoneAt - readyAt) / 1000);
}

/** Per-file cost (ms) of journaling `start` + `done`: with the real writer, or the same writes without fsync. */
async function journalSamples(file: string, count: number, fsync: boolean): Promise<number[]> {
  const at = new Date().toISOString();
  const writer = fsync ? new JournalWriter(file) : null;
  const fd = fsync ? null : openSync(file, "a", 0o600);
  const append = async (record: StartRecord | DoneRecord) => {
    if (writer) await writer.append(record);
    else writeSync(fd!, `${JSON.stringify(record)}\n`);
  };
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = `/data/shots/sequence-04/scene-${String(i).padStart(3, "0")}.blend`;
      const began = performance.now();
      await append({ type: "start", file: name, attempt: 1, at });
      await append({
        type: "done",
        file: name,
        outcome: "ok",
        durationMs: 87.25,
        attempts: 1,
        hostId: "blender-1",
        value: 3,
        at,
      });
      samples.push(performance.now() - began);
    }
  } finally {
    await writer?.close();
    if (fd !== null) closeSync(fd);
  }
  return samples;
}

const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

export async function benchBatch(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "sw-bench-batch-"));
  try {
    const lines = ["\n(e) Batch jobs"];

    // 1. Throughput against the number of hosts.
    const blendDir = join(root, "blends");
    mkdirSync(blendDir);
    const files = makeBlendFiles(blendDir, FILES);
    const dataDir = join(root, "data");
    const macro = await new MacroStore(dataDir, { adapters }).save({
      name: "bench-count-objects",
      app: "blender",
      description: "Count the objects in the open file (batch benchmark).",
      code: "import bpy\nlen(bpy.data.objects)\n",
    });
    const rates = new Map<number, number[]>(HOSTS.map((hosts) => [hosts, []]));
    for (let round = 0; round < JOB_ROUNDS; round++)
      for (let i = 0; i < HOSTS.length; i++) {
        const hosts = HOSTS[(i + round) % HOSTS.length]!;
        rates.get(hosts)!.push(await timeJob(dataDir, macro, files, hosts, round));
      }
    const median = (xs: number[]) => summarize(xs).p50;
    const base = median(rates.get(1)!);
    lines.push(
      `  executeJob, macro len(bpy.data.objects) over ${FILES} small .blend files (open + macro per file),` +
        ` median of ${JOB_ROUNDS} jobs each; the clock starts once the hosts are connected.`,
      `  This machine has ${cpus().length} cores: with more hosts than cores, scaling is bounded by the cores.`,
    );
    for (const hosts of HOSTS) {
      const xs = rates.get(hosts)!;
      const label = `${hosts} host${hosts > 1 ? "s" : ""}`;
      lines.push(
        `  ${label.padEnd(34)} ${median(xs).toFixed(1).padStart(6)} files/s` +
          `  (range ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})  ` +
          (hosts === 1 ? "(baseline)" : `scaling ${(median(xs) / base).toFixed(2)}× vs 1 host`),
      );
    }

    // 2. Journal overhead per file; rounds alternate so neither side gains from going first.
    const journalDir = join(root, "journal");
    mkdirSync(journalDir);
    const synced: number[] = [];
    const unsynced: number[] = [];
    const perRound = JOURNAL_FILES / JOURNAL_ROUNDS;
    await journalSamples(join(journalDir, "warmup.jsonl"), 20, true);
    for (let round = 0; round < JOURNAL_ROUNDS; round++) {
      unsynced.push(...(await journalSamples(join(journalDir, `plain-${round}.jsonl`), perRound, false)));
      synced.push(...(await journalSamples(join(journalDir, `fsync-${round}.jsonl`), perRound, true)));
    }
    const withFsync = summarize(synced);
    const without = summarize(unsynced);
    const tmpfs = statfsSync(journalDir).type === TMPFS_MAGIC;
    lines.push(
      `  journal start+done per file, N=${JOURNAL_FILES}${tmpfs ? " (on tmpfs: syncing is nearly free here, not on a disk)" : ""}`,
      `  ${"same appends, not synced".padEnd(34)} mean ${us(without.mean)}  p50 ${us(without.p50)}  p99 ${us(without.p99)}  (baseline)`,
      `  ${"JournalWriter (O_SYNC write off-loop)".padEnd(34)} mean ${us(withFsync.mean)}  p50 ${us(withFsync.p50)}  p99 ${us(withFsync.p99)}` +
        `  ratio mean ${(withFsync.mean / without.mean).toFixed(1)}×  p50 ${(withFsync.p50 / without.p50).toFixed(1)}×`,
      `  → durability adds ${us(withFsync.mean - without.mean)} per file, ${(((withFsync.mean - without.mean) / (1000 / base)) * 100).toFixed(2)}% of a file's time at 1 host`,
    );
    return lines.join("\n");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
