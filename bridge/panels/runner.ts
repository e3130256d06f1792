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

export type CommandRunner = (file: string, args: readonly string[]) => Promise<CommandResult>;

export const execFileRunner: CommandRunner = (file, args) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: 15_000, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const code = typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr, error: code === -1 ? String(error.code ?? error.message) : undefined });
    });
  });
