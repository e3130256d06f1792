// The supervisor with stand-in "apps" that are plain Node processes: they exercise the
// restart policy only; the real app path is covered against Blender.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Adapter } from "../adapters/types.js";
import type { HeadlessSpec } from "../bridge/managed/headless-spec.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { waitUntil } from "./helpers/proc.js";

function processAdapter(app: string, script: string): Adapter {
  return {
    app,
    displayName: app,
    language: "echo",
    headless: {
      find: () => process.execPath,
      launch: (executable, options) => ({
        command: executable,
        args: ["-e", script, options.bridgeUrl, options.instance],
        env: { SCRIPTWRIGHT_TOKEN: options.token },
      }),
    },
  };
}

/** A stand-in that says hello with the instance id it was started with and stays connected. */
const HELLO = `
  const WebSocket = require("ws");
  const [url, instance] = process.argv.slice(1);
  const ws = new WebSocket(url);
  ws.on("open", () => ws.send(JSON.stringify({ type: "hello", protocol: 1, token: process.env.SCRIPTWRIGHT_TOKEN,
    app: "standin", appVersion: "1", language: "echo", name: "standin", capabilities: [], instance })));
  ws.on("close", () => process.exit(0));`;

const spec = (adapter: Adapter): HeadlessSpec => ({ adapter, executable: process.execPath, count: 1 });

/** The delays bridge.log says the supervisor waited before each restart, in order. */
function restartDelays(dataDir: string): number[] {
  return readFileSync(join(dataDir, "logs", "bridge.log"), "utf8")
    .split("\n")
    .filter((line) => line.includes("managed host restarting"))
    .map((line) => (JSON.parse(line) as { delayMs: number }).delayMs);
}

