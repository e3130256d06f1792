// Blender with its UI under Xvfb and the add-on from this checkout enabled (no build, no copy into
// Blender's add-on folder), finding its bridge through bridge.json in `dataDir`, as a person's
// Blender does. Its own process group, so Xvfb and Blender stop together.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { packagePath } from "../../adapters/shared/package-path.js";
import type { Bridge } from "../../bridge/server/bridge-server.js";

/** Python for --python-expr that enables the add-on package in `panelDir` (exit 3 if it cannot). */
export function enableAddonScript(panelDir: string = packagePath("panels", "blender")): string {
  return [
    "import sys, addon_utils",
    "sys.dont_write_bytecode = True  # no __pycache__ in the repository",
    `sys.path.insert(0, ${JSON.stringify(panelDir)})`,
    "if addon_utils.enable('scriptwright', default_set=True) is None:",
    "    sys.exit(3)",
  ].join("\n");
}

export interface UiBlender {
  child: ChildProcess;
  /** The last 20,000 characters it printed. */
  output(): string;
  /** Kills Xvfb and Blender (the process group) and waits for them. */
  stop(): Promise<void>;
}

/** `configDir` holds the Blender user config and scripts, apart from the person's own. */
export function startUiBlender(options: {
  xvfb: string;
  blender: string;
  dataDir: string;
  configDir: string;
}): UiBlender {
  mkdirSync(options.configDir, { recursive: true });
  const child = spawn(
    options.xvfb,
    ["-a", options.blender, "--factory-startup", "--python-expr", enableAddonScript()],
    {
      env: {
        ...process.env,
        SCRIPTWRIGHT_HOME: options.dataDir,
        BLENDER_USER_CONFIG: join(options.configDir, "config"),
        BLENDER_USER_SCRIPTS: join(options.configDir, "scripts"),
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    child,
    output: () => output,
    async stop() {
      if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGKILL");
      await exited;
    },
  };
}

/** The id an in-process bridge gave the UI Blender once it said hello (any managed one is headless). */
export function uiHostId(bridge: Bridge, ui: UiBlender): Promise<string> {
  return new Promise((resolve, reject) => {
    const found = () => bridge.pool.all().find((host) => host.app === "blender" && !host.managed);
    const onAdded = () => {
      const host = found();
      if (!host) return;
      bridge.pool.off("added", onAdded);
      ui.child.off("exit", onExit);
      resolve(host.id);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`the UI Blender exited (${code}): ${ui.output()}`));
    bridge.pool.on("added", onAdded);
    ui.child.once("exit", onExit);
    onAdded();
  });
}
