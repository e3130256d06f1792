import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type ServeProcess, startServe } from "./helpers/cli.js";
import { ProtocolHost } from "./helpers/protocol-host.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "sw-cli-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("without a bridge", () => {
  it("exec exits 3 and says how to start one", async () => {
    const result = await runCli(["exec", "--code", "1", "--data-dir", tempDir()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no bridge is running.*scriptwright serve/);
  });

  it("hosts exits 3", async () => {
    expect((await runCli(["hosts", "--data-dir", tempDir()])).code).toBe(3);
  });
});

describe("usage errors exit 2", () => {
  it.each([
    [["exec", "--code", "1", "--file", "x.py"]],
    [["exec"]],
    [["exec", "--code", "1", "--timeout", "soon"]],
    [["exec", "--bogus"]],
    [["serve", "--port", "99999"]],
    [["serve", "--headless", "photoshop"]],
    [["nonsense"]],
  ])("%j", async (args) => {
    const result = await runCli([...args, "--data-dir", tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr.length).toBeGreaterThan(0);
  });
});

describe("check", () => {
  it("flags an app's own API with that app's rules (exit 1), not with the language alone", async () => {
    const flagged = await runCli(["check", "--app", "solidworks", "--code", "swApp.ExitApp()"]);
    expect(flagged.code).toBe(1);
    expect(flagged.stdout).toContain("1:1 warning quits SolidWorks: ExitApp");
    const json = await runCli(["check", "--app", "solidworks", "--code", "swApp.ExitApp()", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ line: 1, kind: "app-quit" })]);
    const bare = await runCli(["check", "--language", "python", "--code", "swApp.ExitApp()"]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain("no problems found (python)");
  });

  it("flags the bypasses a static reading cannot follow", async () => {
    const cases: [string, string, string][] = [
      ["blender", 'import os\ngetattr(os, "system")("id")', "2:1 warning runs processes: os.system"],
      ["blender", "import posix\nposix.system('id')", "2:1 warning runs processes: os.system"],
      ["blender", "import sys\nsys.exit(0)", "2:1 warning ends the app's process: sys.exit"],
      [
        "libreoffice",
        'Set s = createUnoService("com.sun.star.system.SystemShellExecute")',
        "1:1 warning runs programs: com.sun.star.system.SystemShellExecute",
      ],
      ["aftereffects", 'var f = File("x"); f["re" + "move"]();', "1:1 warning runs dynamic code"],
    ];
    for (const [app, code, line] of cases) {
      const result = await runCli(["check", "--app", app, "--code", code]);
      expect(result.code, code).toBe(1);
      expect(result.stdout, code).toContain(line);
    }
  });
});

describe("serve", () => {
  let dataDir: string;
  let serve: ServeProcess;
  beforeAll(async () => {
    dataDir = tempDir();
    serve = await startServe(dataDir);
  });
  afterAll(() => serve.stop());

  it("writes bridge.json readable by its owner only, with a URL on loopback", () => {
    const mode = statSync(join(dataDir, "bridge.json")).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(serve.info.url).toBe(`http://127.0.0.1:${serve.info.port}`);
    expect(serve.info.pid).toBe(serve.child.pid);
  });

  it("lists connected hosts, as text and as JSON", async () => {
    const empty = await runCli(["hosts", "--data-dir", dataDir]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/No hosts connected/);
    const host = await ProtocolHost.connect({
      url: serve.info.url,
      token: serve.info.token,
      app: "blender",
      name: "cli-test",
    });
    const json = await runCli(["hosts", "--json", "--data-dir", dataDir]);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ id: host.hostId, app: "blender", name: "cli-test" }),
    ]);
    const text = await runCli(["hosts", "--data-dir", dataDir]);
    expect(text.stdout).toContain(host.hostId);
    host.close();
  });

  it("exec says which hosts exist when the app is not connected (exit 3)", async () => {
    const result = await runCli([
      "exec",
      "--app",
      "aftereffects",
      "--code",
      "1",
      "--data-dir",
      dataDir,
      "--json",
    ]);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: "not-dispatched", hostId: null });
  });

  it("refuses to start a second bridge on the same data dir", async () => {
    const second = await runCli(["serve", "--port", "0", "--data-dir", dataDir]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/already running/);
  });

  it("removes bridge.json on SIGTERM and exits 0", async () => {
    const dir = tempDir();
    const other = await startServe(dir);
    expect(await other.stop("SIGTERM")).toBe(0);
    expect(existsSync(join(dir, "bridge.json"))).toBe(false);
    const third = await startServe(dir);
    expect(await third.stop("SIGINT")).toBe(0);
    expect(existsSync(join(dir, "bridge.json"))).toBe(false);
  });

  it("says clearly when the port is taken (exit 3)", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const result = await runCli(["serve", "--port", String(port), "--data-dir", tempDir()]);
    blocker.close();
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/already in use/);
  });
});
