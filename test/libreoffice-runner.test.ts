// The LibreOffice runner on its own, against an in-process bridge: a runner killed outright
// (what the supervisor does to a hung one) takes its soffice with it, by the kernel
// (PR_SET_PDEATHSIG) or, where that is not available, by its watchdog process, which also
// removes the private profile and the UNO pipe's socket file; with --connect (a port or a
// pipe) it works in a soffice it did not start and leaves that one running, and it refuses a
// pipe another user could have put there or could connect to. Its own office's sockets are
// never group/other writable, whatever the user's umask, while saved documents stay readable.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSoffice } from "../adapters/libreoffice/find.js";
import { launchLibreOffice, libreOfficeAdapter } from "../adapters/libreoffice/index.js";
import { languageKits } from "../adapters/registry.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { listeningSockets } from "./helpers/listening-sockets.js";
import { asOtherUser, requireOtherUser } from "./helpers/other-user.js";
import { alive, commandLine, descendantsOf, waitUntil } from "./helpers/proc.js";
import { runProcess } from "./helpers/run-process.js";
import {
  type PipeSoffice,
  requireSofficeWithUno,
  type Soffice,
  startPipeSoffice,
  startSoffice,
  UNO_PYTHON,
  unoPipePath,
} from "./helpers/soffice.js";

const office = requireSofficeWithUno();
const otherUser = office.skip ? { skip: true } : requireOtherUser();

