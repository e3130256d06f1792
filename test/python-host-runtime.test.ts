// The shared Python host runtime (panels/python-common) that the LibreOffice and COM runners
// build on: a minimal runner made of it alone connects, runs the Python kit's wrapped code,
// refuses a language it has no evaluator for, stays usable after a script that throws, and
// leaves the token it was handed nowhere in the environment a script can read.
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonKit } from "../adapters/python/index.js";
import { packagePath } from "../adapters/shared/package-path.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { type EnvironmentReport, environmentProbe, MARKER_VARIABLE } from "./helpers/environment-probe.js";

const RUNTIME_DIR = packagePath("panels", "python-common");

// A runner in a few lines: what a new Python-hosted app needs beyond the runtime.
const MINIMAL_RUNNER = `
import sys
sys.path.insert(0, sys.argv[1])
import scriptwright_host as host
info = host.HostInfo("minimal", "1.0", "python", ["python"], lambda: "/tmp/doc.txt")
options = host.parse_args(sys.argv[2:], "minimal").parse_args(sys.argv[2:])
sys.exit(host.connect_and_serve(options, info, {"python": host.evaluate_python}))
`;

const MARKER = `visible-${process.pid}`;

describe("shared Python host runtime", () => {
  let fixture: BridgeFixture;
  let child: ChildProcess;
  let stderr = "";

  beforeAll(async () => {
    fixture = await startBridge({ kits: new Map([["python", pythonKit]]) });
    child = spawn(
      "python3",
      ["-c", MINIMAL_RUNNER, RUNTIME_DIR, "--bridge", fixture.url.replace("http", "ws") + "/ws/host"],
      {
        env: { ...process.env, SCRIPTWRIGHT_TOKEN: fixture.token, [MARKER_VARIABLE]: MARKER },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const deadline = Date.now() + 10_000;
    while (fixture.bridge.pool.list().length === 0) {
      if (Date.now() > deadline) throw new Error(`the minimal runner never connected:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  afterAll(async () => {
    child?.kill();
    await fixture?.close();
  });

  it("says hello with the runner's own app, version and document", async () => {
    const res = await fixture.api("/api/hosts");
    expect(await res.json()).toMatchObject([
      { app: "minimal", appVersion: "1.0", language: "python", document: "/tmp/doc.txt" },
    ]);
  });

  it("runs the Python kit's wrapped code and returns the final expression", async () => {
    const result = await fixture.run({
      app: "minimal",
      code: "total = sum(range(5))\nprint('side')\ntotal * 2",
    });
    expect(result).toMatchObject({ outcome: "ok", value: 20, logs: "side\n" });
  });

  it("maps a runtime error to the user's line and keeps serving", async () => {
    const failed = await fixture.run({ app: "minimal", code: "x = 1\n\nraise ValueError('bad input')" });
    expect(failed.outcome).toBe("error");
    expect(failed.error).toMatchObject({ type: "ValueError", message: "bad input", line: 3 });
    expect(await fixture.run({ app: "minimal", code: "'still here'" })).toMatchObject({
      outcome: "ok",
      value: "still here",
    });
  });

  it("answers a run in a language it has no evaluator for with an error naming the ones it has", async () => {
    // Straight to the host: the bridge itself would refuse a language the hello did not name.
    const [host] = fixture.bridge.pool.all();
    const reply = await host?.dispatch({
      language: "vba",
      code: "Result = 1",
      timeoutMs: 5_000,
      queueTimeoutMs: 1_000,
    });
    expect(reply).toMatchObject({
      kind: "result",
      result: { ok: false, error: { message: expect.stringMatching(/does not run 'vba'.*python/) } },
    });
  });

  it("took the token out of every environment a script can read: os.environ, posix.environ, /proc/self/environ, a child's", async () => {
    const result = await fixture.run({
      app: "minimal",
      code: environmentProbe({ token: fixture.token }, MARKER),
    });
    expect(result.outcome).toBe("ok");
    const report = result.value as EnvironmentReport;
    for (const [source, findings] of Object.entries(report)) {
      expect({ source, ...findings }).toEqual({ source, found: [], marker: true });
    }
    expect(Object.keys(report).sort()).toEqual([
      "/proc/self/environ",
      "child",
      "os.environ",
      "posix.environ",
    ]);
  });
});
