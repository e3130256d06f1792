// The UXP JavaScript kit in Node: wrapped code is run exactly as the Premiere plugin runs it,
//   const output = await (new Function(code))();
// then unwrapped. Node and UXP both run V8, so line mapping is exercised on the same engine
// family (the runtime still measures the engine's header itself rather than trusting that).
import { describe, expect, it } from "vitest";
import type { Unwrapped, WrapOptions } from "../adapters/types.js";
import {
  returnFinalExpression,
  uxpKit,
  V8_FUNCTION_HEADER_LINES,
  wrapUxp,
} from "../adapters/uxp-js/index.js";

/** The plugin's contract, verbatim. */
async function panelRun(code: string): Promise<unknown> {
  return await new Function(code)();
}

async function run(code: string, options?: WrapOptions): Promise<Unwrapped> {
  const wrapped = uxpKit.wrap(code, options);
  const output = await panelRun(wrapped.code);
  expect(typeof output).toBe("string");
  return uxpKit.unwrap(output as string, wrapped);
}

describe("uxp-js preflight", () => {
  it("accepts modern JavaScript with top-level await and return", () => {
    const code = [
      'const ppro = require("premierepro");',
      "const project = await ppro.Project.getActiveProject();",
      "const names = (await project?.getSequences?.())?.map((s) => s.name) ?? [];",
      "if (names.length === 0) return null;",
      "class A { #x = 1; static y = 2n; get x() { return this.#x; } }",
      "names",
    ].join("\n");
    expect(uxpKit.preflight(code)).toEqual([]);
  });

  it("reports syntax errors with 1-based line and column", () => {
    const issues = uxpKit.preflight("const a = 1;\nconst b = ;\n");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 2, column: 11 });
    expect(issues[0]!.message).toMatch(/Unexpected token/);
    expect(issues[0]!.message).not.toMatch(/\(\d+:\d+\)$/);
  });

  it("explains that scripts are not modules", () => {
    const [issue] = uxpKit.preflight('import ppro from "premierepro";\nppro');
    expect(issue).toMatchObject({ line: 1, column: 1 });
    expect(issue!.hint).toMatch(/require\("premierepro"\)/);
  });
});

