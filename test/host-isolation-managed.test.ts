// Every managed host the bridge starts opens no door to other local users. `scriptwright serve`
// starts a headless Blender and a headless LibreOffice; through /proc (net/tcp, tcp6, udp,
// udp6, unix and each process's open sockets), no process in either host's tree listens on a
// TCP or UDP port, and every unix socket they listen on refuses another user (`nobody`), who
// tries the UNO attack on each: none gets in, and the hosts still run scripts.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServeProcess, startServe } from "./helpers/cli.js";
import { type ListeningSocket, listeningSockets } from "./helpers/listening-sockets.js";
import { requireOtherUser, runAsOtherUser } from "./helpers/other-user.js";
import { childrenOf, commandLine, descendantsOf } from "./helpers/proc.js";
import { requireBinary } from "./helpers/require-binary.js";
import { attackOffice, requireSofficeWithUno } from "./helpers/soffice.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");
const office = requireSofficeWithUno();
const otherUser = requireOtherUser();

describe.skipIf(blender.skip || office.skip || otherUser.skip)(
  "managed hosts: no door for other local users",
  () => {
    let dataDir: string;
    let markers: string;
    let serve: ServeProcess;

    /** Each managed host (a child of the bridge) with every process below it. */
    function hostTrees(): Array<{ host: string; pids: number[] }> {
      return childrenOf(serve.child.pid!).map((pid) => ({
        host: commandLine(pid),
        pids: [pid, ...descendantsOf(pid)],
      }));
    }

    const doors = (): ListeningSocket[] => hostTrees().flatMap((tree) => listeningSockets(tree.pids));

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "sw-isolation-"));
      markers = mkdtempSync(join(tmpdir(), "sw-attack-")); // 0700: only this user can create files in it
      serve = await startServe(dataDir, ["--headless", "blender:1", "--headless", "libreoffice:1"]);
      await serve.managedHostsReady(["blender", "libreoffice"]);
    });

    afterAll(async () => {
      await serve?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (markers) rmSync(markers, { recursive: true, force: true });
    });

    it("finds both hosts' process trees, soffice.bin in LibreOffice's", () => {
      const trees = hostTrees();
      expect(trees.map((tree) => tree.host)).toEqual(
        expect.arrayContaining([
          expect.stringContaining("scriptwright_blender.py"),
          expect.stringContaining("scriptwright_libreoffice.py"),
        ]),
      );
      const office = trees.find((tree) => tree.host.includes("scriptwright_libreoffice.py"))!;
      expect(office.pids.some((pid) => commandLine(pid).includes("soffice.bin"))).toBe(true);
    });

    it("no process of a managed host listens on a TCP or UDP port", () => {
      expect(doors().filter((door) => door.protocol !== "unix")).toEqual([]);
    });

    it("another user connects to none of the sockets they listen on, and the UNO attack runs nothing", async () => {
      const targets = doors();
      // The managed office's UNO pipe at least: with no socket found, this test would prove nothing.
      expect(targets.filter((door) => door.protocol === "unix").length).toBeGreaterThan(0);
      expect(targets.filter((door) => door.address === "" || door.address.startsWith("@"))).toEqual([]);
      const marker = join(markers, "by-another-user");
      const outcomes = await attackOffice(targets, "/usr/bin/touch", marker, runAsOtherUser);
      expect(outcomes.filter((outcome) => outcome.connect !== "EACCES")).toEqual([]);
      expect(existsSync(marker)).toBe(false);
    });

    it("both hosts still run scripts", async () => {
      expect(
        (await serve.api("/api/run", { app: "blender", code: "len(bpy.data.objects)" })).json,
      ).toMatchObject({
        outcome: "ok",
        value: 3,
      });
      expect(
        (await serve.api("/api/run", { app: "libreoffice", code: "Result = 6 * 7" })).json,
      ).toMatchObject({
        outcome: "ok",
        value: 42,
      });
    });
  },
);
