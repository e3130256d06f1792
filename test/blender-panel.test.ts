// The Blender panel against a real headless Blender. The test plays the bridge with a real
// `ws` server; runs set __scriptwright_output__ themselves (no language kit involved).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import {
  blenderAdapter,
  blenderPanelScript,
  blenderStateProbe,
  blenderWrapOptions,
  launchBlender,
} from "../adapters/blender/index.js";
import { pythonKit } from "../adapters/python/index.js";
import { type HeadlessLaunch, stateProbeFor, type Unwrapped } from "../adapters/types.js";
import { Hello, Result } from "../bridge/protocol/messages.js";
import { type EnvironmentReport, environmentProbe, MARKER_VARIABLE } from "./helpers/environment-probe.js";
import { requireBinary } from "./helpers/require-binary.js";
import { enableAddonScript } from "./helpers/ui-blender.js";

const blender = requireBinary("blender", "apt-get install blender");
const TOKEN = "test-token-0123456789abcdefghijklmnopqrstuvwxyz";
const MARKER = `visible-${process.pid}`;

// ── the bridge side ──────────────────────────────────────────────────────────────────────────

/** Messages in arrival order; `next` waits for one. */
class Inbox<T> {
  private items: T[] = [];
  private waiters: Array<(item: T) => void> = [];

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  next(timeoutMs: number, what: string): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter = (value: T) => {
        clearTimeout(timer);
        resolve(value);
      };
      this.waiters.push(waiter);
    });
  }

  get pending(): number {
    return this.items.length;
  }
}

type Message = Record<string, unknown> & { type: string };

class HostLink {
  readonly messages = new Inbox<Message>();
  /** Non-result frames seen while waiting for results (events). */
  readonly events: Message[] = [];
  readonly closed: Promise<number>;
  private runCount = 0;

  constructor(
    readonly socket: WebSocket,
    readonly hello: Message,
  ) {
    socket.on("message", (data) => this.messages.push(JSON.parse(data.toString()) as Message));
    this.closed = new Promise((resolve) => socket.on("close", (code) => resolve(code)));
  }

  welcome(): void {
    this.send({ type: "welcome", hostId: "host-1", protocol: 1 });
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  startRun(code: string, id = `run-${++this.runCount}`): string {
    this.send({ type: "run", id, language: "python", code, timeoutMs: 60_000 });
    return id;
  }

  async result(id: string, timeoutMs = 60_000): Promise<Result> {
    for (;;) {
      const message = await this.messages.next(timeoutMs, `the result of ${id}`);
      if (message.type !== "result") {
        this.events.push(message);
        continue;
      }
      const result = Result.parse(message);
      expect(result.id).toBe(id);
      return result;
    }
  }

  async run(code: string, timeoutMs?: number): Promise<Result> {
    return this.result(this.startRun(code), timeoutMs);
  }
}

class FakeBridge {
  readonly hosts = new Inbox<HostLink>();
  connections = 0;

  private constructor(
    private readonly server: WebSocketServer,
    readonly port: number,
  ) {
    server.on("connection", (socket) => {
      this.connections++;
      socket.once("message", (data) => this.hosts.push(new HostLink(socket, JSON.parse(data.toString()))));
    });
  }

