// A headless LibreOffice on its own profile and port, and a way to run Python kit scripts
// against it from /usr/bin/python3 with python3-uno: the globals a LibreOffice runner gives
// scripts (uno, ctx, desktop, doc) are set up over the UNO socket instead of in-process.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { findOnPath } from "../../adapters/find-executable.js";
import { pythonKit } from "../../adapters/python/index.js";
import type { Unwrapped, WrapOptions } from "../../adapters/types.js";
import { runProcess } from "./run-process.js";

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

/** Starts soffice.bin itself (not the launcher script), so stopping it is one kill by pid. */
export async function startSoffice(timeoutMs = 60_000): Promise<Soffice> {
  const launcher = realpathSync(findOnPath("soffice")!);
  const binary = join(dirname(launcher), "soffice.bin");
  const profile = mkdtempSync(join(tmpdir(), "sw-soffice-"));
  const port = await freePort();
  const args = [
    "--headless",
    "--invisible",
    "--norestore",
    "--nologo",
    "--nodefault",
    "--nolockcheck",
    `-env:UserInstallation=${pathToFileURL(profile).href}`,
    `--accept=socket,host=127.0.0.1,port=${port};urp;`,
  ];
  const launch = () => spawn(existsSync(binary) ? binary : launcher, args, { stdio: "ignore" });
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
  while (!(await listening(port))) {
    // The launcher would restart it; starting soffice.bin directly, that is this loop's job.
    if (child.exitCode === RESTART_EXIT) child = launch();
    else if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(
        `soffice did not listen on port ${port} within ${timeoutMs} ms (exit ${child.exitCode})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // The port can listen before the office answers UNO calls: wait until a Desktop can be made.
  while (!unoAnswers(port)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`soffice on port ${port} did not answer UNO within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { port, stop };
}

const UNO_PROBE = `
import sys, uno
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=%s;urp;StarOffice.ComponentContext" % sys.argv[1])
ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).getComponents()
`;

function unoAnswers(port: number): boolean {
  try {
    execFileSync(UNO_PYTHON, ["-c", UNO_PROBE, String(port)], { stdio: "ignore", timeout: 30_000 });
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
