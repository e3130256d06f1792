// The Python kit against a real Python: a long-lived python3 process plays the panel,
// executing wrapped code exactly as the panel contract says and sending back the output.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonKit, pythonRuntimeModule } from "../adapters/python/index.js";
import type { Unwrapped, WrapOptions } from "../adapters/types.js";
import { requireBinary } from "./helpers/require-binary.js";

// SCRIPTWRIGHT_TEST_PYTHON picks another interpreter (e.g. a 3.10 like older Blenders bundle).
const python = requireBinary(process.env.SCRIPTWRIGHT_TEST_PYTHON ?? "python3", "install Python 3.10+");

// The panel contract, verbatim, plus instrumentation: it counts compilations of the
// runtime's source (filename "<scriptwright-runtime>") and checks that stdout/stderr
// were restored after each run.
const PANEL = String.raw`
import builtins, json, sys, time
real_compile = builtins.compile
runtime_compiles = 0
def counting_compile(source, filename, *args, **kwargs):
    global runtime_compiles
    if filename == "<scriptwright-runtime>":
        runtime_compiles += 1
    return real_compile(source, filename, *args, **kwargs)
builtins.compile = counting_compile
out, err = sys.stdout, sys.stderr
for line in sys.stdin:
    code = json.loads(line)
    started = time.perf_counter()
    try:
        ns = {"__name__": "__scriptwright__"}
        exec(compile(code, "<scriptwright>", "exec"), ns)
        output = ns.get("__scriptwright_output__")
        reply = {"output": output} if isinstance(output, str) else {"failure": "output is %r" % (output,)}
    except BaseException as exc:
        reply = {"failure": "%s: %s" % (type(exc).__name__, exc)}
    reply["ms"] = (time.perf_counter() - started) * 1000
    reply["runtimeCompiles"] = runtime_compiles
    reply["streamsRestored"] = sys.stdout is out and sys.stderr is err
    out.write(json.dumps(reply) + "\n")
    out.flush()
`;

interface PanelReply {
  output?: string;
  failure?: string;
  ms: number;
  runtimeCompiles: number;
  streamsRestored: boolean;
}

class PythonPanel {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((reply: PanelReply) => void)[] = [];

