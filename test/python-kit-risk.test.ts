// The Python risk classifier and the tokenizer under it (pure TypeScript, no Python needed).
import { describe, expect, it } from "vitest";
import { pythonKit } from "../adapters/python/index.js";
import { tokenize } from "../adapters/python/tokens.js";
import type { RiskKind } from "../adapters/types.js";

function flags(code: string): [number | undefined, RiskKind][] {
  return pythonKit.risk(code).map((flag) => [flag.line, flag.kind]);
}

describe("python tokenizer", () => {
  it("keeps strings and comments out of code and counts lines through them", () => {
    const code = [
      "a = 'x # not a comment'  # os.remove(p)",
      'b = """one',
      "two ''' still inside",
      'three"""',
      "c = rb'\\'' + f\"{d['k']}\" + R'raw\\'",
      "e = (1,",
      "     2) \\",
      "    + g",
    ].join("\n");
    const tokens = tokenize(code);
    const names = tokens.filter((t) => t.kind === "name").map((t) => `${t.text}@${t.line}`);
    expect(names).toEqual(["a@1", "b@2", "c@5", "e@6", "g@8"]);
    const strings = tokens.filter((t) => t.kind === "string");
    expect(strings.map((t) => t.line)).toEqual([1, 2, 5, 5, 5]);
    expect(strings[1]!.body).toBe("one\ntwo ''' still inside\nthree");
    expect(strings.map((t) => t.prefix)).toEqual(["", "", "rb", "f", "r"]);
    // A line break inside brackets or after a backslash does not end the statement.
    expect(tokens.filter((t) => t.kind === "newline").map((t) => t.line)).toEqual([1, 4, 5]);
  });

  it("walks f-string fields that reuse the outer quote (Python 3.12+)", () => {
    const tokens = tokenize('x = f"{d["os.remove"]:>{width}}" + y');
    expect(tokens.filter((t) => t.kind === "name").map((t) => t.text)).toEqual(["x", "y"]);
  });

  it("never throws on unterminated input", () => {
    for (const code of ["'abc", '"""abc', "f'{x", "x = (", "\\", "é = 1", "💥"]) {
      expect(() => tokenize(code)).not.toThrow();
    }
  });
});