describe.skipIf(office.skip)("LibreOffice runner", () => {
  let fixture: BridgeFixture;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    fixture = await startBridge({
      kits: languageKits,
      adapters: new Map([["libreoffice", libreOfficeAdapter]]),
    });
  });

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await fixture?.close();
  });

  function launchFor(name: string) {
    return launchLibreOffice(findSoffice()!, {
      bridgeUrl: `${fixture.url.replace("http", "ws")}/ws/host`,
      token: fixture.token,
      name,
      instance: name,
    });
  }

  /**
   * Starts the runner as the supervisor would (plus `extra` arguments, under the user's `umask`
   * when given) and waits for its host.
   */
  async function startRunner(
    name: string,
    env: NodeJS.ProcessEnv = {},
    extra: string[] = [],
    umask?: string,
  ) {
    const launch = launchFor(name);
    const [command, args] = umask
      ? ["/bin/sh", ["-c", `umask ${umask} && exec "$0" "$@"`, launch.command, ...launch.args, ...extra]]
      : [launch.command, [...launch.args, ...extra]];
    const child = spawn(command, args, {
      env: { ...process.env, ...launch.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.push(child);
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    await waitUntil(
      () => fixture.bridge.pool.all().some((h) => h.hello.name === name) || child.exitCode !== null,
      60_000,
      `runner ${name} to connect`,
    );
    if (child.exitCode !== null) throw new Error(`runner ${name} exited with ${child.exitCode}: ${stderr}`);
    const host = fixture.bridge.pool.all().find((h) => h.hello.name === name)!;
    return { child, host };
  }

  function sofficeOf(runner: ChildProcess): { pid: number; profile: string } {
    const pid = descendantsOf(runner.pid!).find((p) => commandLine(p).includes("soffice.bin"));
    if (!pid) throw new Error("the runner has no soffice.bin");
    const profile = /-env:UserInstallation=file:\/\/(\S+)/.exec(commandLine(pid))?.[1];
    return { pid, profile: decodeURIComponent(profile ?? "") };
  }

  /** The socket files soffice listens on: its UNO pipe and its single-instance pipe. */
  function pipesOf(sofficePid: number): string[] {
    return listeningSockets([sofficePid])
      .filter((socket) => socket.protocol === "unix")
      .map((socket) => socket.address);
  }

  async function expectGoneAfterKill(name: string, env: NodeJS.ProcessEnv): Promise<void> {
    const { child, host } = await startRunner(name, env);
    expect(await fixture.run({ host: host.id, code: "Result = 6 * 7" })).toMatchObject({
      outcome: "ok",
      value: 42,
    });
    const soffice = sofficeOf(child);
    expect(alive(soffice.pid)).toBe(true);
    expect(existsSync(soffice.profile)).toBe(true);
    const unoPipe = pipesOf(soffice.pid).find((path) => path.includes("scriptwright_"));
    expect(unoPipe && existsSync(unoPipe)).toBe(true);
    child.kill("SIGKILL");
    await waitUntil(() => !alive(soffice.pid), 10_000, "soffice.bin to die with its runner");
    await waitUntil(() => !existsSync(soffice.profile), 10_000, "the watchdog to remove the profile");
    await waitUntil(() => !existsSync(unoPipe!), 10_000, "the watchdog to remove the UNO pipe's socket file");
  }

  it("a runner killed with SIGKILL takes its soffice with it (PR_SET_PDEATHSIG)", async () => {
    await expectGoneAfterKill("lo-pdeathsig", {});
  });

  it("without PR_SET_PDEATHSIG the watchdog process kills soffice and removes the profile", async () => {
    await expectGoneAfterKill("lo-watchdog", { SCRIPTWRIGHT_LIBREOFFICE_NO_PDEATHSIG: "1" });
  });

  describe("--connect to a soffice it did not start", () => {
    let external: Soffice;

    beforeAll(async () => {
      external = await startSoffice();
    });

    afterAll(async () => {
      await external?.stop();
    });

    it("runs VBA and Python there, starts no soffice, and leaves that one running when it stops", async () => {
      const { child, host } = await startRunner("lo-connect", {}, [
        "--connect",
        `127.0.0.1:${external.port}`,
      ]);
      expect(descendantsOf(child.pid!).filter((p) => commandLine(p).includes("soffice"))).toEqual([]);
      await fixture.run({ host: host.id, code: 'Range("A1").Value = "attached"' });
      expect(
        await fixture.run({
          host: host.id,
          language: "python",
          code: 'doc.Sheets.getByIndex(0).getCellRangeByName("A1").getString()',
        }),
      ).toMatchObject({ outcome: "ok", value: "attached" });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const listening = await new Promise<boolean>((resolve) => {
        const probe = createConnection({ port: external.port, host: "127.0.0.1" });
        probe.once("connect", () => {
          probe.destroy();
          resolve(true);
        });
        probe.once("error", () => resolve(false));
      });
      expect(listening).toBe(true);
    });
  });

  describe("--connect pipe:NAME to a soffice it did not start", () => {
    let external: PipeSoffice;

    beforeAll(async () => {
      external = await startPipeSoffice();
    });

    afterAll(async () => {
      await external?.stop();
    });

    it("runs VBA and Python there through the pipe, and leaves that office running when it stops", async () => {
      const { child, host } = await startRunner("lo-connect-pipe", {}, [
        "--connect",
        `pipe:${external.pipe}`,
      ]);
      expect(descendantsOf(child.pid!).filter((p) => commandLine(p).includes("soffice"))).toEqual([]);
      await fixture.run({ host: host.id, code: 'Range("A1").Value = "through the pipe"' });
      expect(
        await fixture.run({
          host: host.id,
          language: "python",
          code: 'doc.Sheets.getByIndex(0).getCellRangeByName("A1").getString()',
        }),
      ).toMatchObject({ outcome: "ok", value: "through the pipe" });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(existsSync(unoPipePath(external.pipe))).toBe(true);
    });
  });

  /** Runs the runner to its end with `extra` arguments (it stops before reaching the bridge). */
  async function runnerRefusal(extra: string[]) {
    const launch = launchFor("lo-refusing");
    return runProcess(launch.command, [...launch.args, ...extra], { env: launch.env });
  }

  it("refuses --connect to a pipe that other users may connect to, or that does not exist", async () => {
    const name = `sw_test_${randomBytes(8).toString("hex")}`;
    const path = unoPipePath(name);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      chmodSync(path, 0o777);
      const open = await runnerRefusal(["--connect", `pipe:${name}`]);
      expect(open.code).toBe(1);
      expect(open.stderr).toContain(`refusing ${path}: other users may connect to it (mode 777)`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const missing = await runnerRefusal(["--connect", `pipe:${name}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no UNO pipe at ${path}`);
    const badName = await runnerRefusal(["--connect", "pipe:../etc"]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain("a pipe name is 1 to 64 letters, digits");
  });

  it.skipIf(otherUser.skip)(
    "refuses --connect to a pipe another user created (a squatter posing as the office)",
    async () => {
      const name = `sw_test_${randomBytes(8).toString("hex")}`;
      const path = unoPipePath(name);
      const squat = asOtherUser(UNO_PYTHON, [
        "-c",
        "import socket, sys, time\ns = socket.socket(socket.AF_UNIX)\ns.bind(sys.argv[1])\ns.listen()\nprint('ready', flush=True)\ntime.sleep(120)",
        path,
      ]);
      const squatter = spawn(squat.command, squat.args, { stdio: ["ignore", "pipe", "inherit"] });
      try {
        await new Promise<void>((resolve, reject) => {
          squatter.stdout?.once("data", () => resolve());
          squatter.once("exit", (code) => reject(new Error(`the squatter exited with ${code}`)));
        });
        const refused = await runnerRefusal(["--connect", `pipe:${name}`]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(new RegExp(`refusing ${path}: it belongs to uid \\d+, not this user`));
      } finally {
        squatter.kill("SIGKILL");
        rmSync(path, { force: true });
      }
    },
  );

  it("under a user's umask of 002, its office's sockets are not group writable; a saved document is 0644", async () => {
    const { child, host } = await startRunner("lo-umask", {}, [], "002");
    const soffice = sofficeOf(child);
    const pipes = pipesOf(soffice.pid);
    expect(pipes.length).toBeGreaterThan(0);
    for (const path of pipes)
      expect({ path, mode: statSync(path).mode & 0o777 }).toEqual({ path, mode: 0o755 });
    const dir = mkdtempSync(join(tmpdir(), "sw-lo-modes-"));
    try {
      const file = join(dir, "saved.xlsx");
      const saved = await fixture.run({
        host: host.id,
        language: "python",
        code: `save_as(${JSON.stringify(file)})`,
      });
      expect(saved).toMatchObject({ outcome: "ok" });
      expect(statSync(file).mode & 0o777).toBe(0o644);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      child.kill("SIGKILL");
    }
  });
});
