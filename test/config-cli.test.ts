// `scriptwright config` and `ask` as a user runs them, against a real in-process bridge whose
// own environment has no key (the CLI's environment is another process's): the key is taken
// from stdin or a hidden prompt, never argv; the next session sends it to the scripted
// Messages server without a restart; `list` says what the bridge uses and from where.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BridgeFixture, startBridge } from "./helpers/bridge-fixture.js";
import { CLI, runCli } from "./helpers/cli.js";
import { MessagesServer, scriptedReplies } from "./helpers/messages-server.js";
import { ProtocolHost } from "./helpers/protocol-host.js";
import { requireBinary } from "./helpers/require-binary.js";
import { runProcess } from "./helpers/run-process.js";

const tmux = requireBinary("tmux", "apt-get install tmux, or npm run setup");

const KEY_A = "sk-ant-cli-test-key-a-0123456789abcdefghij";
const KEY_B = "sk-ant-cli-test-key-b-9876543210zyxwvutsrq";
/** The CLI's own environment: nothing from the test runner's may decide what it says. */
const BARE = { ANTHROPIC_API_KEY: "", SCRIPTWRIGHT_MODEL: "" };

let fx: BridgeFixture;
let server: MessagesServer;
let host: ProtocolHost;
const replies = scriptedReplies();
const dirs: string[] = [];

beforeAll(async () => {
  server = await MessagesServer.start(replies.responder);
  fx = await startBridge({ env: { ANTHROPIC_BASE_URL: server.url } });
  host = await ProtocolHost.connect({ url: fx.url, token: fx.token });
});
afterAll(async () => {
  host?.close();
  await fx?.close();
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  server.requests.length = 0;
  await config(["unset", "api-key"]);
  await config(["unset", "model"]);
});

const configFile = () => join(fx.dataDir, "config.json");
const stored = () => JSON.parse(readFileSync(configFile(), "utf8")) as Record<string, unknown>;

function config(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  return runCli(["config", ...args, "--data-dir", fx.dataDir], {
    ...options,
    env: { ...BARE, ...options.env },
  });
}

function ask(prompt: string, env: NodeJS.ProcessEnv = {}) {
  return runCli(["ask", "--host", host.hostId, "--yes", prompt, "--data-dir", fx.dataDir], {
    env: { ...BARE, ...env },
  });
}

const sessionCount = () =>
  existsSync(join(fx.dataDir, "sessions")) ? readdirSync(join(fx.dataDir, "sessions")).length : 0;

/** The key the last model request carried (this SDK sends it as a bearer token; older ones as x-api-key). */
function sentKey(): string | undefined {
  const headers = server.requests.at(-1)!.headers;
  return (headers["x-api-key"] as string | undefined) ?? headers.authorization?.replace(/^Bearer /, "");
}

