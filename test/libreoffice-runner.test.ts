// The LibreOffice runner on its own, against an in-process bridge: a runner killed outright
// (what the supervisor does to a hung one) takes its soffice with it, by the kernel
// (PR_SET_PDEATHSIG) or, where that is not available, by its watchdog process, which also
// removes the private profile; with --connect it works in a soffice it did not start and
// leaves that one running.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createConnection } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSoffice } from "../adapters/libreoffice/find.js";
import { launchLibreOffice, libreOfficeAdapter } from "../adapters/libreoffice/index.js";
import { languageKits } from "../adapters/registry.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { alive, commandLine, descendantsOf, waitUntil } from "./helpers/proc.js";
import { requireSofficeWithUno, type Soffice, startSoffice } from "./helpers/soffice.js";

const office = requireSofficeWithUno();

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

  /** Starts the runner as the supervisor would (plus `extra` arguments) and waits for its host. */
  async function startRunner(name: string, env: NodeJS.ProcessEnv = {}, extra: string[] = []) {
    const launch = launchLibreOffice(findSoffice()!, {
      bridgeUrl: `${fixture.url.replace("http", "ws")}/ws/host`,
      token: fixture.token,
      name,
      instance: name,
    });
    const child = spawn(launch.command, [...launch.args, ...extra], {
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

  async function expectGoneAfterKill(name: string, env: NodeJS.ProcessEnv): Promise<void> {
    const { child, host } = await startRunner(name, env);
    expect(await fixture.run({ host: host.id, code: "Result = 6 * 7" })).toMatchObject({
      outcome: "ok",
      value: 42,
    });
    const soffice = sofficeOf(child);
    expect(alive(soffice.pid)).toBe(true);
    expect(existsSync(soffice.profile)).toBe(true);
    child.kill("SIGKILL");
    await waitUntil(() => !alive(soffice.pid), 10_000, "soffice.bin to die with its runner");
    await waitUntil(() => !existsSync(soffice.profile), 10_000, "the watchdog to remove the profile");
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
});
