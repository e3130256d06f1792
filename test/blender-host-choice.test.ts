// Which Blender a script goes to, as a user meets it: `scriptwright serve --headless blender:1`
// starts a headless Blender, and the person's own Blender (its UI under Xvfb, the add-on finding
// the bridge through bridge.json) connects too. Everything that names only the app (exec, a chat
// session, the chat panel's default, MCP) must run in the person's Blender (bpy.app.background is
// False only there); batch jobs run headless; one id names each host everywhere; a managed
// Blender killed comes back under its id.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionEvent } from "../bridge/agent/events.js";
import type { HostInfo } from "../bridge/hosts/host.js";
import { makeBlendFiles, saveMacro } from "./helpers/batch-fixtures.js";
import { launchChromium } from "./helpers/browser.js";
import { runCli, type ServeProcess, startServe } from "./helpers/cli.js";
import { call, connectHttp } from "./helpers/mcp.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { requireBinary } from "./helpers/require-binary.js";
import { type EventHandler, startSession } from "./helpers/session-events.js";
import { startUiBlender, type UiBlender } from "./helpers/ui-blender.js";

const blender = requireBinary("blender", "apt-get install blender, or npm run setup");
const xvfb = requireBinary("xvfb-run", "apt-get install xvfb xauth");
const chromium = requireBinary("chromium", "apt-get install chromium");

/** Where a script ran: False in the person's Blender, True in a headless one. */
const WHERE = "bpy.app.background";

/** What the add-on's sidebar draws, read through a stand-in layout. */
const SIDEBAR = [
  "class Layout:",
  "    def __init__(self): self.items = []",
  "    def label(self, text='', icon='NONE'): self.items.append(text)",
  "    def operator(self, idname, icon='NONE'): self.items.append(idname)",
  "drawn = type('Sidebar', (), {'layout': Layout()})()",
  "bpy.types.SCRIPTWRIGHT_PT_sidebar.draw(drawn, bpy.context)",
  "'|'.join(drawn.layout.items)",
].join("\n");

