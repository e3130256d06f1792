// The token never reaches user code, nor do the bridge's model keys. `scriptwright serve` starts
// a managed headless Blender and LibreOffice with fake API keys in its own environment; then
// scripts in both (Python, and VBA's Environ in LibreOffice) look for the token and the keys
// everywhere they could read an environment, and /proc shows none in any managed process.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServeProcess, startServe } from "./helpers/cli.js";
import { type EnvironmentReport, environmentProbe, MARKER_VARIABLE } from "./helpers/environment-probe.js";
import { commandLine, descendantsOf } from "./helpers/proc.js";
import { requireBinary } from "./helpers/require-binary.js";
import { requireSofficeWithUno } from "./helpers/soffice.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");
const office = requireSofficeWithUno();

const KEYS = {
  ANTHROPIC_API_KEY: "sk-ant-fake-0123456789abcdefghij",
  ANTHROPIC_AUTH_TOKEN: "fake-auth-token-0123456789abcdef",
  OPENAI_API_KEY: "sk-fake-openai-0123456789abcdefgh",
};
const MARKER = `visible-${process.pid}`;

describe.skipIf(blender.skip || office.skip)("managed hosts: no token and no model key for scripts", () => {
  let dataDir: string;
  let serve: ServeProcess;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-host-token-"));
    serve = await startServe(dataDir, ["--headless", "blender:1", "--headless", "libreoffice:1"], 20_000, {
      ...KEYS,
      [MARKER_VARIABLE]: MARKER,
    });
    secrets = { token: serve.info.token, ...KEYS };
    await serve.managedHostsReady(["blender", "libreoffice"]);
  });

  afterAll(async () => {
    await serve?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(["blender", "libreoffice"])(
    "a Python script in %s finds them in none of os.environ, posix.environ, /proc/self/environ, a child's environment",
    async (app) => {
      const result = (
        await serve.api("/api/run", {
          app,
          language: "python",
          code: environmentProbe(secrets, MARKER),
        })
      ).json;
      expect(result.outcome, JSON.stringify(result.error)).toBe("ok");
      const report = result.value as EnvironmentReport;
      expect(Object.keys(report).sort()).toEqual([
        "/proc/self/environ",
        "child",
        "os.environ",
        "posix.environ",
      ]);
      for (const [source, findings] of Object.entries(report)) {
        expect({ source, ...findings }).toEqual({ source, found: [], marker: true });
      }
    },
  );

  it("a VBA script in LibreOffice reads neither with Environ", async () => {
    const names = ["SCRIPTWRIGHT_TOKEN", ...Object.keys(KEYS), MARKER_VARIABLE];
    const code = `Result = Array(${names.map((name) => `Len(Environ("${name}"))`).join(", ")})`;
    const result = (await serve.api("/api/run", { app: "libreoffice", language: "vba", code })).json;
    expect(result.outcome, JSON.stringify(result.error)).toBe("ok");
    expect(result.value).toEqual([0, 0, 0, 0, MARKER.length]);
  });

  it("no managed process, soffice.bin included, has them in /proc/<pid>/environ", () => {
    const pids = descendantsOf(serve.child.pid!);
    const commands = pids.map(commandLine);
    expect(commands.some((command) => command.includes("soffice.bin"))).toBe(true);
    expect(commands.some((command) => command.includes("scriptwright_blender.py"))).toBe(true);
    for (const pid of pids) {
      let environ: string;
      try {
        environ = readFileSync(`/proc/${pid}/environ`, "latin1");
      } catch {
        continue; // exited meanwhile
      }
      const found = Object.entries(secrets)
        .filter(([, value]) => environ.includes(value))
        .map(([label]) => label);
      expect({ command: commandLine(pid), found, marker: environ.includes(MARKER) }).toEqual({
        command: commandLine(pid),
        found: [],
        marker: true,
      });
    }
  });
});
