// `scriptwright ask` and `sessions` as a user runs them: a real `serve` with a managed
// headless Blender, the real SDK against a local scripted Messages API server.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { CLI, runCli, type ServeProcess, startServe } from "./helpers/cli.js";
import { MessagesServer, type ScriptedReply, scriptedReplies } from "./helpers/messages-server.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");
const tmux = requireBinary("tmux", "apt-get install tmux, or npm run setup");

describe.skipIf(blender.skip)("ask and sessions from the terminal", () => {
  let dataDir: string;
  let serve: ServeProcess;
  let server: MessagesServer;
  const replies = scriptedReplies();
  const setReplies = replies.set;
  const cli = (args: string[]) => runCli([...args, "--data-dir", dataDir]);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${serve.info.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${serve.info.token}`, "content-type": "application/json" },
    });

  beforeAll(async () => {
    server = await MessagesServer.start(replies.responder);
    dataDir = mkdtempSync(join(tmpdir(), "sw-ask-"));
    serve = await startServe(dataDir, ["--headless", "blender:1"], 20_000, {
      ANTHROPIC_API_KEY: "test-key",
      ANTHROPIC_BASE_URL: server.url,
    });
    for (let i = 0; i < 200; i++) {
      const hosts = (await (await api("/api/hosts")).json()) as unknown[];
      if (hosts.length) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const addCube = (name: string): ScriptedReply => ({
    toolUses: [
      {
        name: "run_script",
        input: {
          description: `add ${name}`,
          code: `bpy.ops.mesh.primitive_cube_add()\nC.active_object.name = '${name}'\n'${name}' in D.objects`,
        },
      },
    ],
  });
  const exists = async (name: string) =>
    (await cli(["exec", "--app", "blender", "--code", `'${name}' in D.objects`])).stdout.trim() === "true";

  it("runs nothing without --yes when nobody can approve, and says so", async () => {
    setReplies([addCube("SW_Denied"), { text: "I could not run it." }]);
    const result = await cli(["ask", "--app", "blender", "add a cube"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/script on blender-\d+: add SW_Denied/);
    expect(result.stderr).toMatch(
      /not run: not approved: this is a non-interactive run and --yes was not given/,
    );
    expect(result.stdout).toContain("I could not run it.");
    expect(await exists("SW_Denied")).toBe(false);
  });

  it("streams the answer and runs scripts with --yes; the session can be continued", async () => {
    setReplies([addCube("SW_Yes"), { text: "Added SW_Yes." }]);
    const result = await cli(["ask", "--app", "blender", "--yes", "add a cube"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("Added SW_Yes.");
    expect(result.stderr).toMatch(/── ok in \d+ ms: true/);
    expect(result.stderr).toMatch(/done: 2 model calls/);
    expect(await exists("SW_Yes")).toBe(true);

    const id = /session (\S+)/.exec(result.stderr)![1]!;
    setReplies([{ text: "Still here." }]);
    const more = await cli(["ask", "--session", id, "anything else?"]);
    expect(more.stdout.trim()).toBe("Still here.");

    const list = await cli(["sessions", "list", "--json"]);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ id, status: "done", scripts: 1 }),
    );
    const show = await cli(["sessions", "show", id]);
    expect(show.stdout).toMatch(/you: add a cube/);
    expect(show.stdout).toMatch(/── add SW_Yes → ok/);
    expect(show.stdout).toMatch(/assistant: Still here\./);
    expect((await cli(["sessions", "show", "../../etc/passwd"])).code).toBe(2);
  });

  it.skipIf(tmux.skip)(
    "asks on a terminal before running a script, and runs it on y",
    async () => {
      setReplies([addCube("SW_Tty"), { text: "Added it." }, addCube("SW_TtyNo"), { text: "Left it." }]);
      const name = `sw-ask-${process.pid}`;
      const tmuxRun = (...args: string[]) => execFileSync(tmux.path!, args, { encoding: "utf8" });
      const screen = () => tmuxRun("capture-pane", "-p", "-t", name);
      const waitFor = async (pattern: RegExp) => {
        for (let i = 0; i < 200; i++) {
          if (pattern.test(screen())) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`terminal never showed ${pattern}:\n${screen()}`);
      };
      const command = (prompt: string) =>
        `${process.execPath} ${CLI} ask --app blender --data-dir ${dataDir} "${prompt}"; echo EXIT=$?`;
      tmuxRun("new-session", "-d", "-s", name, "-x", "200", "-y", "50");
      try {
        tmuxRun("send-keys", "-t", name, command("add a cube"), "Enter");
        await waitFor(/run this script\? \[y\/N\]/);
        tmuxRun("send-keys", "-t", name, "y", "Enter");
        await waitFor(/EXIT=0/);
        expect(screen()).toContain("Added it.");
        expect(await exists("SW_Tty")).toBe(true);

        tmuxRun("send-keys", "-t", name, "clear", "Enter");
        tmuxRun("send-keys", "-t", name, command("add another"), "Enter");
        await waitFor(/run this script\? \[y\/N\]/);
        tmuxRun("send-keys", "-t", name, "n", "Enter");
        await waitFor(/EXIT=0/);
        expect(screen()).toContain("Left it.");
        expect(await exists("SW_TtyNo")).toBe(false);
      } finally {
        tmuxRun("kill-session", "-t", name);
      }
    },
    60_000,
  );

  it("streams session events over the client WebSocket too", async () => {
    setReplies([{ text: "Over the socket." }]);
    const started = await api("/api/sessions", {
      method: "POST",
      body: JSON.stringify({ app: "blender", prompt: "hi", approval: "auto" }),
    });
    const { id } = (await started.json()) as { id: string };
    const socket = new WebSocket(`${serve.info.url.replace("http", "ws")}/ws/client`);
    await new Promise((resolve) => socket.once("open", resolve));
    const events: Array<{ type: string; id: number; event: { type: string; delta?: string } }> = [];
    const done = new Promise<void>((resolve) =>
      socket.on("message", (data) => {
        const message = JSON.parse(data.toString());
        events.push(message);
        if (message.event?.type === "done") resolve();
      }),
    );
    socket.send(JSON.stringify({ type: "subscribe", token: serve.info.token, sessionId: id }));
    await done;
    socket.close();
    expect(events.map((e) => e.event.delta ?? "").join("")).toBe("Over the socket.");

    const intruder = new WebSocket(`${serve.info.url.replace("http", "ws")}/ws/client`);
    await new Promise((resolve) => intruder.once("open", resolve));
    const refused = new Promise<{ code: string }>((resolve) =>
      intruder.once("message", (data) => resolve(JSON.parse(data.toString()))),
    );
    intruder.send(JSON.stringify({ type: "subscribe", token: "wrong", sessionId: id }));
    expect(await refused).toMatchObject({ code: "unauthorized" });
  });

  it("says which variable to set when the bridge has no API key", async () => {
    const otherDir = mkdtempSync(join(tmpdir(), "sw-nokey-"));
    const keyless = await startServe(otherDir, ["--headless", "blender:1"], 20_000, {
      ANTHROPIC_API_KEY: "",
    });
    try {
      for (let i = 0; i < 200; i++) {
        const res = await runCli(["hosts", "--json", "--data-dir", otherDir]);
        if (JSON.parse(res.stdout || "[]").length) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const result = await runCli(["ask", "--app", "blender", "hello", "--data-dir", otherDir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/ANTHROPIC_API_KEY/);
    } finally {
      await keyless.stop();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