describe("uxp-js wrapper (run as the plugin runs it)", () => {
  it("measures V8's new Function header: the body starts on line 3", () => {
    const error = new Function("\nreturn new Error('probe')")() as Error;
    const line = Number(/<anonymous>:(\d+):\d+/.exec(error.stack ?? "")?.[1]);
    expect(line - 2).toBe(V8_FUNCTION_HEADER_LINES);
  });

  it("returns the value of the final expression, with top-level await", async () => {
    expect(await run("const x = await Promise.resolve(20);\nx + 22")).toEqual({ value: 42 });
    expect(await run("const a = [1, 2, 3];\na.map((n) => n * 2);\n// trailing comment\n;")).toEqual({
      value: [2, 4, 6],
    });
    expect(await run("({ a: 1, b: 'two' })")).toEqual({ value: { a: 1, b: "two" } });
    expect(await run("return 7;\n")).toEqual({ value: 7 });
    expect(await run("const x = 1;")).toEqual({ value: null });
    expect(await run("")).toEqual({ value: null });
    expect(await run('"use strict";\nconst t = typeof this;\nt')).toEqual({ value: "undefined" });
  });

  it("rewrites only the last statement, keeping every line in place", () => {
    const code = "f();\nconst y = 2;\ny +\n  1 // note";
    expect(returnFinalExpression(code)).toBe("f();\nconst y = 2;\nreturn (y +\n  1); // note");
    expect(returnFinalExpression("let a = 1;")).toBe("let a = 1;");
    expect(returnFinalExpression("if (x) {}\n")).toBe("if (x) {}\n");
  });

  it("keeps the user's names apart from the wrapper's", async () => {
    expect(await run("const log = 5;\nconst params = 6;\nconst __sw = 1;\nlog + params + __sw")).toEqual({
      value: 12,
    });
  });

  it("captures log() and console.*, then restores the console", async () => {
    const before = { log: console.log, warn: console.warn, error: console.error };
    const result = await run(
      "log('hello', 1, { a: [1] });\nconsole.log('via console');\nconsole.warn('careful');\n3",
    );
    expect(result).toEqual({ value: 3, logs: 'hello 1 {"a":[1]}\nvia console\n[warn] careful\n' });
    expect(console.log).toBe(before.log);
    expect(console.warn).toBe(before.warn);
    expect(console.error).toBe(before.error);
    // Restored after a failing run too.
    const failed = await run("console.log('before');\nthrow new Error('x')");
    expect(failed.logs).toBe("before\n");
    expect(console.log).toBe(before.log);
  });

  it("caps logs", async () => {
    const result = await run("for (let i = 0; i < 100; i++) log('0123456789');\n1", { maxLogChars: 50 });
    expect(result.logs).toMatch(
      /^(0123456789\n){4}012345\n\[\.\.\. 1050 more characters of logs dropped\]\n$/,
    );
  });

  it("maps a throw on user line 3 to line 3, with the stack in user lines", async () => {
    const result = await run("const a = 1;\nconst b = 2;\nthrow new Error('boom');\n");
    expect(result.error).toMatchObject({ message: "boom", type: "Error", line: 3, column: 7 });
    expect(result.error!.stack).toMatch(/<script>:3:7/);
    expect(result.error!.stack).not.toMatch(/<anonymous>:\d+/);
  });

  it("maps errors inside functions and after awaits, and with a prelude", async () => {
    const code = ["function inner(x) {", "  return x.missing.field;", "}", "await null;", "inner({});"].join(
      "\n",
    );
    for (const options of [{}, { prelude: "const preluded = 1;\nconst more = 2;" }]) {
      const result = await run(code, options);
      expect(result.error).toMatchObject({ type: "TypeError", line: 2, column: 20 });
      expect(result.error!.stack).toMatch(/<script>:2:20[\s\S]*<script>:5:/);
    }
  });

  it("reports thrown non-errors and rejected promises", async () => {
    expect((await run("throw 'plain';")).error).toMatchObject({ message: "plain", type: "string" });
    const rejected = await run("await Promise.reject(new RangeError('nope'));");
    expect(rejected.error).toMatchObject({ message: "nope", type: "RangeError", line: 1 });
  });

  it("binds params as data and runs prelude and epilogue around the code", async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source the panel runs.
    const result = await run("const name = params.name;\n`${greeting}, ${name}`", {
      params: { name: "Seq 1" },
      prelude: 'const greeting = "hi";',
      epilogue: 'log("epilogue saw", greeting);',
    });
    expect(result).toEqual({ value: "hi, Seq 1", logs: "epilogue saw hi\n" });
    const failing = await run("throw new Error('first')", { epilogue: "throw new Error('second')" });
    expect(failing.error).toMatchObject({ message: "first", line: 1 });
    expect(failing.logs).toMatch(/the epilogue failed: Error: second/);
  });

  it("serialises Premiere objects as references, cycles, depth and odd values", async () => {
    const code = [
      'class Sequence { name = "Seq 1"; guid = { toString: () => "abc-123" } }',
      "class ProjectItem { constructor() { this.name = 'clip.mov'; } }",
      "class TickTime { ticks = '254016000000' }",
      "class Opaque {}",
      "const loop = { label: 'loop' };",
      "loop.self = loop;",
      "let deep = {};",
      "const root = deep;",
      "for (let i = 0; i < 20; i++) { deep.next = {}; deep = deep.next; }",
      "const shared = [1];",
      "({",
      "  seq: new Sequence(), item: new ProjectItem(), time: new TickTime(), opaque: new Opaque(),",
      "  loop, root, pair: [shared, shared], nan: NaN, inf: -Infinity, big: 2n ** 70n, small: 5n,",
      "  undef: undefined, fn: function named() {}, date: new Date(0), map: new Map([['k', 1]]),",
      "  set: new Set([1, 2]), promise: Promise.resolve(1), error: new TypeError('bad'), sym: Symbol('s'),",
      "})",
    ].join("\n");
    const result = await run(code);
    expect(result.error).toBeUndefined();
    const value = result.value as Record<string, unknown>;
    expect(value.seq).toEqual({ $ref: "Sequence", name: "Seq 1", guid: "abc-123" });
    expect(value.item).toEqual({ $ref: "ProjectItem", name: "clip.mov" });
    expect(value.time).toEqual({ $type: "TickTime", ticks: "254016000000" });
    expect(value.opaque).toEqual({ $ref: "Opaque" });
    expect(value.loop).toEqual({ label: "loop", self: { $cycle: "Object" } });
    expect(value.pair).toEqual([[1], [1]]); // shared, not cyclic
    expect(JSON.stringify(value.root)).toMatch(/\{"\$truncated":"depth","\$type":"Object"\}/);
    expect(value).toMatchObject({
      nan: { $float: "nan" },
      inf: { $float: "-inf" },
      big: { $int: (2n ** 70n).toString() },
      small: 5,
      undef: null,
      fn: { $type: "function", $repr: "function named" },
      date: "1970-01-01T00:00:00.000Z",
      map: { k: 1 },
      set: [1, 2],
      promise: { $type: "Promise" },
      error: { $type: "TypeError", message: "bad" },
      sym: { $type: "symbol", $repr: "Symbol(s)" },
    });
  });

  it("caps items and characters", async () => {
    const items = await run("Array.from({ length: 10 }, (_, i) => i)", { maxItems: 3 });
    expect(items.value).toEqual([0, 1, 2, { $more: 7 }]);
    const chars = await run("'x'.repeat(100)", { maxValueChars: 10 });
    expect(chars.value).toMatchObject({ $truncated: "size", length: 100 });
  });

  it("says where the user's code starts in the wrapped code", () => {
    const wrapped = wrapUxp("1");
    expect(wrapped.code.split("\n")[wrapped.lineOffset]).toBe("return (1);");
  });
});