  static async start(): Promise<FakeBridge> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/ws/host" });
    await new Promise((resolve) => server.once("listening", resolve));
    const address = server.address();
    if (typeof address !== "object" || !address) throw new Error("no port");
    return new FakeBridge(server, address.port);
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws/host`;
  }

  nextHost(timeoutMs = 60_000): Promise<HostLink> {
    return this.hosts.next(timeoutMs, "a host to connect and say hello");
  }

  close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// ── Blender processes ────────────────────────────────────────────────────────────────────────

interface BlenderProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr(): string;
}

const processes: BlenderProcess[] = [];
const bridges: FakeBridge[] = [];

function startBlender(launch: HeadlessLaunch): BlenderProcess {
  const child = spawn(launch.command, launch.args, {
    env: { ...process.env, ...launch.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so afterAll can kill everything it started
  });
  let stderr = "";
  child.stdout?.resume();
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // "close", not "exit": by then stderr has been read to the end.
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const spawned = { child, exited, stderr: () => stderr };
  processes.push(spawned);
  return spawned;
}

function launchFor(bridge: FakeBridge, overrides: { token?: string; file?: string; name?: string } = {}) {
  return launchBlender(blender.path!, {
    bridgeUrl: bridge.url,
    token: overrides.token ?? TOKEN,
    name: overrides.name ?? "blender-test",
    instance: "instance-42",
    file: overrides.file,
  });
}

async function startBridge(): Promise<FakeBridge> {
  const bridge = await FakeBridge.start();
  bridges.push(bridge);
  return bridge;
}

/** Waits until Blender's stderr, from offset `from` on, matches `pattern`; returns the match. */
async function stderrMatch(
  blenderProcess: BlenderProcess,
  pattern: RegExp,
  from: number,
  what: string,
  timeoutMs = 30_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = blenderProcess.stderr().slice(from).match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves with the exit code, or fails the test if the process is still running. */
async function exitCode(blenderProcess: BlenderProcess, timeoutMs = 60_000): Promise<number | null> {
  const timeout = new Promise<"running">((resolve) => setTimeout(() => resolve("running"), timeoutMs));
  const outcome = await Promise.race([blenderProcess.exited, timeout]);
  if (outcome === "running") throw new Error(`Blender still running after ${timeoutMs} ms`);
  return outcome;
}

afterAll(async () => {
  for (const { child } of processes) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  await Promise.all(bridges.map((bridge) => bridge.close()));
});

const OUTPUT = "__scriptwright_output__";

/** Spins forever, saying on stderr when it starts and every 0.1 s after (it stops only on a cancel). */
const SPIN = [
  "import sys, time",
  "beat = 0",
  "next_beat = time.monotonic()",
  "while True:",
  "    if time.monotonic() >= next_beat:",
  "        beat += 1",
  "        print(f'spinning {beat}', file=sys.__stderr__, flush=True)",
  "        next_beat += 0.1",
].join("\n");

/** Starts SPIN and waits until it runs (a run waits for the main thread, which a busy machine delays). */
async function startSpinning(host: HostLink, blenderProcess: BlenderProcess): Promise<string> {
  const from = blenderProcess.stderr().length;
  const id = host.startRun(SPIN);
  await stderrMatch(blenderProcess, /spinning 1\n/, from, "the spinning script to start");
  return id;
}

/** Fails unless the panel answers a ping within `timeoutMs`. */
function ping(host: HostLink, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no pong within ${timeoutMs} ms`)), timeoutMs);
    host.socket.once("pong", () => {
      clearTimeout(timer);
      resolve();
    });
    host.socket.ping();
  });
}

/** Runs `code` as the Python kit wraps it (its runtime set up first) and unwraps it like the bridge. */
async function runWrapped(host: HostLink, code: string): Promise<Unwrapped> {
  const setup = await host.run(pythonKit.setup!.code);
  expect(setup.ok).toBe(true);
  const wrapped = pythonKit.wrap(code);
  const result = await host.run(wrapped.code);
  if (!result.ok) throw new Error(`the wrapped run failed: ${result.error.message}`);
  return pythonKit.unwrap(result.output, wrapped);
}

// Run 1 starts a thread that keeps printing; run 2 waits (on an event the thread sets after
// each print) until it has printed twice more, so at least once while run 2 runs.
const START_TICKER = `
import sys, threading, time, types
ticker = types.ModuleType("sw_ticker")
ticker.printed = 0
ticker.ticked = threading.Event()
ticker.stop = threading.Event()
def tick():
    while not ticker.stop.is_set():
        print("background tick", ticker.printed + 1)
        ticker.printed += 1
        ticker.ticked.set()
        time.sleep(0.01)
sys.modules["sw_ticker"] = ticker
threading.Thread(target=tick, daemon=True).start()
if not ticker.ticked.wait(20):
    raise TimeoutError("the thread never printed")
print("run 1 printed this")
ticker.printed
`;
const WAIT_FOR_TICKS = `
import sys
ticker = sys.modules["sw_ticker"]
seen = ticker.printed
while ticker.printed < seen + 2:
    ticker.ticked.clear()
    if not ticker.ticked.wait(20):
        raise TimeoutError("the thread stopped printing")
print("run 2 printed this")
ticker.printed - seen
`;

/** A background thread's prints reach neither its own run's logs nor a later run's, but stderr. */
async function expectThreadOutputKeptOutOfLogs(
  host: HostLink,
  blenderProcess: BlenderProcess,
): Promise<void> {
  try {
    const first = await runWrapped(host, START_TICKER);
    expect({ error: first.error, logs: first.logs }).toEqual({
      error: undefined,
      logs: "run 1 printed this\n",
    });
    const second = await runWrapped(host, WAIT_FOR_TICKS);
    expect({ error: second.error, logs: second.logs }).toEqual({
      error: undefined,
      logs: "run 2 printed this\n",
    });
    expect(second.value).toBeGreaterThanOrEqual(2);
    await vi.waitFor(() => expect(blenderProcess.stderr()).toMatch(/background tick \d+/), {
      timeout: 30_000,
    });
  } finally {
    await runWrapped(host, "import sys\nsys.modules['sw_ticker'].stop.set()");
  }
}

