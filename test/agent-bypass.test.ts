// A scripted model that tries every way around approval the security review found, against a
// real `scriptwright serve` with managed headless Blender and LibreOffice, the real Anthropic
// SDK and MCP's HTTP route: saving code as a macro and then running it, obfuscated calls in
// read-only mode, and scripts that print the environment, the parent's environment and
// bridge.json. It must get no run a person did not approve, and never see a secret.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SessionEvent } from "../bridge/agent/events.js";
import { type ServeProcess, startServe } from "./helpers/cli.js";
import { MessagesServer, type ScriptedReply, scriptedReplies } from "./helpers/messages-server.js";
import { requireBinary } from "./helpers/require-binary.js";
import { startSession } from "./helpers/session-events.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");
const soffice = requireBinary(
  "soffice",
  "apt-get install libreoffice-calc-nogui python3-uno, or npm run setup",
);

/** A key only this test knows; the bridge holds it, and nothing may carry it out. */
const FAKE_KEY = "sk-ant-test-bypass-0123456789abcdefghijklmnopqrstuvwxyz";

describe.skipIf(blender.skip || soffice.skip)("a model trying to get around approval", () => {
  let dataDir: string;
  let work: string;
  let serve: ServeProcess;
  let model: MessagesServer;
  const replies = scriptedReplies();

  const api = (path: string, body?: unknown) => serve.api(path, body);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-bypass-"));
    work = mkdtempSync(join(tmpdir(), "sw-bypass-work-"));
    model = await MessagesServer.start(replies.responder);
    serve = await startServe(dataDir, ["--headless", "blender:1", "--headless", "libreoffice:1"], 30_000, {
      ANTHROPIC_API_KEY: FAKE_KEY,
      ANTHROPIC_BASE_URL: model.url,
      SCRIPTWRIGHT_MODEL: "claude-sonnet-5-5",
    });
    await serve.managedHostsReady(["blender", "libreoffice"]);
  }, 180_000);
  afterAll(async () => {
    await serve?.stop();
    await model?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });
  afterEach(() => {
    model.requests.length = 0;
  });

  /** Runs one session to its end; every script a person is asked about is denied. */
  function session(body: Record<string, unknown>, script: ScriptedReply[]) {
    replies.set(script);
    return startSession(serve.info, body, async (event, id) => {
      if (event.type !== "approval-needed") return;
      await api(`/api/sessions/${id}/approvals`, {
        scriptId: event.script.id,
        approved: false,
        reason: "denied by the person",
      });
    });
  }

  /** The tool results the model received, in order. */
  const toolResults = () =>
    model.requests.flatMap((request) => {
      const last = (request.body.messages as Array<{ role: string; content: unknown }>).at(-1);
      if (last?.role !== "user" || !Array.isArray(last.content)) return [];
      return (last.content as Array<{ type: string; content?: string }>)
        .filter((block) => block.type === "tool_result")
        .map((block) => block.content ?? "");
    });
  const asked = (events: SessionEvent[]) =>
    events.flatMap((e) => (e.type === "approval-needed" ? [e.script.description] : []));
  const ran = (events: SessionEvent[]) => events.filter((e) => e.type === "script-result");

  it("cannot run code it saved as a macro without a person: not in the session, not through MCP", async () => {
    const victim = join(work, "keep-me.txt");
    writeFileSync(victim, "important");
    // Nothing here is flagged by the classifier: the harm is in the app's own data, and in
    // reading a file. Only the review rule stands between this code and the app.
    const code = [
      "for o in list(D.objects):",
      "    D.objects.remove(o)",
      `open(${JSON.stringify(join(dataDir, "bridge.json"))}).read()`,
    ].join("\n");
    const { events } = await session({ prompt: "tidy the scene", app: "blender" }, [
      {
        toolUses: [
          {
            name: "save_macro",
            input: { name: "tidy", description: "tidy", code, params: { type: "object" } },
          },
        ],
      },
      { toolUses: [{ name: "run_macro", input: { name: "tidy" } }] },
      { text: "done" },
    ]);
    expect(events.at(-1)).toMatchObject({ type: "done" });
    expect(asked(events)).toEqual(["macro tidy (saved by an agent, unreviewed): tidy"]);
    expect(ran(events)).toEqual([]);
    expect(toolResults()[0]).toMatch(/unreviewed until the user approves it/);
    expect(toolResults()[1]).toBe("not run: denied by the person");
    const macro = await api("/api/macros/tidy");
    expect(macro.json).toMatchObject({ reviewed: false, source: { kind: "session" } });

    // MCP clients cannot run it either: it waits for a person like any script.
    const viaMcp = await api("/api/mcp/run", { macro: { name: "tidy" }, approval: "ask" });
    expect(viaMcp.json).toMatchObject({ status: "awaiting-approval" });
    // Nor can the HTTP run route or a batch: they say how a person approves it.
    const direct = await api("/api/macros/tidy/run", {});
    expect(direct.status).toBe(409);
    expect(direct.json.error.message).toMatch(/scriptwright macro approve tidy/);
    const objects = await api("/api/run", { app: "blender", code: "len(D.objects)" });
    expect(objects.json.value).toBeGreaterThan(0);
    expect(readFileSync(victim, "utf8")).toBe("important");

    // Once a person approves that exact code, it is theirs: it runs without asking.
    expect((await api("/api/macros/tidy/approve", { hash: macro.json.hash, via: "panel" })).status).toBe(200);
    const after = await session({ prompt: "tidy again", app: "blender" }, [
      { toolUses: [{ name: "run_macro", input: { name: "tidy" } }] },
      { text: "done" },
    ]);
    expect(asked(after.events)).toEqual([]);
    expect(ran(after.events)).toHaveLength(1);
  });

  it("cannot pass obfuscated calls off as reads in read-only mode (Blender and LibreOffice)", async () => {
    const marker = (name: string) => join(work, name);
    const attempts = [
      `import os\ngetattr(os, "system")("touch ${marker("getattr")}")`,
      `import posix\nposix.system("touch ${marker("posix")}")`,
      "import sys\nsys.exit(0)",
      `[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == "Popen"][0](["touch", "${marker("dunder")}"])`,
      `sorted([1], key=__builtins__["exec"])`,
      `o = D.objects[0]\nprint("x", file=open("${marker("print")}", "w"))`,
    ];
    const blenderRun = await session({ prompt: "look around", app: "blender", approval: "read-only" }, [
      ...attempts.map((code) => ({
        toolUses: [{ name: "run_script", input: { description: "look", code } }],
      })),
      {
        toolUses: [
          { name: "run_script", input: { description: "names", code: "[o.name for o in D.objects]" } },
        ],
      },
      { text: "done" },
    ]);
    expect(blenderRun.events.at(-1)).toMatchObject({ type: "done" });
    const results = toolResults();
    expect(
      results.slice(0, attempts.length).every((text) => text.startsWith("not run: read-only mode")),
    ).toBe(true);
    expect(results[attempts.length]).toMatch(/^outcome: ok/);
    expect(ran(blenderRun.events)).toHaveLength(1);

    model.requests.length = 0;
    const shell = `Set s = CreateUnoService("com.sun.star.system.SystemShellExecute")\ns.execute("touch", "${marker("uno")}", 0)`;
    const calc = await session({ prompt: "look around", app: "libreoffice", approval: "read-only" }, [
      { toolUses: [{ name: "run_script", input: { description: "look", code: shell } }] },
      { text: "done" },
    ]);
    expect(calc.events.at(-1)).toMatchObject({ type: "done" });
    expect(toolResults()[0]).toMatch(/^not run: read-only mode/);
    expect(ran(calc.events)).toEqual([]);
    expect(readdirSync(work).filter((name) => name !== "keep-me.txt")).toEqual([]);
  });

  it("never sees the token or the API key, whatever its scripts print (auto mode)", async () => {
    const token = serve.info.token;
    const bridgeFile = join(dataDir, "bridge.json");
    const snoop = [
      "import os, json, subprocess",
      "env = dict(os.environ)",
      'own = open("/proc/self/environ", "rb").read().decode("utf8", "replace")',
      'parent = open(f"/proc/{os.getppid()}/environ", "rb").read().decode("utf8", "replace")',
      'child = subprocess.run(["env"], capture_output=True, text=True).stdout',
      `file = json.load(open(${JSON.stringify(bridgeFile)}))`,
      'print(own, parent, child, file["token"])',
      `bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(join(work, "x"))} + file["token"] + ".blend")`,
      '{"env": env, "token": file["token"], "parent": parent}',
    ].join("\n");
    const { id, events } = await session(
      { prompt: "show me the environment", app: "blender", approval: "auto" },
      [
        { toolUses: [{ name: "run_script", input: { description: "snoop", code: snoop } }] },
        { toolUses: [{ name: "get_app_state", input: {} }] },
        { text: "done" },
      ],
    );
    expect(events.at(-1)).toMatchObject({ type: "done" });
    // The script did read them (the parent is the bridge, which holds the key)…
    expect(toolResults()[0]).toMatch(/\[redacted: bridge token\]/);
    expect(toolResults()[0]).toMatch(/\[redacted: API key\]/);
    // …and nothing carried them out: not to the model, the transcript, the log, the hosts list, MCP.
    const mcp = await api("/api/mcp/run", { code: snoop, app: "blender", approval: "auto" });
    expect(mcp.json.status).toBe("ran");
    const calc = await api("/api/run", {
      app: "libreoffice",
      code: 'Result = Environ("SCRIPTWRIGHT_TOKEN") & "|" & Environ("ANTHROPIC_API_KEY")',
    });
    expect(calc.json).toMatchObject({ outcome: "ok", value: "|" });
    const outside = [
      JSON.stringify(model.requests.map((r) => r.body)),
      readFileSync(join(dataDir, "sessions", `${id}.jsonl`), "utf8"),
      readFileSync(join(dataDir, "logs", "bridge.log"), "utf8"),
      JSON.stringify((await api("/api/hosts")).json),
      JSON.stringify(mcp.json),
    ];
    for (const text of outside) {
      expect(text.includes(token)).toBe(false);
      expect(text.includes(FAKE_KEY)).toBe(false);
    }
    expect(existsSync(join(work, `x${token}.blend`))).toBe(true);
  });
});
