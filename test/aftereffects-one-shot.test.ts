// The one-shot route into a running After Effects. AE cannot run here: the command runner
// is an AfterFX simulator that evaluates the generated .jsx in a JavaScript engine (node:vm)
// with a File object backed by the disk. It proves the script and the result handoff, not
// that After Effects runs it.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CommandRunner,
  oneShotPlan,
  oneShotScript,
  runOneShot,
} from "../adapters/aftereffects/one-shot.js";

const dir = mkdtempSync(join(tmpdir(), "sw-oneshot-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ExtendScript's File, as far as the one-shot script uses it. */
class SimulatedFile {
  encoding = "";
  private text = "";
  constructor(private path: string) {}
  open() {
    return true;
  }
  write(text: string) {
    this.text += text;
  }
  close() {
    writeFileSync(this.path, this.text);
  }
  rename(name: string) {
    const target = join(dirname(this.path), name);
    renameSync(this.path, target);
    this.path = target;
  }
}

const afterFxSimulator =
  (calls: Array<[string, string[]]>): CommandRunner =>
  async (command, args) => {
    calls.push([command, args]);
    const script = readFileSync(args.at(-1)!, "utf8");
    runInNewContext(script, { File: SimulatedFile, JSON: undefined });
    return { code: 0, stderr: "" };
  };

describe("After Effects one-shot runner (AfterFX simulator)", () => {
  it("plans AfterFX.exe -r on Windows and AppleScript DoScriptFile on macOS, quoting paths", () => {
    const win = oneShotPlan({ os: "win", scriptFile: "C:\\jobs\\a.jsx", resultFile: "C:\\jobs\\a.json" });
    expect(win.command).toMatch(/AfterFX\.exe$/);
    expect(win.args).toEqual(["-r", "C:\\jobs\\a.jsx"]);
    const mac = oneShotPlan({
      os: "mac",
      scriptFile: '/Users/me/my "jobs"/a.jsx',
      resultFile: "/tmp/a.json",
    });
    expect(mac.command).toBe("osascript");
    expect(mac.args).toEqual([
      "-e",
      'tell application "Adobe After Effects 2025" to DoScriptFile "/Users/me/my \\"jobs\\"/a.jsx"',
    ]);
  });

  it("runs the wrapped script and returns the string it produced through the result file", async () => {
    const calls: Array<[string, string[]]> = [];
    const plan = oneShotPlan({
      os: "win",
      scriptFile: join(dir, "job.jsx"),
      resultFile: join(dir, "job.json"),
    });
    const wrapped =
      'var a = 6; var b = 7; "{\\"$scriptwright\\":1,\\"ok\\":true,\\"value\\":" + (a * b) + "}"';
    const result = await runOneShot({
      plan,
      wrappedCode: wrapped,
      run: afterFxSimulator(calls),
      timeoutMs: 2000,
    });
    expect(result).toEqual({ ok: true, output: '{"$scriptwright":1,"ok":true,"value":42}' });
    expect(calls).toEqual([[plan.command, ["-r", plan.scriptFile]]]);
  });

  it("keeps line separators and quotes in the script intact (ES3 string literals)", () => {
    const script = oneShotScript('"a\u2028b" + \'"\'', "/tmp/r.json");
    expect(script).not.toMatch(/\u2028/);
    let written = "";
    class Capture extends SimulatedFile {
      override close() {}
      override write(text: string) {
        written = text;
      }
      override rename() {}
    }
    runInNewContext(script, { File: Capture });
    expect(written).toBe('a\u2028b"');
  });

  it("reports a launch failure and a script that never answers, without hanging", async () => {
    const plan = oneShotPlan({ os: "mac", scriptFile: join(dir, "x.jsx"), resultFile: join(dir, "x.json") });
    const failed = await runOneShot({
      plan,
      wrappedCode: "1",
      run: async () => ({ code: 1, stderr: "application not running" }),
      timeoutMs: 500,
    });
    expect(failed).toEqual({ ok: false, message: "osascript exited with 1: application not running" });
    const silent = await runOneShot({
      plan,
      wrappedCode: "1",
      run: async () => ({ code: 0, stderr: "" }),
      timeoutMs: 300,
      pollMs: 50,
    });
    expect(silent.ok).toBe(false);
    expect(!silent.ok && silent.message).toMatch(/no result from After Effects within 300 ms/);
  });
});