// ── tests ────────────────────────────────────────────────────────────────────────────────────

describe.skipIf(blender.skip)("Blender panel, headless", () => {
  let bridge: FakeBridge;
  let host: HostLink;
  let blenderProcess: BlenderProcess;

  beforeAll(async () => {
    bridge = await startBridge();
    blenderProcess = startBlender(launchFor(bridge));
    host = await bridge.nextHost();
    host.welcome();
  });

  it("says a protocol v1 hello with its name, instance and version", () => {
    const hello = Hello.parse(host.hello);
    expect(hello).toMatchObject({
      protocol: 1,
      token: TOKEN,
      app: "blender",
      language: "python",
      name: "blender-test",
      instance: "instance-42",
      document: null,
      capabilities: ["python", "state"],
    });
    expect(hello.appVersion).toMatch(/^\d+\.\d+/);
  });

  it("returns the string the code left in __scriptwright_output__", async () => {
    const result = await host.run(`import bpy\n${OUTPUT} = str(len(bpy.data.objects))`);
    expect(result).toMatchObject({ ok: true, output: "3" });
    expect(result.ok && result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("runs in a fresh namespace named __scriptwright__ on the main thread", async () => {
    await host.run("leftover = 1\n__scriptwright_output__ = ''");
    const result = await host.run(
      `import threading\n${OUTPUT} = repr((__name__, 'leftover' in globals(), threading.current_thread() is threading.main_thread()))`,
    );
    expect(result).toMatchObject({ ok: true, output: "('__scriptwright__', False, True)" });
  });

  it("reports ok:false when the wrapper itself raises, with the traceback in raw", async () => {
    const result = await host.run("raise ValueError('the wrapper broke')");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe("ValueError: the wrapper broke");
    expect(result.error.raw).toContain('File "<scriptwright>", line 1');
  });

  it("reports ok:false on a syntax error and on SystemExit, and keeps running", async () => {
    const syntax = await host.run("def broken(:\n  pass");
    expect(syntax.ok).toBe(false);
    expect(!syntax.ok && syntax.error.message).toMatch(/^SyntaxError/);
    const exit = await host.run("import sys\nsys.exit(3)");
    expect(exit.ok).toBe(false);
    expect(!exit.ok && exit.error.message).toBe("SystemExit: 3");
    expect(await host.run(`${OUTPUT} = 'alive'`)).toMatchObject({ ok: true, output: "alive" });
  });

  it("reports ok:false when the output is not a str or is missing", async () => {
    const number = await host.run(`${OUTPUT} = 42`);
    expect(number.ok).toBe(false);
    expect(!number.ok && number.error.message).toContain("int, not str");
    const missing = await host.run("x = 1");
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error.message).toContain("did not set __scriptwright_output__");
  });

  it("returns a 20 MB output intact (64-bit frame length, masked)", async () => {
    const unit = "0123456789abcdef-héllo ✓\n";
    const code = `unit = ${JSON.stringify(unit)}\n${OUTPUT} = (unit * (20 * 1024 * 1024 // len(unit) + 1))[: 20 * 1024 * 1024]`;
    const result = await host.run(code, 60_000);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const expected = unit.repeat(Math.floor((20 * 1024 * 1024) / unit.length) + 1).slice(0, 20 * 1024 * 1024);
    expect(result.output.length).toBe(expected.length);
    expect(result.output === expected).toBe(true);
  });

  it("answers ok:false instead of a reply over the bridge's 32 MiB frame limit", async () => {
    const result = await host.run(`${OUTPUT} = 'x' * (40 * 1024 * 1024)`, 60_000);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/^output too large to send/);
    expect(await host.run(`${OUTPUT} = 'connection kept'`)).toMatchObject({ ok: true });
  });

  it("reassembles a fragmented run message with 16- and 64-bit lengths", async () => {
    const padding = "#".repeat(3 * 1024 * 1024);
    const message = JSON.stringify({
      type: "run",
      id: "fragmented",
      language: "python",
      code: `# ${padding}\n${OUTPUT} = 'fragments ok ✓'`,
      timeoutMs: 10_000,
    });
    const cuts = [0, 100, 70_000, 2_000_000, message.length];
    for (let i = 0; i < cuts.length - 1; i++) {
      const part = message.slice(cuts[i], cuts[i + 1]);
      host.socket.send(part, { binary: false, fin: i === cuts.length - 2 });
    }
    expect(await host.result("fragmented")).toMatchObject({ ok: true, output: "fragments ok ✓" });
  });

  it("answers pings while a script spins, ignores other cancels, stops on its cancel", async () => {
    const busy = await startSpinning(host, blenderProcess);
    for (let i = 0; i < 3; i++) {
      await ping(host, 30_000);
    }
    host.send({ type: "cancel", id: "some-other-run" });
    // The socket thread reads frames in order: once this pong is back, that cancel was handled,
    // and the script printing twice more shows it was not interrupted.
    await ping(host, 30_000);
    await stderrMatch(
      blenderProcess,
      /spinning \d+\n[\s\S]*spinning \d+\n/,
      blenderProcess.stderr().length,
      "the script to go on spinning after another run's cancel",
    );
    expect(host.messages.pending).toBe(0);

    host.send({ type: "cancel", id: busy });
    const cancelled = await host.result(busy);
    expect(cancelled.ok).toBe(false);
    expect(!cancelled.ok && cancelled.error.message).toBe("cancelled by the bridge");
    expect(await host.run(`${OUTPUT} = 'after cancel'`)).toMatchObject({ ok: true, output: "after cancel" });
  });

  it("never starts a run cancelled while it waits behind another", async () => {
    const busy = host.startRun(
      `import time\nfor _ in range(600):\n    time.sleep(0.05)\n${OUTPUT} = 'slept'`,
    );
    const waiting = host.startRun(
      `import bpy\nbpy.app.driver_namespace['sw_waiting_ran'] = True\n${OUTPUT} = 'ran'`,
    );
    host.send({ type: "cancel", id: waiting });
    host.send({ type: "cancel", id: busy });
    const first = await host.result(busy);
    expect(!first.ok && first.error.message).toMatch(/^cancelled by the bridge/);
    const second = await host.result(waiting);
    expect(!second.ok && second.error.message).toBe("cancelled by the bridge before it started");
    const ran = await host.run(
      `import bpy\n${OUTPUT} = repr(bpy.app.driver_namespace.get('sw_waiting_ran'))`,
    );
    expect(ran).toMatchObject({ ok: true, output: "None" });
  });

  it("runs scripts one at a time, in arrival order", async () => {
    const step = (n: number, sleep: number) =>
      host.startRun(
        [
          "import bpy, time",
          "log = bpy.app.driver_namespace.setdefault('sw_order', [])",
          `log.append(('start', ${n}))`,
          `time.sleep(${sleep})`,
          `log.append(('end', ${n}))`,
          `${OUTPUT} = repr(log)`,
        ].join("\n"),
      );
    const ids = [step(1, 0.3), step(2, 0.1), step(3, 0)];
    const results = [];
    for (const id of ids) results.push(await host.result(id));
    const last = results[2];
    expect(last).toMatchObject({
      ok: true,
      output: "[('start', 1), ('end', 1), ('start', 2), ('end', 2), ('start', 3), ('end', 3)]",
    });
  });

  it("ignores frames it does not understand", async () => {
    host.send({ type: "no-such-frame", id: "x" });
    host.socket.send("not json at all");
    host.socket.send(Buffer.from([1, 2, 3]));
    host.send({ type: "run", code: "missing id" });
    expect(await host.run(`${OUTPUT} = 'still here'`)).toMatchObject({ ok: true, output: "still here" });
    // stderr is a separate pipe: it may trail the socket a little.
    await vi.waitFor(() => expect(blenderProcess.stderr()).toContain("ignored a 'no-such-frame' frame"), {
      timeout: 30_000,
    });
  });

  it("keeps a background thread's prints out of its run's logs and later runs' (they go to stderr)", async () => {
    await expectThreadOutputKeptOutOfLogs(host, blenderProcess);
  });

  it("runs the adapter's epilogue harmlessly in background mode", async () => {
    const { prelude, epilogue } = blenderWrapOptions;
    const result = await host.run(`${prelude}\nx = len(D.objects)\n${epilogue}\n${OUTPUT} = str(x)`);
    expect(result).toMatchObject({ ok: true, output: "3" });
  });

  it("state probe: a bounded summary of the scene", async () => {
    const probe = async () => {
      const lines = blenderStateProbe.split("\n");
      const finalExpression = lines.pop();
      const code = [
        blenderWrapOptions.prelude,
        ...lines,
        "import json",
        `${OUTPUT} = json.dumps(${finalExpression})`,
      ].join("\n");
      const result = await host.run(code);
      if (!result.ok) throw new Error(result.error.raw ?? result.error.message);
      return JSON.parse(result.output);
    };
    expect(await probe()).toEqual({
      file: null,
      unsavedChanges: expect.any(Boolean),
      scene: "Scene",
      frame: { start: 1, end: 250, current: 1 },
      renderEngine: expect.any(String),
      objectCount: 3,
      objectsByType: { MESH: 1, CAMERA: 1, LIGHT: 1 },
      objects: expect.arrayContaining([
        { name: "Cube", type: "MESH" },
        { name: "Camera", type: "CAMERA" },
        { name: "Light", type: "LIGHT" },
      ]),
      moreObjects: 0,
      selected: ["Cube"],
      moreSelected: 0,
      active: "Cube",
    });

    const addEmpties = await host.run(
      [
        "import bpy",
        "for i in range(70):",
        "    obj = bpy.data.objects.new(f'Empty{i:03}', None)",
        "    bpy.context.scene.collection.objects.link(obj)",
        "    obj.select_set(True)",
        "bpy.context.scene.frame_set(12)",
        `${OUTPUT} = ''`,
      ].join("\n"),
    );
    expect(addEmpties.ok).toBe(true);
    const state = await probe();
    expect(state.objectCount).toBe(73);
    expect(state.objectsByType).toEqual({ MESH: 1, CAMERA: 1, LIGHT: 1, EMPTY: 70 });
    expect(state.objects).toHaveLength(50);
    expect(state.moreObjects).toBe(23);
    expect(state.selected).toHaveLength(50);
    expect(state.moreSelected).toBe(21);
    expect(state.frame.current).toBe(12);
  });

  it("sends document-changed when a run saves the file, and names the file in the next hello", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sw-blender-"));
    try {
      const path = join(dir, "saved.blend");
      const result = await host.run(
        `import bpy\nbpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(path)})\n${OUTPUT} = bpy.data.filepath`,
      );
      expect(result).toMatchObject({ ok: true, output: path });
      expect(host.events).toEqual([{ type: "event", name: "document-changed", document: path }]);

      const opened = startBlender(launchFor(bridge, { file: path, name: "with-file" }));
      const second = await bridge.nextHost();
      expect(Hello.parse(second.hello)).toMatchObject({ name: "with-file", document: path });
      second.welcome();
      second.socket.close(1000);
      expect(await exitCode(opened)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(blender.skip)("Blender panel, headless lifecycle", () => {
  it("exits with code 2 and no retry when the bridge answers error unauthorized", async () => {
    const bridge = await startBridge();
    const refused = startBlender(launchFor(bridge, { token: "wrong-token" }));
    const host = await bridge.nextHost();
    expect(Hello.parse(host.hello).token).toBe("wrong-token");
    host.send({ type: "error", code: "unauthorized", message: "bad token" });
    host.socket.close(1008, "unauthorized");
    expect(await exitCode(refused)).toBe(2);
    expect(refused.stderr()).toContain("unauthorized: bad token");
    expect(bridge.connections).toBe(1);
  });

  it("exits with code 0 when the bridge closes the socket normally", async () => {
    const bridge = await startBridge();
    const managed = startBlender(launchFor(bridge));
    const host = await bridge.nextHost();
    host.welcome();
    expect(await host.run(`${OUTPUT} = 'up'`)).toMatchObject({ ok: true });
    host.socket.close(1000, "bridge shutting down");
    expect(await host.closed).toBe(1000);
    expect(await exitCode(managed)).toBe(0);
  });

  it("exits non-zero when the bridge connection drops, even in the middle of a run", async () => {
    const bridge = await startBridge();
    const managed = startBlender(launchFor(bridge));
    const host = await bridge.nextHost();
    host.welcome();
    await startSpinning(host, managed);
    host.socket.terminate();
    expect(await exitCode(managed)).toBe(1);
  });

  it("exits with code 2 when it has no token, naming the missing variable", async () => {
    const home = mkdtempSync(join(tmpdir(), "sw-blender-empty-"));
    try {
      const launch = launchFor(await startBridge());
      const noToken = startBlender({ ...launch, env: { SCRIPTWRIGHT_TOKEN: "", SCRIPTWRIGHT_HOME: home } });
      expect(await exitCode(noToken)).toBe(2);
      expect(noToken.stderr()).toContain("SCRIPTWRIGHT_TOKEN is not set");
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("exits when nothing listens at the bridge URL", async () => {
    const bridge = await startBridge();
    const url = bridge.url;
    await bridge.close();
    const launch = launchBlender(blender.path!, { bridgeUrl: url, token: TOKEN, name: "n", instance: "i" });
    expect(await exitCode(startBlender(launch))).toBe(1);
  });
});

describe("Blender adapter", () => {
  it("launches headless with the token in the environment only", () => {
    const launch = launchBlender("/opt/blender/blender", {
      bridgeUrl: "ws://127.0.0.1:7821/ws/host",
      token: "secret-token",
      name: "blender-1",
      instance: "abc",
      file: "-odd name.blend",
    });
    expect(launch.command).toBe("/opt/blender/blender");
    expect(launch.env).toEqual({ SCRIPTWRIGHT_TOKEN: "secret-token" });
    expect(launch.args.join(" ")).not.toContain("secret-token");
    expect(launch.args.slice(0, 2)).toEqual(["-b", "--factory-startup"]);
    expect(launch.args[2]).toBe(join(process.cwd(), "-odd name.blend"));
    const script = launch.args.indexOf("--python") + 1;
    expect(launch.args[script]).toMatch(/panels\/blender\/scriptwright_blender\.py$/);
    expect(launch.args.slice(launch.args.indexOf("--"))).toEqual([
      "--",
      "--bridge",
      "ws://127.0.0.1:7821/ws/host",
      "--name",
      "blender-1",
      "--instance",
      "abc",
    ]);
  });

  it("finds Blender through SCRIPTWRIGHT_BLENDER, and reports a wrong one as missing", () => {
    const original = process.env.SCRIPTWRIGHT_BLENDER;
    try {
      process.env.SCRIPTWRIGHT_BLENDER = process.execPath;
      expect(blenderAdapter.headless?.find()).toBe(process.execPath);
      process.env.SCRIPTWRIGHT_BLENDER = join(tmpdir(), "no-such-blender");
      expect(blenderAdapter.headless?.find()).toBeNull();
    } finally {
      if (original === undefined) delete process.env.SCRIPTWRIGHT_BLENDER;
      else process.env.SCRIPTWRIGHT_BLENDER = original;
    }
  });

  it.skipIf(blender.skip)("finds blender on PATH", () => {
    expect(blenderAdapter.headless?.find()).toBe(blender.path);
  });

  it("declares the app, language and wrap options", () => {
    expect(blenderAdapter).toMatchObject({ app: "blender", language: "python" });
    expect(blenderAdapter.wrapOptions?.prelude).toBe("import bpy\nC = bpy.context\nD = bpy.data");
    expect(blenderAdapter.wrapOptions?.epilogue).toContain(
      'bpy.ops.ed.undo_push(message="Scriptwright run")',
    );
    expect(stateProbeFor(blenderAdapter, "python")?.trim().split("\n").pop()).toBe("__scriptwright_state()");
  });
});

// ── UI mode: the add-on inside a real Blender window (under Xvfb) ─────────────────────────────

const xvfb = requireBinary("xvfb-run", "apt-get install xvfb xauth");

describe.skipIf(blender.skip || xvfb.skip)("Blender panel, UI add-on", () => {
  let bridge: FakeBridge;
  let host: HostLink;
  let home: string;
  let ui: BlenderProcess;

  beforeAll(async () => {
    bridge = await startBridge();
    home = mkdtempSync(join(tmpdir(), "sw-blender-ui-"));
    // Discovery: the add-on finds the bridge through bridge.json, as with a real bridge.
    writeFileSync(
      join(home, "bridge.json"),
      JSON.stringify({
        url: `http://127.0.0.1:${bridge.port}`,
        port: bridge.port,
        token: TOKEN,
        pid: 1,
        version: "0",
      }),
      { mode: 0o600 },
    );
    ui = startBlender({
      command: xvfb.path!,
      args: [
        "-a",
        blender.path!,
        "--factory-startup",
        "--python-expr",
        enableAddonScript(dirname(blenderPanelScript)),
      ],
      env: {
        SCRIPTWRIGHT_HOME: home,
        // As if Blender were started from a shell holding a token: the add-on must take it away.
        SCRIPTWRIGHT_TOKEN: TOKEN,
        [MARKER_VARIABLE]: MARKER,
        // Keep Blender's user folders out of the real home directory.
        BLENDER_USER_CONFIG: join(home, "config"),
        BLENDER_USER_SCRIPTS: join(home, "scripts"),
      },
    });
    host = await bridge.nextHost(60_000);
    host.welcome();
  });

  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("leaves no token in any environment a script can read, even one Blender was started with", async () => {
    const probed = await runWrapped(host, environmentProbe({ token: TOKEN }, MARKER));
    expect(probed.error).toBeUndefined();
    for (const [source, findings] of Object.entries(probed.value as EnvironmentReport)) {
      expect({ source, ...findings }).toEqual({ source, found: [], marker: true });
    }
  });

  it("finds the bridge through bridge.json and says hello", () => {
    const hello = Hello.parse(host.hello);
    expect(hello).toMatchObject({ token: TOKEN, app: "blender", language: "python", document: null });
    expect(hello.name).toMatch(/^blender-\d+$/);
    expect(hello.instance).toBeUndefined();
  });

  it("runs scripts on the main thread of the UI through bpy.app.timers", async () => {
    const result = await host.run(
      [
        "import bpy, threading, traceback",
        "stack = ''.join(traceback.format_stack())",
        `${OUTPUT} = repr((bpy.app.background, threading.current_thread() is threading.main_thread(), '_pump' in stack))`,
      ].join("\n"),
    );
    expect(result).toMatchObject({ ok: true, output: "(False, True, True)" });
  });

  it("makes one undo step per run with the adapter's epilogue", async () => {
    const { prelude, epilogue } = blenderWrapOptions;
    const added = await host.run(
      [
        prelude,
        "mesh = D.meshes.new('SwMesh')",
        "for name in ('SwA', 'SwB'):",
        "    C.scene.collection.objects.link(D.objects.new(name, mesh))",
        epilogue,
        `${OUTPUT} = ','.join(sorted(o.name for o in D.objects))`,
      ].join("\n"),
    );
    expect(added).toMatchObject({ ok: true, output: "Camera,Cube,Light,SwA,SwB" });
    const undone = await host.run(
      `import bpy\nbpy.ops.ed.undo()\n${OUTPUT} = ','.join(sorted(o.name for o in bpy.data.objects))`,
    );
    expect(undone).toMatchObject({ ok: true, output: "Camera,Cube,Light" });
  });

  it("draws its sidebar from the live connection", async () => {
    const result = await host.run(
      [
        "import bpy",
        "class Layout:",
        "    items = []",
        "    def label(self, text='', icon='NONE'): self.items.append(text)",
        "    def operator(self, idname, icon='NONE'): self.items.append(idname)",
        "drawn = type('Sidebar', (), {'layout': Layout()})()",
        "bpy.types.SCRIPTWRIGHT_PT_sidebar.draw(drawn, bpy.context)",
        `${OUTPUT} = '|'.join(drawn.layout.items)`,
      ].join("\n"),
    );
    expect(result.ok).toBe(true);
    // The id the bridge gave it in the welcome (what `exec --host` takes), its name beside it.
    expect(result.ok && result.output).toMatch(
      /^Connected\|Host: host-1 \(blender-\d+\)\|Last run: ok in [\d.]+ ms\|scriptwright\.disconnect$/,
    );
  });

  it("redraws its sidebar on every change of the connection: lost, reconnecting, connected again", async () => {
    // A draw handler on the 3D view's sidebar region reports each real redraw on stderr (the
    // only way out while the add-on has no bridge), with the status the sidebar shows then.
    const probe = await host.run(
      [
        "import bpy, sys",
        "ui = sys.modules['scriptwright.ui']",
        "def report():",
        "    c = ui._connection",
        "    print(f'SIDEBAR-DRAWN {c.status} | {c.host_id}', file=sys.__stderr__, flush=True)",
        "bpy.app.driver_namespace['sw_sidebar_probe'] = bpy.types.SpaceView3D.draw_handler_add(report, (), 'UI', 'POST_PIXEL')",
        "for window in bpy.context.window_manager.windows:",
        "    for area in window.screen.areas:",
        "        if area.type == 'VIEW_3D':",
        "            area.spaces.active.show_region_ui = True",
        `${OUTPUT} = 'probing'`,
      ].join("\n"),
    );
    expect(probe).toMatchObject({ ok: true });
    await stderrMatch(ui, /SIDEBAR-DRAWN Connected \| host-1\n/, 0, "a redraw after the run");

    let from = ui.stderr().length;
    host.socket.terminate(); // as when the bridge stops
    const again = await bridge.nextHost();
    // Not welcomed yet: the sidebar must already have stopped saying "Connected".
    const lost = await stderrMatch(
      ui,
      /SIDEBAR-DRAWN (?!Connected)(.*) \| None\n/,
      from,
      "a redraw once the bridge is gone",
    );
    expect(lost[1]).toMatch(/^(Connection closed \(\d+\), reconnecting|Connecting…|Retrying: .*)$/);

    from = ui.stderr().length;
    again.send({ type: "welcome", hostId: "blender-7", protocol: 1 });
    await stderrMatch(ui, /SIDEBAR-DRAWN Connected \| blender-7\n/, from, "a redraw once connected again");
    host = again;
    const removed = await host.run(
      [
        "import bpy",
        "bpy.types.SpaceView3D.draw_handler_remove(bpy.app.driver_namespace.pop('sw_sidebar_probe'), 'UI')",
        "for window in bpy.context.window_manager.windows:",
        "    for area in window.screen.areas:",
        "        if area.type == 'VIEW_3D':",
        "            area.spaces.active.show_region_ui = False",
        `${OUTPUT} = 'removed'`,
      ].join("\n"),
    );
    expect(removed).toMatchObject({ ok: true, output: "removed" });
  });

  it("sends a 20 MB reply intact from its sender thread", async () => {
    const code = `${OUTPUT} = ''.join(chr(0x41 + i % 26) for i in range(26)) * (20 * 1024 * 1024 // 26)`;
    const result = await host.run(code, 60_000);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.output.length).toBe(26 * Math.floor((20 * 1024 * 1024) / 26));
    expect(result.output === "ABCDEFGHIJKLMNOPQRSTUVWXYZ".repeat(Math.floor((20 * 1024 * 1024) / 26))).toBe(
      true,
    );
  });

  it("answers pings while a script spins the UI, and stops it on cancel", async () => {
    const busy = await startSpinning(host, ui);
    await ping(host, 30_000);
    host.send({ type: "cancel", id: busy });
    const cancelled = await host.result(busy);
    expect(!cancelled.ok && cancelled.error.message).toBe("cancelled by the bridge");
  });

  it("keeps a background thread's prints out of its run's logs and later runs' (they go to stderr)", async () => {
    await expectThreadOutputKeptOutOfLogs(host, ui);
  });

  it("disabling the add-on closes the connection; enabling it connects again", async () => {
    const old = host;
    old.startRun(
      [
        "import addon_utils",
        "addon_utils.disable('scriptwright')",
        "addon_utils.enable('scriptwright', default_set=True)",
        `${OUTPUT} = 'never sent: the connection it came on is closed'`,
      ].join("\n"),
    );
    expect(await old.closed).toBe(1001);
    host = await bridge.nextHost();
    host.welcome();
    expect(await host.run(`${OUTPUT} = 'back'`)).toMatchObject({ ok: true, output: "back" });
    expect(old.messages.pending).toBe(0);
  });

  it("reconnects after the bridge drops it, and stops retrying once unauthorized", async () => {
    // With no bridge to answer, a UI timer reports the connection on stderr until the thread that
    // reconnects has ended: once it has, no further attempt can come.
    const watch = await host.run(
      [
        "import bpy, sys, threading",
        "ui = sys.modules['scriptwright.ui']",
        "def report():",
        "    alive = any(t.name == 'scriptwright-socket' and t.is_alive() for t in threading.enumerate())",
        "    print(f'SW-CONNECTION {ui._connection.status} | reconnecting: {alive}', file=sys.__stderr__, flush=True)",
        "    return 0.1 if alive else None",
        "bpy.app.timers.register(report, first_interval=0.1)",
        `${OUTPUT} = 'watching'`,
      ].join("\n"),
    );
    expect(watch).toMatchObject({ ok: true, output: "watching" });
    const before = bridge.connections;
    host.socket.terminate();
    const again = await bridge.nextHost();
    expect(bridge.connections).toBe(before + 1);
    expect(Hello.parse(again.hello).token).toBe(TOKEN);
    const from = ui.stderr().length;
    again.send({ type: "error", code: "unauthorized", message: "token rotated" });
    again.socket.close(1008);
    await stderrMatch(
      ui,
      /SW-CONNECTION Refused: token rotated \| reconnecting: False\n/,
      from,
      "the add-on to stop reconnecting",
    );
    expect(bridge.connections).toBe(before + 1);
    expect(ui.child.exitCode).toBeNull();
  });
});

describe.skipIf(blender.skip || xvfb.skip)("Blender panel, UI started with the panel script", () => {
  it("connects to --bridge with the token from the environment, as headless does, and runs in the UI", async () => {
    const bridge = await startBridge();
    const home = mkdtempSync(join(tmpdir(), "sw-blender-ui-script-"));
    try {
      // `blender --python scriptwright_blender.py -- --bridge …` without -b, as a person may run it.
      const ui = startBlender({
        command: xvfb.path!,
        args: [
          "-a",
          blender.path!,
          "--factory-startup",
          "--python",
          blenderPanelScript,
          "--",
          "--bridge",
          bridge.url,
          "--name",
          "ui-from-script",
        ],
        env: {
          SCRIPTWRIGHT_TOKEN: TOKEN,
          // No bridge.json here: the connection can only come from --bridge.
          SCRIPTWRIGHT_HOME: home,
          BLENDER_USER_CONFIG: join(home, "config"),
          BLENDER_USER_SCRIPTS: join(home, "scripts"),
        },
      });
      const host = await bridge.nextHost(60_000);
      expect(Hello.parse(host.hello)).toMatchObject({ token: TOKEN, app: "blender", name: "ui-from-script" });
      host.welcome();
      const result = await host.run(
        [
          "import bpy, os",
          `${OUTPUT} = repr((bpy.app.background, 'SCRIPTWRIGHT_TOKEN' in os.environ, bpy.types.SCRIPTWRIGHT_PT_sidebar.bl_category))`,
        ].join("\n"),
      );
      expect(result).toMatchObject({ ok: true, output: "(False, False, 'Scriptwright')" });
      expect(ui.child.exitCode).toBeNull();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