describe("python risk", () => {
  it("finds file deletion", () => {
    const code = [
      "import os, shutil",
      "from pathlib import Path",
      "os.remove('a')",
      "os.unlink(p); os.rmdir(d)",
      "os.removedirs(d)",
      "shutil.rmtree(d)",
      "Path('x').unlink(missing_ok=True)",
      "folder.rmdir()",
    ].join("\n");
    expect(flags(code)).toEqual([
      [3, "file-delete"],
      [4, "file-delete"],
      [5, "file-delete"],
      [6, "file-delete"],
      [7, "file-delete"],
      [8, "file-delete"],
    ]);
    expect(pythonKit.risk("import shutil\nshutil.rmtree(d)")[0]?.reason).toBe("deletes files: shutil.rmtree");
  });

  it("finds file writes, judging open() by its mode", () => {
    const code = [
      "with open('out.txt', 'w') as f: pass",
      "open('in.txt')",
      "open('in.txt', 'rb')",
      "open(p, mode='a+')",
      "open(p, 'r', encoding='utf-8')",
      "open(p, mode)",
      "import shutil, io",
      "shutil.copy(a, b); shutil.move(a, b)",
      "Path(p).write_text('x')",
      "p.write_bytes(b'x')",
      "io.open(p, 'x')",
      "zf.open('member', 'w')",
      "Image.open(p)",
    ].join("\n");
    expect(flags(code)).toEqual([
      [1, "file-overwrite"],
      [4, "file-overwrite"],
      [6, "file-overwrite"],
      [8, "file-overwrite"],
      [9, "file-overwrite"],
      [10, "file-overwrite"],
      [11, "file-overwrite"],
      [12, "file-overwrite"],
    ]);
  });

  it("finds processes, network, registry, app quit, dynamic and native code", () => {
    const code = [
      "import subprocess",
      "os.system('ls')",
      "os.popen('ls')",
      "os.execvp('x', [])",
      "os.spawnl(0, 'x')",
      "os.startfile(p)",
      "import pty",
      "import socket",
      "import urllib.request",
      "import http.client",
      "import requests",
      "import ftplib, smtplib",
      "await asyncio.open_connection(h, 80)",
      "import webbrowser",
      "import winreg",
      "sys.exit(1)",
      "os._exit(1)",
      "os.kill(pid, 9)",
      "exec(src)",
      "eval(src)",
      "compile(src, 'f', 'exec')",
      "__import__('os')",
      "import importlib",
      "import ctypes",
      "from cffi import FFI",
    ].join("\n");
    const expected: RiskKind[] = [
      ...Array<RiskKind>(7).fill("process"),
      ...Array<RiskKind>(7).fill("network"),
      "registry",
      ...Array<RiskKind>(3).fill("app-quit"),
      ...Array<RiskKind>(5).fill("dynamic-code"),
      "native-code",
      "native-code",
    ];
    expect(flags(code)).toEqual(expected.map((kind, index) => [index + 1, kind]));
  });

  it("follows import aliases and star imports", () => {
    const code = [
      "import subprocess as sp",
      "from shutil import rmtree as wipe",
      "from os import *",
      "sp.run(['ls'])",
      "wipe(d)",
      "remove(p)",
    ].join("\n");
    const found = pythonKit.risk(code);
    expect(found.map((flag) => [flag.line, flag.kind])).toEqual([
      [1, "process"],
      [2, "file-delete"],
      [4, "process"],
      [5, "file-delete"],
      [6, "file-delete"],
    ]);
    expect(found[3]!.reason).toBe("deletes files: shutil.rmtree");
    expect(found[4]!.reason).toBe("deletes files: os.remove");
  });

  it("reports one flag per kind and line", () => {
    expect(pythonKit.risk("os.remove(a); os.remove(b); shutil.rmtree(c)")).toHaveLength(1);
    expect(flags("os.remove(a); subprocess.run(b)")).toEqual([
      [1, "file-delete"],
      [1, "process"],
    ]);
  });

  it("ignores strings, comments and look-alike names", () => {
    const code = [
      "# os.remove(p) and shutil.rmtree(d) and subprocess.run",
      "print('os.remove(p)', \"exec(code)\")",
      "doc = '''",
      "import subprocess",
      "os.system('rm -rf /')",
      "'''",
      'note = r"open(p, \'w\')" + b"eval(x)" + f"{name} ctypes"',
      "import re, os.path, urllib.parse",
      "pattern = re.compile('x')",
      "os.path.exists(p); urllib.parse.quote(s)",
      "open(p)",
      "def compile(source): return source",
      "def run(eval=None, exec=False): return 1",
      "cursor.execute(sql)",
      "bpy.data.objects.remove(obj)",
      "text.replace('a', 'b')",
    ].join("\n");
    expect(pythonKit.risk(code)).toEqual([]);
  });

  it("flags a dynamic builtin passed around, not only called", () => {
    expect(flags("results = list(map(eval, lines))")).toEqual([[1, "dynamic-code"]]);
  });

  it("flags nothing in plain Blender scripting", () => {
    const code = [
      "import bpy",
      "bpy.ops.mesh.primitive_cube_add(size=2)",
      "obj = bpy.context.active_object",
      "obj.location.x += 1",
      "mat = bpy.data.materials.new('Red')",
      "obj.data.materials.append(mat)",
      "[o.name for o in bpy.data.objects]",
    ].join("\n");
    expect(pythonKit.risk(code)).toEqual([]);
  });
});

