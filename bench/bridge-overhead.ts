// (a) A no-op run through the bridge to a minimal in-process protocol host, against a raw
// ws echo on loopback measured in the same run. Target: p50 ≤ 1.5× the echo, p99 < 5 ms.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket, { WebSocketServer } from "ws";
import { silentLogger } from "../bridge/logger.js";
import { Bridge } from "../bridge/server/bridge-server.js";
import { echoKit } from "../test/helpers/echo-kit.js";
import { ProtocolHost } from "../test/helpers/protocol-host.js";
import { report, sample, summarize } from "./stats.js";

const ITERATIONS = 3000;
const WARMUP = 300;

async function rawEchoBaseline(): Promise<number[]> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => server.once("listening", resolve));
  server.on("connection", (socket) => socket.on("message", (data) => socket.send(data.toString())));
  const port = (server.address() as { port: number }).port;
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((resolve) => client.once("open", resolve));
  const frame = JSON.stringify({
    type: "run",
    id: "00000000-0000-0000-0000-000000000000",
    language: "echo",
    code: "1",
    timeoutMs: 30000,
  });
  const samples = await sample(
    ITERATIONS,
    WARMUP,
    () =>
      new Promise((resolve) => {
        client.once("message", resolve);
        client.send(frame);
      }),
  );
  client.close();
  server.close();
  return samples;
}

export async function benchBridgeOverhead(): Promise<string> {
  const baseline = summarize(await rawEchoBaseline());
  const dataDir = mkdtempSync(join(tmpdir(), "sw-bench-"));
  const bridge = new Bridge({
    dataDir,
    port: 0,
    logger: silentLogger(),
    kits: new Map([[echoKit.language, echoKit]]),
    adapters: new Map(),
    writeDiscovery: false,
  });
  await bridge.start();
  const host = await ProtocolHost.connect({
    url: bridge.url,
    token: bridge.token,
    onRun: () => ({ output: "1" }),
  });
  const viaDispatcher = summarize(
    await sample(ITERATIONS, WARMUP, () => bridge.dispatcher.run({ host: host.hostId, code: "1" })),
  );
  const body = JSON.stringify({ host: host.hostId, code: "1" });
  const viaHttp = summarize(
    await sample(ITERATIONS, WARMUP, async () => {
      const res = await fetch(`${bridge.url}/api/run`, {
        method: "POST",
        headers: { authorization: `Bearer ${bridge.token}`, "content-type": "application/json" },
        body,
      });
      await res.json();
    }),
  );
  host.close();
  await bridge.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return report(
    "(a) bridge overhead: no-op run to an in-process protocol host",
    "raw ws echo on loopback",
    baseline,
    [
      ["bridge dispatch → host → result", viaDispatcher],
      ["HTTP POST /api/run (informational)", viaHttp],
    ],
  );
}
