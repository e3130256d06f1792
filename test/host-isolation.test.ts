// The LibreOffice runner's office opens no door to other local users. Another account (run
// as `nobody`) finds every socket the runner's process tree listens on, as /proc shows them
// to anyone, and tries the attack that worked on the UNO TCP port: connect, then run a
// command as the office's user through SystemShellExecute. It must fail on every socket,
// while the same attack made as the office's own user still works (so the probe is real)
// and the runner keeps running scripts.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSoffice } from "../adapters/libreoffice/find.js";
import { launchLibreOffice, libreOfficeAdapter } from "../adapters/libreoffice/index.js";
import { languageKits } from "../adapters/registry.js";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { listeningSockets } from "./helpers/listening-sockets.js";
import { requireOtherUser, runAsOtherUser } from "./helpers/other-user.js";
import { descendantsOf, waitUntil } from "./helpers/proc.js";
import { runProcess } from "./helpers/run-process.js";
import { attackOffice, requireSofficeWithUno } from "./helpers/soffice.js";

const office = requireSofficeWithUno();
const otherUser = requireOtherUser();

describe.skipIf(office.skip || otherUser.skip)("LibreOffice runner: no door for other local users", () => {
  let fixture: BridgeFixture;
  let runner: ChildProcess;
  let hostId: string;
  let markers: string;

  beforeAll(async () => {
    markers = mkdtempSync(join(tmpdir(), "sw-attack-")); // 0700: only this user can create files in it
    fixture = await startBridge({
      kits: languageKits,
      adapters: new Map([["libreoffice", libreOfficeAdapter]]),
    });
    const launch = launchLibreOffice(findSoffice()!, {
      bridgeUrl: `${fixture.url.replace("http", "ws")}/ws/host`,
      token: fixture.token,
      name: "lo-isolated",
      instance: "lo-isolated",
    });
    runner = spawn(launch.command, launch.args, {
      env: { ...process.env, ...launch.env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    runner.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    await waitUntil(
      () => fixture.bridge.pool.all().length > 0 || runner.exitCode !== null,
      90_000,
      "the LibreOffice runner to connect",
    );
    if (runner.exitCode !== null) throw new Error(`the runner exited with ${runner.exitCode}: ${stderr}`);
    hostId = fixture.bridge.pool.all()[0]!.id;
  });

  afterAll(async () => {
    runner?.kill("SIGKILL");
    await fixture?.close();
    if (markers) rmSync(markers, { recursive: true, force: true });
  });

  const doors = () => listeningSockets([runner.pid!, ...descendantsOf(runner.pid!)]);

  it("another user's UNO attack fails on every socket the runner's processes listen on", async () => {
    const targets = doors();
    // soffice listens for the runner somewhere: with no socket found, this test would prove nothing.
    expect(targets.length).toBeGreaterThan(0);
    const marker = join(markers, "by-another-user");
    const outcomes = await attackOffice(targets, "/usr/bin/touch", marker, runAsOtherUser);
    expect(outcomes.map((o) => o.address)).toEqual(targets.map((t) => t.address));
    expect(outcomes.filter((o) => o.connect !== "EACCES")).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it("the same attack made as the office's own user runs the command (the probe is real)", async () => {
    const marker = join(markers, "by-its-own-user");
    // The office's single-instance pipe speaks no UNO: only the acceptor answers the probe.
    const targets = doors().filter((socket) => !socket.address.includes("SingleOfficeIPC"));
    const outcomes = await attackOffice(targets, "/usr/bin/touch", marker, runProcess);
    expect(outcomes.map((o) => o.uno)).toContain("executed");
    await waitUntil(() => existsSync(marker), 20_000, "the command run through the office");
  });

  it("listens on no TCP or UDP port, and still runs VBA and Python", async () => {
    expect(doors().filter((socket) => socket.protocol !== "unix")).toEqual([]);
    expect(await fixture.run({ host: hostId, code: "Result = 6 * 7" })).toMatchObject({
      outcome: "ok",
      value: 42,
    });
    expect(
      await fixture.run({ host: hostId, language: "python", code: "doc.Sheets.getCount()" }),
    ).toMatchObject({ outcome: "ok", value: 1 });
  });
});
