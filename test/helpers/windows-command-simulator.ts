// A Windows command simulator for `panel install|doctor excel|solidworks`: a fake command
// runner that answers `py`, `python`, `reg` and `tasklist` the way Windows does for the machine
// described, and records every call. No command runs and no setting changes.
import type { CommandResult, CommandRunner } from "../../bridge/panels/runner.js";

export interface WindowsMachine {
  /** Version each Python command runs ("3.12"), or absent when the command is not found. */
  pythons?: { py?: string; python?: string };
  pywin32?: boolean;
  /** Office versions whose Excel key exists (Excel ran once for this user). */
  officeVersions?: string[];
  /** AccessVBOM under HKCU\Software\Microsoft\Office\<v>\Excel\Security. */
  accessVbom?: Record<string, number>;
  /** AccessVBOM under the Policies key. */
  policy?: Record<string, number>;
  /** EXCEL.EXE in the process list. */
  excelProcess?: boolean;
  /** Which ProgIDs GetActiveObject finds. */
  reachable?: string[];
  /** reg add answers with this failure. */
  regAddFails?: string;
}

const ok = (stdout = ""): CommandResult => ({ code: 0, stdout, stderr: "" });
const notFound: CommandResult = { code: -1, stdout: "", stderr: "", error: "ENOENT" };
const REG_MISSING: CommandResult = {
  code: 1,
  stdout: "",
  stderr: "ERROR: The system was unable to find the specified registry key or value.\r\n",
};

function pythonAnswer(machine: WindowsMachine, version: string, script: string): CommandResult {
  if (script.startsWith("import sys;")) {
    const exe = version.startsWith("3")
      ? `C:\\Python${version.replace(".", "")}\\python.exe`
      : "C:\\Python27\\python.exe";
    return ok(`${version}\r\n${exe}\r\n`);
  }
  if (!machine.pywin32) {
    return {
      code: 1,
      stdout: "",
      stderr: "Traceback (most recent call last):\r\nModuleNotFoundError: No module named 'win32com'\r\n",
    };
  }
  if (script === "import win32com.client") return ok();
  const progId = /GetActiveObject\("([^"]+)"\)/.exec(script)?.[1];
  if (progId && machine.reachable?.includes(progId)) return ok();
  return {
    code: 1,
    stdout: "",
    stderr: "pywintypes.com_error: (-2147221021, 'Operation unavailable', None, None)\r\n",
  };
}

function regAnswer(machine: WindowsMachine, args: readonly string[]): CommandResult {
  const [verb, key = ""] = args;
  const version = /Office\\([\d.]+)\\/.exec(key)?.[1] ?? "";
  if (verb === "add")
    return machine.regAddFails ? { code: 1, stdout: "", stderr: machine.regAddFails } : ok();
  if (args.includes("AccessVBOM")) {
    const value = (key.includes("\\Policies\\") ? machine.policy : machine.accessVbom)?.[version];
    if (value === undefined) return REG_MISSING;
    return ok(`\r\n${key}\r\n    AccessVBOM    REG_DWORD    0x${value.toString(16)}\r\n\r\n`);
  }
  return machine.officeVersions?.includes(version) ? ok(`\r\n${key}\r\n`) : REG_MISSING;
}

export function windowsCommandSimulator(machine: WindowsMachine): {
  runner: CommandRunner;
  calls: string[][];
} {
  const calls: string[][] = [];
  const runner: CommandRunner = async (file, args) => {
    calls.push([file, ...args]);
    if (file === "py" || file === "python") {
      const version = machine.pythons?.[file];
      if (!version) return notFound;
      const script = args[args.indexOf("-c") + 1] ?? "";
      return pythonAnswer(machine, version, script);
    }
    if (file === "reg") return regAnswer(machine, args);
    if (file === "tasklist") {
      return ok(
        machine.excelProcess
          ? "\r\nEXCEL.EXE                    10432 Console                    1    182,340 K\r\n"
          : "INFO: No tasks are running which match the specified criteria.\r\n",
      );
    }
    return notFound;
  };
  return { runner, calls };
}