describe.skipIf(blender.skip || xvfb.skip)("a headless Blender and the person's own, on one bridge", () => {
  let dataDir: string;
  let work: string;
  let serve: ServeProcess;
  let model: MessagesServer;
  let ui: UiBlender;
  /** The person's Blender and the managed one, as the bridge first listed them. */
  let person: HostInfo;
  let headless: HostInfo;
  const replies = scriptedReplies();

  const api = (path: string, body?: unknown) => serve.api(path, body);
  const blenders = async () =>
    ((await api("/api/hosts")).json as HostInfo[]).filter((host) => host.app === "blender");
  const exec = async (args: string[]) => {
    const result = await runCli(["exec", "--data-dir", dataDir, "--json", ...args]);
    expect(result.stdout, result.stderr).not.toBe("");
    return JSON.parse(result.stdout) as { outcome: string; hostId: string; value: unknown };
  };

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}\nserve: ${serve.output()}\nBlender UI: ${ui?.output()}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-host-choice-"));
    work = mkdtempSync(join(tmpdir(), "sw-host-choice-work-"));
    model = await MessagesServer.start(replies.responder);
    serve = await startServe(dataDir, ["--headless", "blender:1"], 30_000, {
      ANTHROPIC_API_KEY: "sk-ant-test-host-choice",
      ANTHROPIC_BASE_URL: model.url,
    });
    await waitFor("the managed Blender", async () => (await blenders()).find((h) => h.managed));
    // The person's Blender: the add-on from the repository, finding the bridge through bridge.json.
    ui = startUiBlender({
      xvfb: xvfb.path!,
      blender: blender.path!,
      dataDir,
      configDir: join(work, "blender-user"),
    });
    person = await waitFor("the person's Blender", async () => (await blenders()).find((h) => !h.managed));
    headless = (await blenders()).find((h) => h.managed)!;
  }, 240_000);

  afterAll(async () => {
    await ui?.stop();
    await serve?.stop();
    await model?.close();
    for (const dir of [dataDir, work]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("hosts lists both with id, name, document and kind, the person's Blender first", async () => {
    expect(person).toMatchObject({ kind: "interactive", managed: false, document: null });
    expect(person.name).toMatch(/^blender-\d+$/); // blender-<pid>: its name, not its id
    expect(headless).toMatchObject({ id: "blender-1", name: "blender-headless-1", kind: "managed" });
    expect(person.id).toMatch(/^blender-\d+$/);
    expect(person.id).not.toBe(headless.id);

    const json = await runCli(["hosts", "--json", "--data-dir", dataDir]);
    const listed = (JSON.parse(json.stdout) as HostInfo[]).filter((h) => h.app === "blender");
    expect(listed.map((h) => [h.id, h.name, h.document, h.kind])).toEqual([
      [person.id, person.name, null, "interactive"],
      ["blender-1", "blender-headless-1", null, "managed"],
    ]);
    const text = (await runCli(["hosts", "--data-dir", dataDir])).stdout;
    expect(text).toMatch(/^ID\s+APP\s+LANGUAGE\s+KIND\s+STATE\s+NAME\s+DOCUMENT$/m);
    expect(text).toMatch(
      new RegExp(
        `^${person.id}\\s+blender \\S+\\s+python\\s+interactive\\s+\\S+\\s+${person.name}\\s+\\(no document\\)$`,
        "m",
      ),
    );
    expect(text).toMatch(
      /^blender-1\s+blender \S+\s+python\s+managed\s+\S+\s+blender-headless-1\s+\(no document\)$/m,
    );
  });

  it("exec --app blender runs in the person's Blender; --host reaches either", async () => {
    expect(await exec(["--app", "blender", "--code", WHERE])).toMatchObject({
      outcome: "ok",
      value: false,
      hostId: person.id,
    });
    expect(await exec(["--host", "blender-1", "--code", WHERE])).toMatchObject({
      outcome: "ok",
      value: true,
      hostId: "blender-1",
    });
    // Still the person's Blender after a run went to the headless one.
    expect(await exec(["--app", "blender", "--code", WHERE])).toMatchObject({ value: false });
  });

  it("the sidebar shows the id the bridge gave it, its name beside it; exec --host takes that id", async () => {
    const sidebar = await exec(["--app", "blender", "--code", SIDEBAR]);
    expect(sidebar).toMatchObject({ outcome: "ok", hostId: person.id });
    const shown = /\|Host: (\S+) \((\S+)\)\|/.exec(String(sidebar.value));
    expect(shown, String(sidebar.value)).not.toBeNull();
    expect([shown![1], shown![2]]).toEqual([person.id, person.name]);
    expect(await exec(["--host", shown![1]!, "--code", WHERE])).toMatchObject({
      outcome: "ok",
      value: false,
      hostId: person.id,
    });
  });

  /** Starts a session and reads its events to the end; `onEvent` may act on each (approve). */
  const session = (body: Record<string, unknown>, onEvent?: EventHandler) =>
    startSession(serve.info, body, onEvent);
  const results = (events: SessionEvent[]) =>
    events.flatMap((e) => (e.type === "script-result" ? [e.result] : []));

  it("a chat session for the app runs in the person's Blender; its approval names that host", async () => {
    replies.set([
      { toolUses: [{ name: "run_script", input: { description: "where does this run?", code: WHERE } }] },
      { text: "It ran in your Blender." },
    ]);
    let waiting: Array<{ sessionId: string; scriptId: string; hostId: string }> = [];
    const { id, events } = await session(
      { prompt: "Where do scripts run?", app: "blender" },
      async (event, sid) => {
        if (event.type !== "approval-needed") return;
        waiting = (await api("/api/approvals")).json;
        await api(`/api/sessions/${sid}/approvals`, { scriptId: event.script.id, approved: true });
      },
    );
    const asked = events.find((e) => e.type === "approval-needed");
    expect(asked?.type === "approval-needed" && asked.script.hostId).toBe(person.id);
    expect(waiting.filter((w) => w.sessionId === id).map((w) => w.hostId)).toEqual([person.id]);
    expect(results(events)).toEqual([
      expect.objectContaining({ outcome: "ok", value: false, hostId: person.id }),
    ]);
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });

  it("a session on the headless Blender stays on it when it restarts, not moving to the person's", async () => {
    replies.set([
      { toolUses: [{ name: "run_script", input: { description: "crash", code: "import os\nos._exit(1)" } }] },
      { toolUses: [{ name: "run_script", input: { description: "where now?", code: WHERE } }] },
      { text: "Back on the headless Blender." },
    ]);
    const { events } = await session({ prompt: "crash, then look", host: "blender-1", approval: "auto" });
    expect(results(events).map((r) => [r.outcome, r.hostId, r.value])).toEqual([
      ["host-lost", "blender-1", undefined],
      ["ok", "blender-1", true],
    ]);
  });

  it("MCP run_script for the app waits for approval naming the person's Blender, then runs there", async () => {
    const client: Client = await connectHttp(serve.info.url, serve.info.token);
    try {
      const hosts = await call(client, "list_hosts");
      expect(hosts.text).toMatch(
        new RegExp(
          `^${person.id} {2}blender \\S+ \\(python\\) {2}name: ${person.name} .*\\[idle, interactive\\]$`,
          "m",
        ),
      );
      expect(hosts.text).toMatch(
        /^blender-1 {2}blender \S+ \(python\) {2}name: blender-headless-1 .*managed\]$/m,
      );

      const args = { app: "blender", code: WHERE, description: "where does MCP run?" };
      const first = await call(client, "run_script", args);
      expect(first.text).toMatch(/^not run yet/);
      const waiting = ((await api("/api/approvals")).json as Array<Record<string, string>>).filter(
        (w) => w.description === args.description,
      );
      expect(waiting.map((w) => w.hostId)).toEqual([person.id]);
      const approved = await api(`/api/sessions/${waiting[0]!.sessionId}/approvals`, {
        scriptId: waiting[0]!.scriptId,
        approved: true,
      });
      expect(approved.status, JSON.stringify(approved.json)).toBeLessThan(300);
      const ran = await call(client, "run_script", args);
      expect(ran.isError).toBe(false);
      expect(ran.text).toMatch(new RegExp(`^outcome: ok \\(\\d+ ms, host ${person.id}\\)`));
      expect(ran.text).toContain("value: false");
    } finally {
      await client.close();
    }
  });

  it.skipIf(chromium.skip)(
    "the chat panel picks the person's Blender, tells the two apart, and its approval card names the host",
    async () => {
      let browser: Browser | undefined;
      try {
        browser = await launchChromium(chromium.path!);
        const page = await (await browser.newContext({ viewport: { width: 420, height: 820 } })).newPage();
        page.setDefaultTimeout(30_000);
        await page.goto(`${serve.info.url}/?token=${serve.info.token}`);
        await page.locator("#host option").nth(1).waitFor({ state: "attached" });
        expect(await page.locator("#host").inputValue()).toBe(person.id);
        const labels = await page.locator("#host option").allTextContents();
        expect(labels).toHaveLength(2);
        expect(labels[0]).toMatch(
          new RegExp(`^${person.id} \\(${person.name}\\) — Blender \\S+ · untitled$`),
        );
        expect(labels[1]).toMatch(/^blender-1 \(blender-headless-1\) — Blender \S+ · untitled · headless$/);

        replies.set([
          {
            toolUses: [
              { name: "run_script", input: { description: "where does the panel run?", code: WHERE } },
            ],
          },
          { text: "It ran in your Blender." },
        ]);
        const box = page.getByRole("textbox", { name: "Message" });
        await box.fill("Where do scripts run?");
        await box.press("Enter");
        const card = page.locator(".card").last();
        await card.getByRole("button", { name: "Approve" }).waitFor();
        expect(await card.locator(".card-host").textContent()).toBe(`Runs in ${labels[0]}`);
        await card.getByRole("button", { name: "Approve" }).click();
        await card.locator(".result .value").waitFor();
        expect(await card.locator(".result .value").textContent()).toBe("false");
      } finally {
        await browser?.close();
      }
    },
  );

  it("a batch job runs on headless Blender, never in the person's", async () => {
    const folder = join(work, "batch");
    mkdirSync(folder);
    makeBlendFiles(blender.path!, folder, ["bpy.ops.wm.save_as_mainfile(filepath=f'{out}/one.blend')"]);
    const saved = await saveMacro(dataDir, folder, "where", `${WHERE}\n`);
    expect(saved.code, saved.stderr).toBe(0);
    const run = await runCli([
      "batch",
      "run",
      "--macro",
      "where",
      "--files",
      join(folder, "one.blend"),
      "--json",
      "--data-dir",
      dataDir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).files).toEqual([expect.objectContaining({ outcome: "ok", value: true })]);
    // The person's Blender never opened the file.
    expect(await exec(["--host", person.id, "--code", "bpy.data.filepath"])).toMatchObject({ value: "" });
  });

  it("a managed Blender killed comes back under the same id; runs by app still go to the person's", async () => {
    const pidOf = async () => {
      const run = await api("/api/run", { host: "blender-1", code: "import os\nos.getpid()" });
      return run.json.outcome === "ok" ? (run.json.value as number) : undefined;
    };
    const pid = await pidOf();
    expect(typeof pid).toBe("number");
    process.kill(pid!, "SIGKILL");
    const next = await waitFor("blender-1 to come back", async () => {
      const now = await pidOf();
      return now !== undefined && now !== pid ? now : undefined;
    });
    expect(next).not.toBe(pid);
    expect((await blenders()).map((h) => [h.id, h.kind])).toEqual([
      [person.id, "interactive"],
      ["blender-1", "managed"],
    ]);
    expect(await exec(["--app", "blender", "--code", WHERE])).toMatchObject({
      value: false,
      hostId: person.id,
    });
  });
});
