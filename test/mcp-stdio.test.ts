// `scriptwright mcp` over stdio (the official SDK client spawning the built CLI) against a
// running `scriptwright serve` with a managed headless Blender, in the default approval
// mode: the tools with --auto-approve, then scripts waiting for a person in the chat panel's
// session (approved or denied through the same HTTP route the panel uses), over stdio and /mcp.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServeProcess, startServe } from "./helpers/cli.js";
import { call, connectHttp, connectStdio, type StdioMcp, toolSuite } from "./helpers/mcp.js";
import { requireBinary } from "./helpers/require-binary.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");

interface SessionView {
  title: string;
  busy: boolean;
  pending: Array<{ id: string; code: string; description: string; risks: Array<{ reason: string }> }>;
  records: Array<{ type: string; code?: string; approved?: boolean; outcome?: string | null }>;
}

describe.skipIf(blender.skip)("scriptwright mcp (stdio) with a running bridge", () => {
  let dataDir: string;
  let serve: ServeProcess;
  let auto: StdioMcp;
  let asking: StdioMcp;
  let http: Client;

  const api = (path: string, body?: unknown) => serve.api(path, body);
  const session = async (id: string) => (await api(`/api/sessions/${id}`)).json as SessionView;

  /** The session id and panel URL an "approval needed" answer names. */
  const waitingIn = (text: string) => {
    const match = /chat panel at (\S+) \(History, session (\S+)\)/.exec(text);
    expect(match, text).not.toBeNull();
    return { panelUrl: match![1]!, sessionId: match![2]! };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-mcp-stdio-"));
    serve = await startServe(dataDir, ["--headless", "blender:1"]);
    expect((await api("/api/docs/build", { app: "aftereffects" })).status).toBe(200);
    await serve.managedHostsReady(["blender"]);
    [auto, asking, http] = await Promise.all([
      connectStdio(["--data-dir", dataDir, "--auto-approve"]),
      connectStdio(["--data-dir", dataDir]),
      connectHttp(serve.info.url, serve.info.token),
    ]);
  });

  afterAll(async () => {
    await Promise.all([auto?.close(), asking?.close(), http?.close()]);
    await serve?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("finds the running bridge through bridge.json and says so on stderr", async () => {
    await call(auto.client, "list_hosts");
    expect(auto.stderr()).toContain(`using the bridge at ${serve.info.url}`);
    expect(auto.stderr()).not.toContain("starting one");
  });

  describe("tools, with --auto-approve", () => {
    toolSuite(() => auto.client);
  });

  describe("approval in ask mode (the default)", () => {
    it("a script waits for approval in the chat panel, runs on the next call once approved", async () => {
      const args = { code: "'approved ' + str(6 * 7)", description: "answer the question" };
      const first = await call(asking.client, "run_script", args);
      expect(first.isError).toBe(true);
      expect(first.text).toMatch(/^not run yet: the script needs the user's approval/);
      expect(first.text).toContain("call this tool again with the same arguments");
      const { panelUrl, sessionId } = waitingIn(first.text);
      expect(panelUrl).toBe(`${serve.info.url}/`);

      // What the chat panel shows: the session in History with the script waiting.
      const sessions = (await api("/api/sessions")).json as Array<{ id: string; title: string }>;
      expect(sessions.find((s) => s.id === sessionId)?.title).toMatch(/MCP clients/);
      const view = await session(sessionId);
      expect(view.pending).toHaveLength(1);
      expect(view.pending[0]).toMatchObject({ code: args.code, description: args.description });

      const again = await call(asking.client, "run_script", args);
      expect(again.text).toMatch(/^not run yet: the script is still waiting/);
      expect((await session(sessionId)).pending).toHaveLength(1);

      const approve = await api(`/api/sessions/${sessionId}/approvals`, {
        scriptId: view.pending[0]!.id,
        approved: true,
      });
      expect(approve.status).toBe(200);
      const ran = await call(asking.client, "run_script", args);
      expect(ran.isError).toBe(false);
      expect(ran.text).toContain('value: "approved 42"');

      // An approval is used once: the same script asks again.
      const fourth = await call(asking.client, "run_script", args);
      expect(fourth.text).toMatch(/^not run yet: the script needs the user's approval/);
      const records = (await session(sessionId)).records.filter((r) => r.type === "script");
      expect(records).toContainEqual(
        expect.objectContaining({ code: args.code, approved: true, outcome: "ok" }),
      );
    });

    it("a denied script is reported as not run; an edited one runs in the user's version", async () => {
      const denied = { code: "bpy.data.objects['Cube'].name = 'SW_Denied'\n'renamed'" };
      const { sessionId } = waitingIn((await call(asking.client, "run_script", denied)).text);
      const waiting = (await session(sessionId)).pending.find((p) => p.code === denied.code)!;
      await api(`/api/sessions/${sessionId}/approvals`, {
        scriptId: waiting.id,
        approved: false,
        reason: "not now",
      });
      const answer = await call(asking.client, "run_script", denied);
      expect(answer.isError).toBe(true);
      expect(answer.text).toBe("not run: not now");
      expect((await call(auto.client, "run_script", { code: "'Cube' in bpy.data.objects" })).text).toContain(
        "value: true",
      );

      const edited = { code: "'original'" };
      await call(asking.client, "run_script", edited);
      const script = (await session(sessionId)).pending.find((p) => p.code === edited.code)!;
      await api(`/api/sessions/${sessionId}/approvals`, {
        scriptId: script.id,
        approved: true,
        code: "'edited'",
      });
      const ran = await call(asking.client, "run_script", edited);
      expect(ran.text).toMatch(/^The user edited the script/);
      expect(ran.text).toContain('value: "edited"');
    });

    it("a starter macro runs without asking; a macro the kit flags as risky waits", async () => {
      const starter = await call(asking.client, "run_macro", { name: "add-cubes", params: { count: 1 } });
      expect(starter.isError).toBe(false);
      expect(starter.text).toMatch(/^outcome: ok/);

      const saved = await api("/api/macros", {
        name: "save-copy",
        app: "blender",
        description: "save a copy of the file",
        code: "bpy.ops.wm.save_as_mainfile(filepath=params['path'], copy=True)\nparams['path']",
        params: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
      });
      expect(saved.status).toBe(201);
      const risky = await call(asking.client, "run_macro", {
        name: "save-copy",
        params: { path: join(dataDir, "copy.blend") },
      });
      expect(risky.isError).toBe(true);
      expect(risky.text).toMatch(/^not run yet: .*Flagged: saves the \.blend file/);
    });

    it("over /mcp too, without --mcp-auto-approve, a script waits for approval", async () => {
      const answer = await call(http, "run_script", { code: "'from http'" });
      expect(answer.isError).toBe(true);
      const { sessionId } = waitingIn(answer.text);
      const view = await session(sessionId);
      expect(view.pending.map((p) => p.code)).toContain("'from http'");
      // The panel cannot turn this session into a conversation.
      const message = await api(`/api/sessions/${sessionId}/messages`, { text: "hello" });
      expect(message.status).toBe(409);
      expect(message.json.error.message).toMatch(/MCP clients/);
    });

    it("Stop in the chat panel denies every script still waiting", async () => {
      const first = { code: "'one'" };
      const second = { code: "'two'" };
      const { sessionId } = waitingIn((await call(asking.client, "run_script", first)).text);
      await call(asking.client, "run_script", second);
      expect((await session(sessionId)).pending.map((p) => p.code)).toEqual(
        expect.arrayContaining([first.code, second.code]),
      );
      expect((await api(`/api/sessions/${sessionId}/cancel`, {})).status).toBe(200);
      expect((await session(sessionId)).pending).toEqual([]);
      const answer = await call(asking.client, "run_script", second);
      expect(answer.text).toMatch(/^not run: the session was stopped before approval/);
    });

    it("read-only tools need no approval", async () => {
      expect((await call(asking.client, "get_app_state")).text).toMatch(/^outcome: ok/);
      expect((await call(asking.client, "list_docs", { app: "aftereffects" })).isError).toBe(false);
    });
  });
});
