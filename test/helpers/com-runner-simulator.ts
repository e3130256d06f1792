// The real Windows COM runner (panels/windows-com/scriptwright_com.py, python3) against the COM
// simulator (test/simulators/com_simulator), which takes pywin32's place through PYTHONPATH.
// The test drives the simulated app through a state file and reads back what the runner did
// from the simulator's journal. Nothing here is Excel or SolidWorks.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packagePath } from "../../adapters/shared/package-path.js";
import type { BridgeFixture } from "./bridge-fixture.js";

export const COM_RUNNER = packagePath("panels", "windows-com", "scriptwright_com.py");
export const COM_SIMULATOR_DIR = packagePath("test", "simulators", "com_simulator");

export interface JournalEntry {
  event: string;
  [key: string]: unknown;
}

export interface ComRunnerSimulator {
  child: ChildProcess;
  /** Resolves with the exit code when the runner ends. */
  exited: Promise<number | null>;
  stderr(): string;
  /** Replaces the simulated apps' state; the simulator reads it again on its next check. */
  setState(state: unknown): void;
  journal(): JournalEntry[];
  /** Journal entries written from now on. */
  mark(): () => JournalEntry[];
  close(): Promise<void>;
}

export function startComRunner(options: {
  fixture: BridgeFixture;
  app: "excel" | "solidworks";
  state: unknown;
  args?: string[];
  name?: string;
  /** Find the bridge through this data dir's bridge.json (as a person starts it), not --bridge. */
  discover?: string;
}): ComRunnerSimulator {
  const dir = mkdtempSync(join(tmpdir(), "sw-com-sim-"));
  const stateFile = join(dir, "state.json");
  const journalFile = join(dir, "journal.jsonl");
  const setState = (state: unknown) => {
    // Written whole, then renamed: the runner never reads half a file.
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${stateFile}.tmp`, stateFile);
  };
  setState(options.state);
  const child = spawn(
    "python3",
    [
      COM_RUNNER,
      options.app,
      ...(options.discover
        ? ["--data-dir", options.discover]
        : ["--bridge", `${options.fixture.url.replace("http", "ws")}/ws/host`]),
      "--name",
      options.name ?? `${options.app}-simulator`,
      ...(options.args ?? []),
    ],
    {
      env: {
        ...process.env,
        PYTHONPATH: COM_SIMULATOR_DIR,
        PYTHONDONTWRITEBYTECODE: "1",
        SCRIPTWRIGHT_TOKEN: options.discover ? "" : options.fixture.token,
        SCRIPTWRIGHT_COM_SIMULATOR_STATE: stateFile,
        SCRIPTWRIGHT_COM_SIMULATOR_JOURNAL: journalFile,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const journal = (): JournalEntry[] =>
    existsSync(journalFile)
      ? readFileSync(journalFile, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as JournalEntry)
      : [];
  return {
    child,
    exited,
    stderr: () => stderr,
    setState,
    journal,
    mark() {
      const start = journal().length;
      return () => journal().slice(start);
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the runner's host is connected, or fails with what the runner printed. */
export async function waitForHost(
  fixture: BridgeFixture,
  runner: ComRunnerSimulator,
  name: string,
): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const host = fixture.bridge.pool.list().find((h) => h.name === name);
    if (host) return host.id;
    if (runner.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the COM runner never connected (exit ${runner.child.exitCode}):\n${runner.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