describe("uxp-js unwrap", () => {
  const wrapped = wrapUxp("1");

  it("explains garbage instead of passing it off as a value", () => {
    for (const [output, pattern] of [
      ["", /empty result/],
      ["   ", /empty result/],
      ["undefined", /returned undefined/],
      ["null", /returned null/],
      ["[object Promise]", /not JSON/],
      ["42", /not a Scriptwright result envelope/],
      ['{"ok":true,"value":1}', /not a Scriptwright result envelope/],
      ['{"$scriptwright":2,"ok":true,"value":1}', /version 2/],
      ['{"$scriptwright":1,"ok":true}', /no value/],
      ['{"$scriptwright":1,"value":1}', /no boolean 'ok'/],
    ] as const) {
      const result = uxpKit.unwrap(output, wrapped);
      expect(result.value, output).toBeUndefined();
      expect(result.error?.message, output).toMatch(pattern);
    }
  });

  it("reads errors and drops nonsense positions", () => {
    const result = uxpKit.unwrap(
      JSON.stringify({
        $scriptwright: 1,
        ok: false,
        error: { message: "m", type: "Error", line: 0, column: 3 },
      }),
      wrapped,
    );
    expect(result.error).toEqual({ message: "m", type: "Error" });
  });
});

describe("uxp-js risk", () => {
  const kinds = (code: string) => uxpKit.risk(code).map((flag) => `${flag.kind}@${flag.line}`);

  it("flags file deletes and overwrites through uxp storage and fs", () => {
    const code = [
      'const { storage } = require("uxp");',
      "const fs = storage.localFileSystem;",
      "const folder = await fs.getDataFolder();",
      'const file = await folder.createFile("out.txt", { overwrite: true });',
      'await file.write("data");',
      "await file.delete();",
      'await folder.createFile("new.txt");',
      'const nodeFs = require("fs");',
      'nodeFs.unlinkSync("/tmp/x");',
      'await nodeFs.writeFile("/tmp/y", "z");',
    ].join("\n");
    expect(kinds(code)).toEqual([
      "file-overwrite@4",
      "file-overwrite@5",
      "file-delete@6",
      "file-delete@9",
      "file-overwrite@10",
    ]);
  });

  it("leaves Map.delete and writes alone when no file API is loaded", () => {
    expect(kinds("const m = new Map();\nm.delete('k');\nstream.write('x');\nitem.delete()")).toEqual([]);
  });

  it("flags processes, network and dynamic code", () => {
    const code = [
      'const cp = require("child_process");',
      'const res = await fetch("https://example.com");',
      'const socket = new WebSocket("ws://x");',
      "const xhr = new XMLHttpRequest();",
      "eval('1 + 1');",
      "const f = new Function('return 1');",
      "process.exit(0);",
      'require("uxp").shell.openExternal("https://example.com");',
      "window.fetch('x');",
    ].join("\n");
    expect(kinds(code)).toEqual([
      "process@1",
      "network@2",
      "network@3",
      "network@4",
      "dynamic-code@5",
      "dynamic-code@6",
      "app-quit@7",
      "process@8",
      "network@9",
    ]);
    for (const flag of uxpKit.risk(code)) expect(flag.reason).not.toBe("");
  });

  it("never flags strings, comments or property names", () => {
    const code = [
      "// fetch('x'); eval('y'); require('child_process'); app.quit()",
      "/* new Function('z') */",
      "const s = \"fetch(url) eval(x) require('child_process') file.delete()\";",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test.
      "const t = `app.quit() ${'new WebSocket()'}`;",
      "const o = { fetch: 1, eval: 2, quit: 3 };",
      "o.fetch + o.eval;",
      "class C { fetch() {} }",
    ].join("\n");
    expect(uxpKit.risk(code)).toEqual([]);
  });

  it("fails closed on members, modules and code chosen at run time", () => {
    const code = [
      'const f = await folder.getEntry("a.txt"); f["del" + "ete"]();', // 1
      "obj[name]();", // 2
      "globalThis[name];", // 3
      "require(moduleName);", // 4
      "await import(url);", // 5
      'setTimeout("doIt()", 10);', // 6
      "setTimeout(code, 10);", // 7: a variable that may hold text
      "setTimeout(() => tick(), 10);", // 8: a function
      "Reflect.apply(fn, null, []);", // 9
      "const E = globalThis.eval; E(src);", // 10
      "list[i].name;", // 11: an index read is not a call
    ].join("\n");
    expect(kinds(code)).toEqual([
      "dynamic-code@1",
      "dynamic-code@2",
      "dynamic-code@3",
      "dynamic-code@4",
      "dynamic-code@5",
      "dynamic-code@6",
      "dynamic-code@7",
      "dynamic-code@9",
      "dynamic-code@10",
    ]);
  });

  it("follows variables and require() to the module a name comes from", () => {
    const code = [
      'const { shell: sh } = require("uxp");',
      'sh.openPath("/tmp/x");',
      'const m = require("child_process");',
      'const { exec } = await import("node:child_process");',
    ];
    expect(kinds(code.join("\n"))).toEqual(["process@2", "process@3", "process@4"]);
  });

  it("returns nothing for code that does not parse (preflight rejects it)", () => {
    expect(uxpKit.risk("fetch(")).toEqual([]);
  });
});

