// Running the OS commands of a plan: execFile with an argument list (never a shell string).
// Tests inject their own runner.
import { execFile } from "node:child_process";

export interface CommandResult {
  /** Exit code; -1 when the command could not be started. */
  code: number;
  stdout: string;
  stderr: string;
  /** Why it could not run (ENOENT, timeout…). */
  error?: string;
}

export interface RunOptions {
  /** Default 15 s: enough for reg, defaults and Python; an app that starts up asks for more. */
  timeoutMs?: number;
}

export type CommandRunner = (
  file: string,
  args: readonly string[],
  options?: RunOptions,
) => Promise<CommandResult>;

export const execFileRunner: CommandRunner = (file, args, options = {}) =>
  new Promise((resolve) => {
    const settings = { timeout: options.timeoutMs ?? 15_000, windowsHide: true };
    execFile(file, [...args], settings, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const code = typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr, error: code === -1 ? String(error.code ?? error.message) : undefined });
    });
  });

/** What a failed command said first (or why it did not run): a message's headline. */
export function firstLine(result: CommandResult): string {
  return (result.error ?? (result.stderr.trim() || result.stdout.trim())).split(/\r?\n/)[0] ?? "";
}

/** What it said last (or why it did not run): a Python traceback's exception line. */
export function lastLine(result: CommandResult): string {
  if (result.error) return result.error;
  const lines = (result.stderr.trim() || result.stdout.trim()).split(/\r?\n/);
  return lines.at(-1)?.trim() || `exit ${result.code}`;
}
