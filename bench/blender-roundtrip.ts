// (b) A no-op run through the bridge to a warm managed headless Blender, against a raw
// socket echo loop running inside the same Blender on its main thread, measured in the
// same run. Target: p50 ≤ 2× the raw loop.
//
// Two more rows say where the time goes. "Panel alone" sends the same wrapped no-op
// straight to a second headless Blender's panel from a bare ws server in this process: the
// app side's floor (framing, JSON, compiling and running the wrapped call in Blender), with
// no bridge. The bridge's own share is the bridge row over that one.
//
// Placement matters on this 2-vCPU VM: a ping-pong between two processes on the same core
// takes ~18 µs, across cores ~50 µs (the wake-up goes through the hypervisor). The scheduler
// usually keeps the bridge and Blender on one core, so the baselines are the same-core case.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type WebSocket, WebSocketServer } from "ws";
import { blenderPanelScript, blenderWrapOptions, findBlender } from "../adapters/blender/index.js";
import { findOnPath } from "../adapters/find-executable.js";
import { pythonKit } from "../adapters/python/index.js";
import type { Bridge } from "../bridge/server/bridge-server.js";
import { startBenchBridge } from "./bench-bridge.js";
import { report, sample, summarize } from "./stats.js";

const ITERATIONS = 3000;
// Long enough for both ends to settle (JIT, the guest's idle polling): the first thousand
// round trips run up to 1.5× slower than the rest.
const WARMUP = 1000;
const ROUNDS = 3;

function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }),
  );
}

/** Python for Blender's main thread: echo every chunk until the client hangs up. */
function echoLoop(port: number): string {
  return [
    "import socket",
    "server = socket.socket()",
    "server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
    `server.bind(("127.0.0.1", ${port}))`,
    "server.listen(1)",
    "conn, _ = server.accept()",
    "conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)",
    "while True:",
    "    data = conn.recv(65536)",
    "    if not data:",
    "        break",
    "    conn.sendall(data)",
    "conn.close()",
    "server.close()",
    "'echo loop done'",
  ].join("\n");
}

async function connectWithRetry(port: number): Promise<Socket> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const socket = new Socket();
    const ok = await new Promise<boolean>((resolve) => {
      socket.once("connect", () => resolve(true));
      socket.once("error", () => resolve(false));
      socket.connect(port, "127.0.0.1");
    });
    if (ok) {
      socket.setNoDelay(true);
      return socket;
    }
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the echo loop in Blender never listened on ${port}`);
}

/** One round of the baseline: a run that serves a raw echo loop on Blender's main thread. */
async function rawEchoRound(bridge: Bridge): Promise<number[]> {
  const port = await freePort();
  const loopRun = bridge.dispatcher.run({ app: "blender", code: echoLoop(port), timeoutMs: 120_000 });
  const socket = await connectWithRetry(port);
  const payload = Buffer.from("x".repeat(300)); // about the size of a small run message
  const samples = await sample(
    ITERATIONS / ROUNDS,
    WARMUP,
    () =>
      new Promise((resolve) => {
        socket.once("data", resolve);
        socket.write(payload);
      }),
  );
  socket.end();
  const loopResult = await loopRun;
  if (loopResult.outcome !== "ok") throw new Error(`echo loop failed: ${JSON.stringify(loopResult)}`);
  return samples;
}

/**
 * A Blender whose panel talks to a bare ws server here: no bridge in between. Headless (`-b`)
 * it runs on its own blocking loop; with a UI (under Xvfb) runs reach the main thread through
 * bpy.app.timers.
 */
class PanelAlone {
  private nextId = 0;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly socket: WebSocket,
    private readonly blender: ChildProcess,
    private readonly home: string,
  ) {}

  static async start(mode: "headless" | "ui" = "headless"): Promise<PanelAlone> {
    const executable = findBlender();
    if (!executable) throw new Error("blender is not installed");
    const xvfbRun = mode === "ui" ? findOnPath("xvfb-run") : null;
    if (mode === "ui" && !xvfbRun) throw new Error("xvfb-run is not installed");
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as { port: number };
    const blenderArgs = [
      ...(mode === "headless" ? ["-b"] : []),
      "--factory-startup",
      "--python",
      blenderPanelScript,
      "--",
      "--bridge",
      `ws://127.0.0.1:${port}/ws/host`,
    ];
    // Blender's user folders (a UI Blender writes some) stay out of the real home directory.
    const home = mkdtempSync(join(tmpdir(), "sw-bench-blender-"));
    const blender = spawn(xvfbRun ?? executable, xvfbRun ? ["-a", executable, ...blenderArgs] : blenderArgs, {
      env: {
        ...process.env,
        SCRIPTWRIGHT_TOKEN: "bench-token-not-checked-by-this-server",
        SCRIPTWRIGHT_HOME: home,
        BLENDER_USER_CONFIG: join(home, "config"),
        BLENDER_USER_SCRIPTS: join(home, "scripts"),
      },
      stdio: "ignore",
      detached: true, // its own process group: xvfb-run, Xvfb and Blender stop together
    });
    const socket = await new Promise<WebSocket>((resolve) => server.once("connection", resolve));
    await new Promise((resolve) => socket.once("message", resolve)); // hello
    socket.send(JSON.stringify({ type: "welcome", hostId: "bench-panel", protocol: 1 }));
    const panel = new PanelAlone(server, socket, blender, home);
    const setup = pythonKit.setup;
    if (setup) await panel.run(setup.code);
    return panel;
  }

  run(code: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once("message", (data) => {
        const result = JSON.parse(String(data)) as { ok: boolean };
        if (result.ok) resolve();
        else reject(new Error(`panel run failed: ${String(data)}`));
      });
      this.socket.send(
        JSON.stringify({
          type: "run",
          id: `bench-${this.nextId++}`,
          language: "python",
          code,
          timeoutMs: 60_000,
        }),
      );
    });
  }

  async stop(): Promise<void> {
    this.socket.close();
    try {
      process.kill(-this.blender.pid!, "SIGKILL");
    } catch {
      // already gone
    }
    await new Promise((resolve) => this.server.close(resolve));
    rmSync(this.home, { recursive: true, force: true });
  }
}

