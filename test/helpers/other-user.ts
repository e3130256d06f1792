// Runs a command as another local user (`nobody`), to attack the bridge's managed hosts the
// way any other account on the machine could. Needs root and setpriv; elsewhere the tests
// that need it are skipped with the reason printed, and in CI they fail instead.
import { execFileSync } from "node:child_process";
import { findOnPath } from "../../adapters/find-executable.js";
import { type ProcessResult, runProcess } from "./run-process.js";

export const OTHER_USER = "nobody";

export interface OtherUserCheck {
  skip: boolean;
}

function idOf(flag: "-u" | "-g"): number | null {
  try {
    return Number(execFileSync("id", [flag, OTHER_USER], { encoding: "utf8" }).trim());
  } catch {
    return null;
  }
}

export function requireOtherUser(): OtherUserCheck {
  const missing =
    process.getuid?.() !== 0
      ? "root (to switch to another user)"
      : !findOnPath("setpriv")
        ? "setpriv (util-linux)"
        : idOf("-u") === null
          ? `a user named ${OTHER_USER}`
          : "";
  if (!missing) return { skip: false };
  if (process.env.CI) throw new Error(`${missing} is required in CI for the other-user tests`);
  console.warn(`[skip] no ${missing}: the tests that attack as another local user are skipped`);
  return { skip: true };
}

/** The command line that runs `command` as `nobody`, with no supplementary groups. */
export function asOtherUser(command: string, args: string[]): { command: string; args: string[] } {
  const uid = idOf("-u");
  const gid = idOf("-g");
  if (uid === null || gid === null) throw new Error(`no user named ${OTHER_USER}`);
  return {
    command: "setpriv",
    args: [`--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", "--", command, ...args],
  };
}

/** Runs `command` to its end as `nobody`, with a HOME it cannot write to. */
export function runAsOtherUser(
  command: string,
  args: string[],
  options: { input?: string } = {},
): Promise<ProcessResult> {
  const other = asOtherUser(command, args);
  return runProcess(other.command, other.args, { ...options, env: { HOME: "/" } });
}