describe("config set api-key", () => {
  it("refuses the key on the command line, without repeating it, and stores nothing", async () => {
    const run = await config(["set", "api-key", KEY_A]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/api-key is not taken from the command line, where other users can see it/);
    expect(run.stderr).toContain("| scriptwright config set api-key");
    expect(run.stderr + run.stdout).not.toContain(KEY_A);
    expect(stored().apiKey).toBeUndefined();
  });

  it("stores a key piped on stdin (0600), shows only its hint, and the next session sends it", async () => {
    const run = await config(["set", "api-key"], { input: `${KEY_A}\n` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`api-key stored in ${configFile()}: sk-…ghij\n`);
    expect(run.stderr).not.toContain(KEY_A);
    expect(stored().apiKey).toBe(KEY_A);
    if (process.platform !== "win32") expect(statSync(configFile()).mode & 0o777).toBe(0o600);

    replies.set([{ text: "first answer" }]);
    const first = await ask("hello");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe("first answer");
    expect(sentKey()).toBe(KEY_A);

    // Another key, and the same bridge sends it from the next session on.
    expect((await config(["set", "api-key"], { input: KEY_B })).code).toBe(0);
    replies.set([{ text: "second answer" }]);
    expect((await ask("hello again")).code).toBe(0);
    expect(sentKey()).toBe(KEY_B);
  });

  it("says when the running bridge's environment has a key, which comes first", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-config-cli-env-"));
    dirs.push(dataDir);
    const other = await startBridge({ dataDir, env: { ANTHROPIC_API_KEY: KEY_B } });
    try {
      const run = await runCli(["config", "set", "api-key", "--data-dir", dataDir], {
        input: KEY_A,
        env: BARE,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe(
        `note: the running bridge (pid ${process.pid}) has ANTHROPIC_API_KEY in its environment, which comes first; it keeps using that until it is restarted without it\n`,
      );
      const list = await runCli(["config", "list", "--data-dir", dataDir], { env: BARE });
      expect(list.stdout).toMatch(
        /^api-key\s+sk-…tsrq\s+environment: ANTHROPIC_API_KEY \(config\.json holds another, not used\)$/m,
      );
    } finally {
      await other.close();
    }
  });

  it("refuses an empty key", async () => {
    const run = await config(["set", "api-key"], { input: "\n" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no api-key given: nothing was stored/);
  });

  it.skipIf(tmux.skip)(
    "asks for the key on a terminal without showing what is typed",
    async () => {
      const name = `sw-config-${process.pid}`;
      const tmuxRun = (...args: string[]) => execFileSync(tmux.path!, args, { encoding: "utf8" });
      const screen = () => tmuxRun("capture-pane", "-p", "-t", name);
      const waitFor = async (pattern: RegExp) => {
        for (let i = 0; i < 200; i++) {
          if (pattern.test(screen())) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`terminal never showed ${pattern}:\n${screen()}`);
      };
      tmuxRun("new-session", "-d", "-s", name, "-x", "200", "-y", "20");
      try {
        const command = `${process.execPath} ${CLI} config set api-key --data-dir ${fx.dataDir}; echo EXIT=$?`;
        tmuxRun("send-keys", "-t", name, command, "Enter");
        await waitFor(/API key \(not shown as you type or paste\):/);
        tmuxRun("send-keys", "-t", name, "-l", `${KEY_A}x`);
        tmuxRun("send-keys", "-t", name, "BSpace", "Enter");
        await waitFor(/EXIT=0/);
        expect(screen()).toContain("api-key stored in");
        expect(screen()).not.toContain(KEY_A.slice(8));
        expect(stored().apiKey).toBe(KEY_A);
      } finally {
        tmuxRun("kill-session", "-t", name);
      }
    },
    60_000,
  );
});

describe("config list, get, set, unset", () => {
  it("list says what the running bridge uses, from where and in what order, never the key", async () => {
    await config(["set", "api-key"], { input: KEY_A });
    await config(["set", "model", "claude-from-file"]);
    // This shell's SCRIPTWRIGHT_MODEL is not the bridge's: the bridge's answer counts.
    const run = await config(["list"], { env: { SCRIPTWRIGHT_MODEL: "claude-this-shell" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^api-key\s+sk-…ghij\s+config\.json$/m);
    expect(run.stdout).toMatch(/^model\s+claude-from-file\s+config\.json$/m);
    expect(run.stdout).toMatch(/^max-tokens\s+8192\s+default$/m);
    expect(run.stdout).toContain(`In use by the running bridge (pid ${process.pid}) for its next session.`);
    expect(run.stdout).toContain("(flag > environment > config.json > default)");
    expect(run.stdout).toContain(configFile());
    expect(run.stdout).not.toContain(KEY_A);

    const json = await config(["list", "--json"]);
    expect(json.stdout).not.toContain(KEY_A);
    expect(JSON.parse(json.stdout)).toMatchObject({
      bridge: { pid: process.pid },
      path: configFile(),
      apiKey: { set: true, source: "config", hint: "sk-…ghij" },
      model: { value: "claude-from-file", source: "config" },
    });
  });

  it("list without a bridge says so and shows what this shell's environment would give one", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-config-cli-"));
    dirs.push(dataDir);
    const run = await runCli(["config", "list", "--data-dir", dataDir], {
      env: { ANTHROPIC_API_KEY: KEY_B, SCRIPTWRIGHT_MODEL: "" },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^api-key\s+sk-…tsrq\s+environment: ANTHROPIC_API_KEY$/m);
    expect(run.stdout).toContain("No bridge is running: this is what one started from this shell would use.");
    expect(run.stdout).not.toContain(KEY_B);
    expect(existsSync(join(dataDir, "config.json"))).toBe(false);
  });

  it("get shows a stored value (the key as a hint), unset removes it, and get then exits 1", async () => {
    expect((await config(["set", "model", "claude-x"])).stdout).toBe(
      `model stored in ${configFile()}: claude-x\n`,
    );
    expect((await config(["get", "model"])).stdout).toBe("claude-x\n");
    await config(["set", "api-key"], { input: KEY_A });
    const key = await config(["get", "api-key", "--json"]);
    expect(JSON.parse(key.stdout)).toEqual({ name: "api-key", set: true, hint: "sk-…ghij" });
    expect((await config(["set", "max-tokens", "2048"])).code).toBe(0);
    expect(stored().maxTokens).toBe(2048);
    expect((await config(["unset", "model"])).stdout).toBe(`model removed from ${configFile()}\n`);
    const gone = await config(["get", "model"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe("model is not set in config.json\n");
    expect(stored()).toEqual({ apiKey: KEY_A, maxTokens: 2048 });
    await config(["unset", "max-tokens"]);
  });

  it("names what is wrong with a setting or a value", async () => {
    const unknown = await config(["set", "temperature", "1"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'no setting "temperature"; settings: provider, base-url, api-key, openai-api-key, model, max-tokens, small-model, stream\n',
    );
    const missing = await config(["set", "model"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("give the value: scriptwright config set model VALUE");
    const spaced = await config(["set", "model", "two words"]);
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toContain("model must be no spaces");
    const zero = await config(["set", "max-tokens", "0"]);
    expect(zero.stderr).toContain("max-tokens must be between 1 and 1000000");
  });

  it("loads neither zod nor the server's modules to start", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "sw-config-imports-")), "modules.txt");
    dirs.push(join(out, ".."));
    const recorder = fileURLToPath(new URL("./helpers/record-imports.mjs", import.meta.url));
    const run = await runProcess(
      process.execPath,
      ["--import", recorder, CLI, "config", "list", "--data-dir", fx.dataDir],
      { env: { ...BARE, SCRIPTWRIGHT_RECORD_IMPORTS: out } },
    );
    expect(run.code, run.stderr).toBe(0);
    const packages = new Set(
      readFileSync(out, "utf8")
        .split("\n")
        .flatMap((module) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module)?.[1] ?? []),
    );
    expect(packages.has("commander")).toBe(true);
    for (const heavy of ["zod", "@anthropic-ai/sdk", "express", "pino", "ws", "typescript"]) {
      expect(packages.has(heavy), heavy).toBe(false);
    }
  });
});

describe("ask without a key in the bridge", () => {
  it("says where the bridge looks, and starts no session", async () => {
    const before = sessionCount();
    const run = await ask("hello");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `scriptwright: no API key: the bridge reads ANTHROPIC_API_KEY from its own environment or \`api-key\` in ${configFile()} (set it with \`scriptwright config set api-key\`); a local model on an OpenAI-compatible server needs no key (\`scriptwright config set provider openai\`)\n`,
    );
    expect(sessionCount()).toBe(before);
    expect(server.requests).toHaveLength(0);
  });

  it("with ANTHROPIC_API_KEY in this shell only, says exactly that and how to fix it", async () => {
    const run = await ask("hello", { ANTHROPIC_API_KEY: KEY_A });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `ANTHROPIC_API_KEY is set in this shell, but not in the environment of the bridge (pid ${process.pid})`,
    );
    expect(run.stderr).toContain("`printenv ANTHROPIC_API_KEY | scriptwright config set api-key`");
    expect(run.stderr).not.toContain(KEY_A);
    expect(server.requests).toHaveLength(0);

    // Doing what it says works, and no restart is needed.
    const fix = await runProcess(
      "sh",
      [
        "-c",
        `printenv ANTHROPIC_API_KEY | "$0" "$1" config set api-key --data-dir "$2"`,
        process.execPath,
        CLI,
        fx.dataDir,
      ],
      {
        env: { ANTHROPIC_API_KEY: KEY_A },
      },
    );
    expect(fix.code, fix.stderr).toBe(0);
    replies.set([{ text: "works now" }]);
    const again = await ask("hello", { ANTHROPIC_API_KEY: KEY_A });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe("works now");
    expect(sentKey()).toBe(KEY_A);
  });

  it("a key the API rejects is named as the one from config.json", async () => {
    await config(["set", "api-key"], { input: KEY_A });
    replies.set([{ status: 401, error: { type: "authentication_error", message: "invalid x-api-key" } }]);
    const run = await ask("hello");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error (auth): the API key was rejected (it came from \`api-key\` in ${configFile()};`,
    );
    expect(run.stderr).not.toContain(KEY_A);
  });
});