  constructor(executable: string) {
    this.child = spawn(executable, ["-c", PANEL], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.on("data", (chunk) => process.stderr.write(chunk));
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      this.waiting.shift()?.(JSON.parse(line) as PanelReply);
    });
  }

  /** Whether the kit's setup ran in this process, as the bridge does once per host connection. */
  prepared = false;

  exec(wrappedCode: string): Promise<PanelReply> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(`${JSON.stringify(wrappedCode)}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

interface RunResult extends Unwrapped {
  reply: PanelReply;
}

let panel: PythonPanel;
/** Python 3.11+ reports columns of runtime errors (code positions); 3.10 only lines. */
let hasColumns = false;

async function runOn(target: PythonPanel, code: string, options?: WrapOptions): Promise<RunResult> {
  if (!target.prepared) {
    const setup = await target.exec(pythonKit.setup!.code);
    expect(setup.failure, "setup must succeed").toBeUndefined();
    expect(pythonKit.unwrap(setup.output!, { code: "", lineOffset: 0 })).toEqual({ value: null });
    target.prepared = true;
  }
  const wrapped = pythonKit.wrap(code, options);
  const reply = await target.exec(wrapped.code);
  expect(reply.failure, "the panel itself must never fail").toBeUndefined();
  expect(reply.streamsRestored).toBe(true);
  return { ...pythonKit.unwrap(reply.output!, wrapped), reply };
}

const run = (code: string, options?: WrapOptions) => runOn(panel, code, options);

describe.skipIf(python.skip)("python kit on a real Python", () => {
  beforeAll(async () => {
    panel = new PythonPanel(python.path!);
    hasColumns = (await run("import sys\nsys.version_info >= (3, 11)")).value === true;
  });
  afterAll(() => panel?.close());

  describe("values", () => {
    it("returns the value of the final expression statement", async () => {
      const result = await run("x = 2\nx * 21");
      expect(result).toMatchObject({ value: 42 });
      expect(result.error).toBeUndefined();
    });

    it("returns null when the last statement is not an expression", async () => {
      for (const code of ["x = 1", "import os", "def f():\n    return 1", "for i in range(3):\n    i", ""]) {
        const result = await run(code);
        expect(result.error, code).toBeUndefined();
        expect(result.value, code).toBeNull();
      }
    });

    it("serialises plain data as JSON", async () => {
      const result = await run(
        '{"s": "é✓", "i": -3, "f": 1.5, "b": True, "n": None, "l": [1, (2, 3)], "d": {"k": []}}',
      );
      expect(result.value).toEqual({
        s: "é✓",
        i: -3,
        f: 1.5,
        b: true,
        n: null,
        l: [1, [2, 3]],
        d: { k: [] },
      });
    });

    it("gives every run a fresh namespace", async () => {
      await run("leftover = 5");
      const result = await run("leftover");
      expect(result.error).toMatchObject({ type: "NameError", line: 1 });
    });

    it("runs scripts as __main__ so Blender text-editor scripts behave the same", async () => {
      expect((await run("__name__")).value).toBe("__main__");
    });
  });

  describe("prelude, epilogue and params", () => {
    it("runs the prelude first in the same namespace without shifting user lines", async () => {
      const result = await run("x = C * 6\n1 / 0", { prelude: "C = 7\nD = 'data'" });
      expect(result.error).toMatchObject({ type: "ZeroDivisionError", line: 2 });
      expect((await run("C * 6", { prelude: "C = 7" })).value).toBe(42);
    });

    it("runs the epilogue after the user code, even when it failed", async () => {
      const ok = await run("x = 41", { epilogue: "print('epilogue saw', x + 1)" });
      expect(ok).toMatchObject({ value: null, logs: "epilogue saw 42\n" });
      const failed = await run("raise ValueError('boom')", { epilogue: "print('epilogue ran')" });
      expect(failed.error).toMatchObject({ type: "ValueError", message: "boom" });
      expect(failed.logs).toBe("epilogue ran\n");
    });

    it("skips the epilogue when the user code never started (a syntax error, a failed prelude)", async () => {
      const options = { prelude: "import json as helper", epilogue: "print('epilogue', helper.dumps(1))" };
      const syntax = await run("x = (", options);
      expect(syntax.error).toMatchObject({ type: "SyntaxError", line: 1 });
      expect(syntax.logs ?? "").toBe("");
      const prelude = await run("1", {
        prelude: "import no_such_module_here",
        epilogue: "print('epilogue')",
      });
      expect(prelude.error?.message).toMatch(/prelude failed/);
      expect(prelude.logs ?? "").toBe("");
      expect(await run("2", options)).toMatchObject({ value: 2, logs: "epilogue 1\n" });
    });

    it("reports a failing epilogue in the logs, not as the run's error", async () => {
      const result = await run("40 + 2", { epilogue: "undo_push_that_does_not_exist()" });
      expect(result.error).toBeUndefined();
      expect(result.value).toBe(42);
      expect(result.logs).toContain("epilogue failed: NameError");
    });

    it("reports a failing prelude as the error, before user code runs", async () => {
      const result = await run("print('user code ran')", { prelude: "import module_that_does_not_exist" });
      expect(result.error?.message).toContain("prelude failed");
      expect(result.error?.type).toBe("ModuleNotFoundError");
      expect(result.logs).toBeUndefined();
    });

    it("binds params as data", async () => {
      const params = { count: 3, names: ["a", "b"], nested: { ok: true, none: null } };
      expect((await run("params", { params })).value).toEqual(params);
      expect((await run("params['names'][1] * params['count']", { params })).value).toBe("bbb");
      expect((await run("params")).value).toBeNull();
    });

    it("keeps a hostile param a plain string", async () => {
      const hostile = `"""'''\\"; import os; os._exit(1) #\n__scriptwright_output__ = "pwned" ${"\\u0000"} \u2028 ") + (`;
      const result = await run("params", { params: hostile });
      expect(result.error).toBeUndefined();
      expect(result.value).toBe(hostile);
      const inList = await run("type(params[0]).__name__, params[0] == params[1]", {
        params: [hostile, hostile],
      });
      expect(inList.value).toEqual(["str", true]);
    });

    it("refuses params that are not JSON", () => {
      expect(() => pythonKit.wrap("1", { params: 10n })).toThrow(/JSON/);
      expect(() => pythonKit.wrap("1", { params: () => 1 })).toThrow(/JSON/);
    });
  });

  describe("logs", () => {
    it("captures stdout and stderr interleaved in order", async () => {
      const code =
        "import sys\nprint('one')\nprint('two', file=sys.stderr)\nsys.stdout.write('three\\n')\nsys.stderr.write('four\\n')";
      const result = await run(code);
      expect(result.logs).toBe("one\ntwo\nthree\nfour\n");
    });

    it("omits logs when nothing was printed", async () => {
      expect((await run("1")).logs).toBeUndefined();
    });

    // What a run keeps of what it printed, in bytes allocated since `code` started and still held
    // once it is done (bench (i) times the capture).
    const keptAfter = (code: string) =>
      [
        "import tracemalloc",
        "tracemalloc.start()",
        code,
        "kept = tracemalloc.get_traced_memory()[0]",
        "tracemalloc.stop()",
        "kept",
      ].join("\n");

    it("caps 20 MB of output without keeping it and says how much was dropped", async () => {
      const result = await run(keptAfter("print('x' * 20_000_000)"));
      expect(result.logs!.startsWith("x".repeat(65_536))).toBe(true);
      expect(result.logs!.length).toBeLessThan(65_536 + 200);
      expect(result.logs).toContain(`${20_000_001 - 65_536} more characters of output were dropped`);
      expect(result.value).toBeLessThan(1_000_000);
    });

    it("counts many small writes past the cap without storing them", async () => {
      const result = await run(keptAfter("for i in range(200_000):\n    print('y' * 99)"), {
        maxLogChars: 1000,
      });
      expect(result.logs!.slice(0, 1000)).toBe(`${"y".repeat(99)}\n`.repeat(11).slice(0, 1000));
      expect(result.logs).toContain(`${200_000 * 100 - 1000} more characters of output were dropped`);
      expect(result.value).toBeLessThan(1_000_000);
    });

    it("keeps what was printed before an error", async () => {
      const result = await run("print('before')\n1/0\nprint('after')");
      expect(result.logs).toBe("before\n");
      expect(result.error?.type).toBe("ZeroDivisionError");
    });
  });

  describe("errors", () => {
    it("reports the user's line, column and a traceback of user frames only", async () => {
      const code = ["import json", "def parse(text):", "    return json.loads(text)", "", "parse('{')"].join(
        "\n",
      );
      const result = await run(code);
      expect(result.value).toBeUndefined();
      expect(result.error).toMatchObject({ type: "JSONDecodeError", line: 3 });
      expect(result.error!.column).toBe(hasColumns ? 12 : undefined);
      expect(result.error!.message).toContain("Expecting property name");
      const stack = result.error!.stack!;
      expect(stack).toContain('File "<script>", line 5, in <module>');
      expect(stack).toContain('File "<script>", line 3, in parse');
      expect(stack).toContain("return json.loads(text)");
      expect(stack).not.toMatch(
        /scriptwright-runtime|scriptwright_runtime|<scriptwright>|json[/\\]decoder\.py/,
      );
    });

    it("reports syntax errors with line and 1-based column before anything runs", async () => {
      const result = await run("print('must not run')\nx = 1\ny = (1,\n");
      expect(result.error).toMatchObject({ type: "SyntaxError", line: 3, column: 5 });
      expect(result.error!.message).toContain("never closed");
      expect(result.logs).toBeUndefined();
      const indentation = await run("if True:\nprint(1)");
      expect(indentation.error).toMatchObject({ type: "SyntaxError", line: 2, column: 1 });
    });

    it("catches sys.exit instead of letting it end the host", async () => {
      expect((await run("import sys\nsys.exit(3)")).error).toMatchObject({
        type: "SystemExit",
        message: "script called sys.exit(3)",
        line: 2,
      });
      expect((await run("raise SystemExit")).error?.message).toBe("script called sys.exit()");
      expect((await run("1 + 1")).value).toBe(2);
    });

    it("reports a KeyboardInterrupt in the main thread as a cancelled run", async () => {
      const code = [
        "import _thread, threading, time",
        "threading.Timer(0.05, _thread.interrupt_main).start()",
        "while True:",
        "    time.sleep(0.01)",
      ].join("\n");
      const result = await run(code);
      expect(result.error).toMatchObject({ type: "KeyboardInterrupt", message: "run was cancelled" });
      expect(result.error!.line).toBeGreaterThanOrEqual(3);
      expect((await run("'still alive'")).value).toBe("still alive");
    });
  });

  describe("awkward values", () => {
    it("marks cycles", async () => {
      const result = await run("a = [1]\na.append(a)\nd = {'self': None}\nd['self'] = d\n[a, d]");
      expect(result.value).toEqual([[1, { $cycle: "list" }], { self: { $cycle: "dict" } }]);
    });

    it("repeats a shared (non-cyclic) object instead of calling it a cycle", async () => {
      expect((await run("x = [1]\n[x, x]")).value).toEqual([[1], [1]]);
    });

    it("bounds the depth", async () => {
      const result = await run("v = 'leaf'\nfor _ in range(20):\n    v = [v]\nv");
      let node = result.value;
      let depth = 0;
      while (Array.isArray(node)) {
        node = node[0];
        depth++;
      }
      expect(depth).toBe(8);
      expect(node).toEqual({ $truncated: "depth", $type: "list" });
    });

    it("caps big containers and says how many items were dropped", async () => {
      const list = (await run("list(range(5000))")).value as unknown[];
      expect(list).toHaveLength(1001);
      expect(list[999]).toBe(999);
      expect(list[1000]).toEqual({ $more: 4000 });
      const dict = (await run("{i: i for i in range(1500)}")).value as Record<string, unknown>;
      expect(Object.keys(dict)).toHaveLength(1001);
      expect(dict.$more).toBe(500);
      expect(dict["7"]).toBe(7);
    });

    it("keeps more items when a run asks for them (introspection listings)", async () => {
      const list = (await run("list(range(5000))", { maxItems: 10_000 })).value as unknown[];
      expect(list).toHaveLength(5000);
      expect(list.at(-1)).toBe(4999);
    });

    it("caps the total size of a huge value", async () => {
      const one = await run("'z' * 3_000_000");
      expect(one.value).toMatchObject({ $truncated: "size", length: 3_000_000 });
      expect((one.value as { head: string }).head.length).toBeLessThanOrEqual(1_000_000);
      const many = await run("['w' * 50_000 for _ in range(100)]");
      const items = many.value as unknown[];
      expect(JSON.stringify(items).length).toBeLessThan(1_100_000);
      expect(items.at(-1)).toMatchObject({ $more: expect.any(Number) });
      const small = await run("'q' * 500", { maxValueChars: 100 });
      expect(small.value).toMatchObject({ $truncated: "size", length: 500 });
    });

    it("turns values JSON cannot hold into readable markers", async () => {
      const code = [
        "import math",
        "def fn(): pass",
        "class Thing:",
        "    def __repr__(self): return 'Thing()'",
        "gen = (i for i in range(3))",
        "[math.nan, math.inf, -math.inf, 2**80, b'\\x00ab', {3}, {1: 'one', None: 'none', (1, 2): 't'}, Thing(), fn, {'k': 1}.items(), gen]",
      ].join("\n");
      const [nan, inf, negInf, big, bytes, set, keys, thing, fn, items, gen] = (await run(code))
        .value as unknown[];
      expect([nan, inf, negInf]).toEqual([{ $float: "nan" }, { $float: "inf" }, { $float: "-inf" }]);
      expect(big).toEqual({ $int: (2n ** 80n).toString() });
      expect(bytes).toEqual({ $type: "bytes", length: 3, $repr: "b'\\x00ab'" });
      expect(set).toEqual([3]);
      expect(keys).toEqual({ "1": "one", null: "none", "(1, 2)": "t" });
      expect(thing).toEqual({ $repr: "Thing()", $type: "Thing" });
      expect(fn).toMatchObject({ $type: "function" });
      expect((fn as { $repr: string }).$repr).toContain("function fn");
      expect(items).toEqual([["k", 1]]);
      expect(gen).toMatchObject({ $type: "generator" });
    });

    it("reports objects whose conversion raises instead of failing silently", async () => {
      const code = [
        "class BadRepr:",
        "    def __repr__(self): raise RuntimeError('no repr')",
        "class BadSequence:",
        "    def __len__(self): return 3",
        "    def __getitem__(self, i): raise IndexError('broken sequence')",
        "[BadRepr(), BadSequence()]",
      ].join("\n");
      const result = await run(code);
      expect(result.error).toBeUndefined();
      const [badRepr, badSequence] = result.value as { $repr?: string; $error?: string }[];
      expect(badRepr!.$repr).toBe("<repr() raised RuntimeError: no repr>");
      expect(badSequence).toEqual({
        $type: "BadSequence",
        $error: "could not serialise: IndexError: broken sequence",
      });
    });

    it("turns Blender-like objects into references and mathutils-like ones into lists", async () => {
      const code = [
        "class RNA:",
        "    def __init__(self, identifier): self.identifier = identifier",
        "class Object:",
        "    bl_rna = RNA('Object')",
        "    name = 'Cube'",
        "class KeyMapItem:",
        "    bl_rna = RNA('KeyMapItem')",
        "    identifier = 'view3d.select'",
        "class MeshVertex:",
        "    bl_rna = RNA('MeshVertex')",
        "    def __repr__(self): return \"bpy.data.meshes['Cube'].vertices[0]\"",
        "class Vector:",
        "    def __init__(self, *v): self.v = v",
        "    def __len__(self): return len(self.v)",
        "    def __getitem__(self, i): return self.v[i]",
        "class Matrix(Vector): pass",
        "class Color:",
        "    def to_tuple(self): return (1.0, 0.5, 0.0)",
        "[Object(), KeyMapItem(), MeshVertex(), Vector(1.0, 2.0, 3.0), Matrix(Vector(1, 0), Vector(0, 1)), Color()]",
      ].join("\n");
      expect((await run(code)).value).toEqual([
        { $ref: "Object", name: "Cube" },
        { $ref: "KeyMapItem", identifier: "view3d.select" },
        { $ref: "MeshVertex", $repr: "bpy.data.meshes['Cube'].vertices[0]" },
        [1, 2, 3],
        [
          [1, 0],
          [0, 1],
        ],
        [1, 0.5, 0],
      ]);
    });
  });

  describe("the runtime", () => {
    it("is compiled once per Python process", async () => {
      const fresh = new PythonPanel(python.path!);
      try {
        const first = await runOn(fresh, "1");
        expect(first.reply.runtimeCompiles).toBe(1);
        const later = await runOn(
          fresh,
          "import sys\nsorted(k for k in sys.modules if k.startswith('scriptwright_runtime'))",
        );
        await runOn(fresh, "raise ValueError");
        const last = await runOn(fresh, "2");
        expect(last.reply.runtimeCompiles).toBe(1);
        expect(later.value).toEqual([pythonRuntimeModule()]);
      } finally {
        fresh.close();
      }
    });

    it("names its module in the failure when a run finds no setup, so the bridge can run setup again", async () => {
      const fresh = new PythonPanel(python.path!);
      try {
        const reply = await fresh.exec(pythonKit.wrap("1").code);
        expect(reply.failure).toContain(pythonKit.setup!.key);
        expect(reply.runtimeCompiles).toBe(0);
      } finally {
        fresh.close();
      }
    });
  });
});
