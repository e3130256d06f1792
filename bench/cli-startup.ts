// (g) CLI start-up: each command as a user runs it (the built CLI in a fresh node process),
// against `node -e 0` measured in the same run, round-robin so that load changes hit every row
// alike. Wall time p50, and peak RSS p50 (each process's own maxRSS, reported at exit). `exec`
// runs against an in-process bridge and a protocol host; its row subtracts that request's HTTP
// round trip, measured warm in this process. `mcp` is timed to its answer to `initialize`.
// Targets: --version, hosts, check and exec ≤ 3× the wall time and ≤ 2× the peak RSS of
// `node -e 0`; mcp's initialize ≤ 5× the wall time.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { silentLogger } from "../bridge/logger.js";
import { Bridge } from "../bridge/server/bridge-server.js";
import { CLI } from "../test/helpers/cli.js";
import { echoKit } from "../test/helpers/echo-kit.js";
import { ProtocolHost } from "../test/helpers/protocol-host.js";
import { sample, summarize } from "./stats.js";

const ROUNDS = 15;
const MAX_RSS = fileURLToPath(new URL("./max-rss.mjs", import.meta.url));
const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
})}\n`;

interface Case {
  name: string;
  args: string[];
  /** Timed to the answer to an MCP `initialize` on stdin, not to the exit. */
  mcp?: boolean;
  /** Subtracted from the wall time (ms): the HTTP round trip the command waits for. */
  less?: number;
  target?: { wall: number; rss?: number };
}

interface Sample {
  /** To the exit, or for `mcp` to its answer. */
  ms: number;
  rssKiB: number;
}

export async function benchCliStartup(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "sw-bench-cli-"));
  const bridge = new Bridge({
    dataDir: dir,
    port: 0,
    logger: silentLogger(),
    kits: new Map([[echoKit.language, echoKit]]),
    adapters: new Map(),
  });
  await bridge.start();
  const host = await ProtocolHost.connect({
    url: bridge.url,
    token: bridge.token,
    onRun: () => ({ output: "1" }),
  });
  try {
    const body = JSON.stringify({ host: host.hostId, code: "1" });
    const roundTrip = summarize(
      await sample(200, 20, async () => {
        const response = await fetch(`${bridge.url}/api/run`, {
          method: "POST",
          headers: { authorization: `Bearer ${bridge.token}`, "content-type": "application/json" },
          body,
        });
        await response.json();
      }),
    ).p50;
    const cli = (...args: string[]) => [CLI, ...args];
    const cases: Case[] = [
      { name: "node -e 0", args: ["-e", "0"] },
      { name: "--version", args: cli("--version"), target: { wall: 3, rss: 2 } },
      { name: "hosts", args: cli("hosts", "--data-dir", dir), target: { wall: 3, rss: 2 } },
      {
        name: "check --app aftereffects",
        args: cli("check", "--app", "aftereffects", "--code", "var x = 1;"),
        target: { wall: 3, rss: 2 },
      },
      {
        name: "exec − HTTP round trip",
        args: cli("exec", "--host", host.hostId, "--code", "1", "--data-dir", dir),
        less: roundTrip,
        target: { wall: 3, rss: 2 },
      },
      {
        name: "mcp: initialize answered",
        args: cli("mcp", "--data-dir", dir),
        mcp: true,
        target: { wall: 5 },
      },
    ];
    const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
    const rssFile = join(dir, "rss");
    for (let round = -1; round < ROUNDS; round++) {
      for (const c of cases) {
        const s = await runOnce(c, rssFile);
        if (round >= 0) samples.get(c.name)!.push({ ms: s.ms - (c.less ?? 0), rssKiB: s.rssKiB });
      }
    }
    return report(cases, samples, roundTrip);
  } finally {
    host.close();
    await bridge.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOnce(c: Case, rssFile: string): Promise<Sample> {
  rmSync(rssFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", MAX_RSS, ...c.args], {
    env: { ...process.env, SCRIPTWRIGHT_BENCH_RSS: rssFile },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const answeredAt = c.mcp ? await initialized(child) : undefined;
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`${c.name} exited with ${code}: ${stderr}`);
  return {
    ms: (answeredAt ?? performance.now()) - started,
    rssKiB: Number(readFileSync(rssFile, "utf8").trim()),
  };
}

/** Sends `initialize`; resolves at the first line of the answer. */
function initialized(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (!out.includes("\n")) return;
      if (out.includes('"serverInfo"')) resolve(performance.now());
      else reject(new Error(`mcp answered: ${out}`));
    });
    child.once("exit", (code) => reject(new Error(`mcp exited with ${code} before answering`)));
    child.stdin.write(INITIALIZE);
  });
}

function report(cases: Case[], samples: Map<string, Sample[]>, roundTrip: number): string {
  const medians = (c: Case) => {
    const runs = samples.get(c.name)!;
    return { ms: summarize(runs.map((s) => s.ms)).p50, rssKiB: summarize(runs.map((s) => s.rssKiB)).p50 };
  };
  const [baseline, ...rest] = cases;
  const base = medians(baseline!);
  const row = (c: Case, m: { ms: number; rssKiB: number }) =>
    `  ${c.name.padEnd(26)} ${m.ms.toFixed(0).padStart(5)} ms ${(m.rssKiB / 1024).toFixed(0).padStart(4)} MiB`;
  const lines = [
    `\n(g) CLI start-up: p50 wall time and peak RSS of ${ROUNDS} fresh processes each, round-robin`,
    `${row(baseline!, base)}  (baseline)`,
  ];
  for (const c of rest) {
    const m = medians(c);
    const wall = m.ms / base.ms;
    const rss = m.rssKiB / base.rssKiB;
    const target = c.target!;
    const met = wall <= target.wall && (target.rss === undefined || rss <= target.rss);
    const wanted = `≤ ${target.wall}×${target.rss === undefined ? "" : ` and ≤ ${target.rss}×`}`;
    lines.push(
      `${row(c, m)}  wall ${wall.toFixed(2)}×  RSS ${rss.toFixed(2)}×  (target ${wanted}: ${met ? "met" : "NOT MET"})`,
    );
  }
  lines.push(`  (exec's HTTP round trip, warm in this process, subtracted: ${roundTrip.toFixed(2)} ms)`);
  return lines.join("\n");
}