let fx: BridgeFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe("managed host supervisor", () => {
  it("restarts a host that keeps crashing, with growing delays", async () => {
    fx = await startBridge({ headless: [spec(processAdapter("crasher", "process.exit(1)"))] });
    const supervisor = fx.bridge.managed!;
    await waitUntil(() => supervisor.status()[0]!.restarts >= 3, 60_000, "three restarts");
    // The delays it chose, as bridge.log says them (how long each took depends on the machine).
    const delays = restartDelays(fx.dataDir).slice(0, 3);
    expect(delays).toEqual([250, 500, 1000]);
  });

  it("does not restart a host the bridge refused (exit code 2)", async () => {
    fx = await startBridge({ headless: [spec(processAdapter("refused", "process.exit(2)"))] });
    const supervisor = fx.bridge.managed!;
    await waitUntil(() => supervisor.status()[0]!.state !== "starting", 60_000, "the host to exit");
    // Refused is where it stays: the exit that set it scheduled nothing.
    expect(supervisor.status()[0]).toMatchObject({ state: "refused", restarts: 0, pid: null });
    expect(restartDelays(fx.dataDir)).toEqual([]);
  });

  it("ties a host that says hello with its instance id to its process, as managed", async () => {
    fx = await startBridge({ headless: [spec(processAdapter("standin", HELLO))] });
    await fx.bridge.managed!.waitUntilConnected(60_000);
    const hosts = (await (await fx.api("/api/hosts")).json()) as Array<{ app: string; managed: boolean }>;
    expect(hosts).toEqual([expect.objectContaining({ app: "standin", managed: true })]);
    expect(fx.bridge.managed!.status()[0]).toMatchObject({ state: "connected" });
  });

  it("gives a restarted slot its id back: the first slot stays standin-1", async () => {
    fx = await startBridge({ headless: [{ ...spec(processAdapter("standin", HELLO)), count: 2 }] });
    const supervisor = fx.bridge.managed!;
    await supervisor.waitUntilConnected(60_000);
    const listed = async () =>
      ((await (await fx!.api("/api/hosts")).json()) as Array<{ id: string; managed: boolean }>).map((h) => [
        h.id,
        h.managed,
      ]);
    const expected = [
      ["standin-1", true],
      ["standin-2", true],
    ];
    expect(await listed()).toEqual(expected);
    const [first] = supervisor.status();
    expect(first).toMatchObject({ hostId: "standin-1", state: "connected" });
    process.kill(first!.pid!, "SIGKILL");
    await waitUntil(
      () => supervisor.status()[0]!.state === "connected" && supervisor.status()[0]!.pid !== first!.pid,
      60_000,
      "the slot's new process to connect",
    );
    expect(supervisor.status()[0]).toMatchObject({ hostId: "standin-1", restarts: 1 });
    expect(await listed()).toEqual(expected);
  });

  it("restarts a started host that never connects", async () => {
    fx = await startBridge({
      headless: [spec(processAdapter("silent", "setInterval(() => {}, 1000)"))],
      managedConnectTimeoutMs: 300,
    });
    const supervisor = fx.bridge.managed!;
    await waitUntil(() => supervisor.status()[0]!.restarts >= 1, 60_000, "a restart");
    expect(readFileSync(join(fx.dataDir, "logs", "bridge.log"), "utf8")).toContain(
      "managed host did not connect in time",
    );
  });

  it("keeps each managed host's own log private, redacted and bounded by size", async () => {
    // Prints the token once, then 12 MiB: past the 10 MiB limit the log is rotated.
    const chatty = `
      process.stdout.write("token " + process.env.SCRIPTWRIGHT_TOKEN + "\\n");
      const line = "x".repeat(1023) + "\\n";
      let left = 12 * 1024;
      const more = () => { while (left > 0) { left--; if (!process.stdout.write(line)) return process.stdout.once("drain", more); } };
      more();
      setInterval(() => {}, 1000);`;
    fx = await startBridge({
      headless: [spec(processAdapter("chatty", chatty))],
      managedConnectTimeoutMs: 120_000,
    });
    const logs = join(fx.dataDir, "logs");
    const name = fx.bridge.managed!.status()[0]!.name;
    await waitUntil(() => existsSync(join(logs, `${name}.log.1`)), 60_000, "the host's log to rotate");
    const files = readdirSync(logs).filter((file) => file.startsWith(name));
    expect(files.sort()).toEqual([`${name}.log`, `${name}.log.1`]);
    for (const file of files) {
      expect(statSync(join(logs, file)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(logs, file), "utf8")).not.toContain(fx.bridge.token);
    }
    expect(readFileSync(join(logs, `${name}.log.1`), "utf8")).toMatch(/^token \[redacted: bridge token\]/);
  });

  it("starts a host without the bridge's model keys and secrets, with the token its adapter hands over", async () => {
    const bridgeOnly = {
      ANTHROPIC_API_KEY: "sk-ant-fake-key",
      ANTHROPIC_AUTH_TOKEN: "fake-auth-token",
      OPENAI_API_KEY: "sk-fake-openai-key",
      SCRIPTWRIGHT_TOKEN: "a-token-of-another-bridge",
      SCRIPTWRIGHT_REDIS_PASSWORD: "fake-password",
    };
    const saved = { ...process.env };
    const dir = mkdtempSync(join(tmpdir(), "sw-host-env-"));
    const file = join(dir, "env.json");
    Object.assign(process.env, bridgeOnly, { SCRIPTWRIGHT_TEST_MARKER: "passed-through" });
    try {
      const dump = `require("fs").writeFileSync(${JSON.stringify(file)}, JSON.stringify(process.env)); setInterval(() => {}, 1000);`;
      fx = await startBridge({ headless: [spec(processAdapter("envdump", dump))] });
      await waitUntil(() => existsSync(file), 60_000, "the host to write its environment");
      const env = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
      expect(env.SCRIPTWRIGHT_TOKEN).toBe(fx.token);
      expect(env.SCRIPTWRIGHT_TEST_MARKER).toBe("passed-through");
      expect(env.PATH).toBe(process.env.PATH);
      for (const name of [
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "OPENAI_API_KEY",
        "SCRIPTWRIGHT_REDIS_PASSWORD",
      ]) {
        expect({ name, value: env[name] }).toEqual({ name, value: undefined });
      }
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