describe("uxp-js edit helper (against a simulated Premiere Project, not Premiere)", () => {
  /** A stand-in shaped like Premiere's Project: it records the order edits reach it in. */
  function simulatedProject(applies = true) {
    const calls: string[] = [];
    let locked = false;
    const project = {
      calls,
      lockedAccess(callback: () => void) {
        calls.push("lock");
        locked = true;
        try {
          callback();
        } finally {
          locked = false;
          calls.push("unlock");
        }
      },
      executeTransaction(callback: (compound: unknown) => void, undoName?: string) {
        calls.push(`transaction ${undoName} ${locked ? "under lock" : "WITHOUT LOCK"}`);
        const compound = { addAction: (action: string) => calls.push(`add ${action}`) };
        callback(compound);
        return applies;
      },
      createSetNameAction(name: string) {
        calls.push(`create ${locked ? "under lock" : "WITHOUT LOCK"}`);
        return `rename to ${name}`;
      },
    };
    (globalThis as Record<string, unknown>).__simulatedProject = project;
    return project;
  }

  it("runs the actions in executeTransaction inside lockedAccess, as one named undo step", async () => {
    const project = simulatedProject();
    const result = await run(
      [
        "const project = globalThis.__simulatedProject;",
        'edit(project, (ca) => { ca.addAction(project.createSetNameAction("B")) }, "Rename");',
      ].join("\n"),
    );
    expect(result.error).toBeUndefined();
    expect(result.value).toBe(true);
    expect(project.calls).toEqual([
      "lock",
      "transaction Rename under lock",
      "create under lock",
      "add rename to B",
      "unlock",
    ]);
  });

  it("an error in the actions comes back with the user's line, and nothing after it runs", async () => {
    simulatedProject();
    const result = await run(
      [
        "const project = globalThis.__simulatedProject;",
        "edit(project, () => {",
        '  throw new Error("no such clip");',
        "});",
        "'after'",
      ].join("\n"),
    );
    expect(result.error).toMatchObject({ message: "no such clip", line: 3 });
  });

  it("refuses an async build function, a non-project and an edit Premiere did not apply, saying why", async () => {
    simulatedProject();
    const asyncBuild = await run(
      "const project = globalThis.__simulatedProject;\nedit(project, async (ca) => { ca.addAction('x') })",
    );
    expect(asyncBuild.error?.message).toMatch(/must be synchronous: await what it needs before edit\(\)/);
    const notProject = await run("edit({}, () => {})");
    expect(notProject.error).toMatchObject({ type: "TypeError", line: 1 });
    expect(notProject.error?.message).toMatch(/project must be a Premiere Project/);
    simulatedProject(false);
    const refused = await run("edit(globalThis.__simulatedProject, (ca) => { ca.addAction('x') })");
    expect(refused.error?.message).toMatch(/Premiere did not apply the edit/);
  });

  it("is in the kit's prompt notes, and a user's own `edit` name still wins", async () => {
    expect(uxpKit.promptNotes).toMatch(/edit\(project, \(ca\) =>/);
    expect((await run("const edit = 5;\nedit * 2")).value).toBe(10);
  });
});