describe("python risk fails closed on what it cannot read", () => {
  const kindsOf = (code: string) => pythonKit.risk(code).map((flag) => flag.kind);

  it("reads getattr/setattr/delattr with a literal name as that attribute", () => {
    expect(pythonKit.risk('import os\ngetattr(os, "system")("id")')).toEqual([
      expect.objectContaining({ kind: "process", line: 2, reason: "runs processes: os.system" }),
    ]);
    expect(flags('import shutil as s\nf = getattr(s, "rmtree")')).toEqual([[2, "file-delete"]]);
    expect(flags('setattr(os, "system", None)')).toEqual([[1, "process"]]);
    expect(flags('getattr(obj, "name")\nhasattr(obj, n)')).toEqual([]);
  });

  it("flags getattr, setattr and delattr with a name computed at run time", () => {
    const code = [
      'getattr(os, "sys" + "tem")("id")',
      "getattr(obj, name)",
      "setattr(obj, name, 1)",
      "delattr(obj, name)",
      "g = getattr",
      "getattr(*pair)",
    ].join("\n");
    expect(flags(code)).toEqual([1, 2, 3, 4, 5, 6].map((line) => [line, "dynamic-code"]));
    expect(pythonKit.risk("getattr(obj, name)")[0]?.reason).toMatch(/getattr.*computed/);
  });

  it("flags names reached through vars(), globals(), locals(), sys.modules and __builtins__", () => {
    const code = [
      'globals()["os"].system("id")',
      'vars(os)["system"]("id")',
      "locals()",
      'import sys\nsys.modules["os"].system("id")',
      '__builtins__.__dict__["eval"]("1")',
      "import builtins\nbuiltins.getattr(os, n)",
    ].join("\n");
    expect(flags(code)).toEqual([
      [1, "dynamic-code"],
      [2, "dynamic-code"],
      [3, "dynamic-code"],
      [5, "dynamic-code"],
      [6, "dynamic-code"],
      [8, "dynamic-code"],
    ]);
  });

  it("flags dunder walks", () => {
    const code = [
      "().__class__.__bases__[0].__subclasses__()",
      "f.__globals__['os']",
      "obj.__dict__",
      "object.__getattribute__(os, n)",
      "(lambda: 0).__code__",
      "type(x).__mro__",
      "__loader__.load_module('os')",
    ].join("\n");
    expect(flags(code)).toEqual([1, 2, 3, 4, 5, 6, 7].map((line) => [line, "dynamic-code"]));
  });

  it("leaves ordinary dunders alone", () => {
    const code = [
      "class A:",
      "    __slots__ = ('a',)",
      "    def __init__(self): super().__init__()",
      "    def __repr__(self): return type(self).__name__",
      "if __name__ == '__main__': print(__doc__, A.__module__, A.__qualname__)",
    ].join("\n");
    expect(pythonKit.risk(code)).toEqual([]);
  });

  it("flags deserialisers and code loaders", () => {
    const code = [
      "import pickle; pickle.loads(b)",
      "from marshal import loads",
      "import shelve",
      "import dill",
      "import importlib",
      "import code; code.interact()",
      "import codeop",
      "import types; types.FunctionType(c, {})",
      "types.CodeType(*a)",
      "import runpy",
    ].join("\n");
    expect(kindsOf(code)).toEqual(Array(10).fill("dynamic-code"));
    expect(pythonKit.risk("code = 'x'\ncode.strip()")).toEqual([]);
  });

  it("reads operator.attrgetter and methodcaller with literal names, and flags computed ones", () => {
    expect(flags('import operator, os\noperator.methodcaller("system", "id")(os)')).toEqual([
      [2, "dynamic-code"],
    ]);
    expect(flags("import operator\noperator.methodcaller(name)(obj)")).toEqual([[2, "dynamic-code"]]);
    expect(flags('from operator import attrgetter\nattrgetter("name")(o)')).toEqual([]);
    expect(flags('from operator import attrgetter\nattrgetter("__globals__")(f)')).toEqual([
      [2, "dynamic-code"],
    ]);
  });

  it("treats posix and nt as os, reached directly or through another module", () => {
    const code = [
      "import posix; posix.system('id')",
      "import nt\nnt.remove(p)",
      "from posix import *\nsystem('id')",
      "import shutil\nshutil.os.system('id')",
    ].join("\n");
    expect(flags(code)).toEqual([
      [1, "process"],
      [3, "file-delete"],
      [5, "process"],
      [7, "process"],
    ]);
  });

  it("flags a module handed on as a value, since what is reached through it is not known", () => {
    const code = [
      "import os as o",
      "m = o",
      'm.system("id")',
      "run(o)",
      "o.getcwd()",
      "import sys",
      "sys.argv",
    ];
    expect(flags(code.join("\n"))).toEqual([
      [2, "dynamic-code"],
      [4, "dynamic-code"],
    ]);
    expect(flags("import shutil\nm = shutil.os\nm.system('id')")).toEqual([[2, "dynamic-code"]]);
    expect(flags('import shutil\ngetattr(getattr(shutil, "os"), "system")("id")')).toEqual([
      [2, "dynamic-code"],
    ]);
    expect(flags("import shutil\n(shutil.os).system('id')")).toEqual([[2, "dynamic-code"]]);
    // A local that only shares a module's name is not that module.
    expect(flags("code = 'x'\nprint(code)")).toEqual([]);
  });

  it("flags ways to end the app's process", () => {
    const code = ["import sys; sys.exit(0)", "raise SystemExit", "os._exit(1)", "exit()", "quit()"].join(
      "\n",
    );
    expect(flags(code)).toEqual([1, 2, 3, 4, 5].map((line) => [line, "app-quit"]));
  });

  it("looks inside f-string fields", () => {
    expect(flags("x = f\"{__import__('os').system('id')}\"")).toEqual([[1, "dynamic-code"]]);
    expect(flags('import os\nx = f"""\n{os.remove(p)}"""')).toEqual([[3, "file-delete"]]);
    expect(flags('x = f"{name!r:>{width}} {{os.remove}}"')).toEqual([]);
  });

  it("flags COM and UNO objects made from a class name computed at run time", () => {
    expect(flags("import win32com.client\nwin32com.client.Dispatch(prog_id)")).toEqual([[2, "dynamic-code"]]);
    expect(flags("smgr.createInstanceWithContext(name, ctx)")).toEqual([[1, "dynamic-code"]]);
    expect(flags('import win32com.client as w\nw.Dispatch("WScript.Shell")')).toEqual([[2, "process"]]);
    expect(flags('win32com.client.Dispatch("SldWorks.Application")')).toEqual([]);
  });
});
