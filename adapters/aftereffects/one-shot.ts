// Runs one wrapped script in a running After Effects from outside the panel, for batch jobs
// when no panel is open: Windows `AfterFX.exe -r file.jsx`, macOS AppleScript `DoScriptFile`.
// The script writes its result (the envelope string) to a file, since neither route returns it.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";

export type DesktopOs = "win" | "mac";

export interface OneShotPlan {
  os: DesktopOs;
  command: string;
  args: string[];
  scriptFile: string;
  resultFile: string;
}

export const DEFAULT_AE_WINDOWS =
  "C:\\Program Files\\Adobe\\Adobe After Effects 2025\\Support Files\\AfterFX.exe";
export const DEFAULT_AE_MAC_APP = "Adobe After Effects 2025";

export function oneShotPlan(options: {
  os: DesktopOs;
  scriptFile: string;
  resultFile: string;
  /** Windows: the AfterFX.exe path; macOS: the application name AppleScript knows. */
  app?: string;
}): OneShotPlan {
  const { os, scriptFile, resultFile } = options;
  if (os === "win") {
    return {
      os,
      command: options.app ?? DEFAULT_AE_WINDOWS,
      args: ["-r", scriptFile],
      scriptFile,
      resultFile,
    };
  }
  const app = appleScriptString(options.app ?? DEFAULT_AE_MAC_APP);
  const file = appleScriptString(scriptFile);
  return {
    os,
    command: "osascript",
    args: ["-e", `tell application ${app} to DoScriptFile ${file}`],
    scriptFile,
    resultFile,
  };
}

/**
 * ES3 that evaluates the wrapped code (whose last expression is the result string) and
 * writes that string to `resultFile`: first to a `.part` file, renamed when complete, so a
 * reader never sees half a result.
 */
export function oneShotScript(wrappedCode: string, resultFile: string): string {
  const part = `${resultFile}.part`;
  const name = resultFile.split(/[\\/]/).pop() ?? "result.json";
  return [
    "(function () {",
    `  var out = eval(${es3String(wrappedCode)});`,
    `  var file = new File(${es3String(part)});`,
    '  file.encoding = "UTF-8";',
    '  file.open("w");',
    "  file.write(String(out));",
    "  file.close();",
    `  file.rename(${es3String(name)});`,
    "})();",
  ].join("\n");
}

export type CommandRunner = (
  command: string,
  args: string[],
) => Promise<{ code: number | null; stderr: string }>;

/** Writes the script, runs the plan, and waits for the result file (or gives up). */
export async function runOneShot(options: {
  plan: OneShotPlan;
  wrappedCode: string;
  run: CommandRunner;
  timeoutMs: number;
  pollMs?: number;
}): Promise<{ ok: true; output: string } | { ok: false; message: string }> {
  const { plan } = options;
  rmSync(plan.resultFile, { force: true });
  writeFileSync(plan.scriptFile, oneShotScript(options.wrappedCode, plan.resultFile));
  const launched = await options.run(plan.command, plan.args);
  if (launched.code !== 0) {
    return {
      ok: false,
      message: `${plan.command} exited with ${launched.code}: ${launched.stderr.trim() || "no message"}`,
    };
  }
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(plan.resultFile)) {
      const output = readFileSync(plan.resultFile, "utf8");
      rmSync(plan.resultFile, { force: true });
      return { ok: true, output };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
  return {
    ok: false,
    message: `no result from After Effects within ${options.timeoutMs} ms; the script may still be running (is "Allow Scripts to Write Files and Access Network" on?)`,
  };
}

/** A JS string literal valid in ES3: JSON's, plus the two line separators ES3 forbids in strings. */
export function es3String(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function appleScriptString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