export async function benchBlenderRoundTrip(): Promise<string> {
  const { bridge, close } = await startBenchBridge(1);
  const panel = await PanelAlone.start();
  const noop = pythonKit.wrap("None", blenderWrapOptions).code;
  try {
    // Alternate rounds, so no side gains from running first or last (CPU frequency,
    // caches, scheduler placement all drift over a run).
    const bridgeSamples: number[] = [];
    const panelSamples: number[] = [];
    const rawSamples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rawSamples.push(...(await rawEchoRound(bridge)));
      panelSamples.push(...(await sample(ITERATIONS / ROUNDS, WARMUP, () => panel.run(noop))));
      bridgeSamples.push(
        ...(await sample(ITERATIONS / ROUNDS, WARMUP, async () => {
          const result = await bridge.dispatcher.run({ app: "blender", code: "None" });
          if (result.outcome !== "ok") throw new Error(`bench run failed: ${JSON.stringify(result)}`);
        })),
      );
    }
    const viaBridge = summarize(bridgeSamples);
    const panelAlone = summarize(panelSamples);
    return [
      report(
        "(b) Blender round trip: no-op run to a warm managed headless Blender",
        "raw socket echo in the same Blender",
        summarize(rawSamples),
        [
          ["panel alone (no bridge): app floor", panelAlone],
          ["bridge dispatch → Blender → result", viaBridge],
        ],
      ),
      `  the bridge's own share: bridge row / panel alone = p50 ${(viaBridge.p50 / panelAlone.p50).toFixed(2)}×`,
      // A poll or sleep sneaking into the panel's run path would show here first.
      `  panel alone p50 ${panelAlone.p50.toFixed(3)} ms (target < 1 ms: ${panelAlone.p50 < 1 ? "met" : "not met"})`,
    ].join("\n");
  } finally {
    await panel.stop();
    await close();
  }
}

const UI_ITERATIONS = 600;
const UI_WARMUP = 100;

/**
 * (h) The same no-op to a Blender with a UI (under Xvfb), whose runs wait for a bpy.app.timers
 * pass, against the headless panel measured in the same run. Blender's idle UI loop sleeps
 * about 5 ms per pass, so a few ms is expected; tens of ms would mean runs wait on something else.
 */
export async function benchBlenderUiRoundTrip(): Promise<string> {
  const headless = await PanelAlone.start("headless");
  const ui = await PanelAlone.start("ui");
  const noop = pythonKit.wrap("None", blenderWrapOptions).code;
  try {
    const headlessSamples: number[] = [];
    const uiSamples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      headlessSamples.push(...(await sample(UI_ITERATIONS / ROUNDS, UI_WARMUP, () => headless.run(noop))));
      uiSamples.push(...(await sample(UI_ITERATIONS / ROUNDS, UI_WARMUP, () => ui.run(noop))));
    }
    const viaTimer = summarize(uiSamples);
    return [
      report(
        "(h) Blender UI round trip: no-op run to the panel in a Blender with a UI (Xvfb)",
        "headless panel (blocking loop)",
        summarize(headlessSamples),
        [["UI panel through bpy.app.timers", viaTimer]],
      ),
      `  UI p50 ${viaTimer.p50.toFixed(3)} ms (target < 50 ms: ${viaTimer.p50 < 50 ? "met" : "not met"})`,
    ].join("\n");
  } finally {
    await ui.stop();
    await headless.stop();
  }
}
