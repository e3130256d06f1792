// The ExtendScript kit with real engines: acorn for preflight and risk, node:vm (with JSON,
// Object.keys and the ES5 array methods deleted) standing in for the ES3 host.
import { readFileSync } from "node:fs";
import { createContext, runInContext } from "node:vm";
import { Parser } from "acorn";
import { describe, expect, it } from "vitest";
import { ENVELOPE_TAG, extendscriptKit as kit, RUNTIME_PATH } from "../adapters/extendscript/kit/index.js";
import type { WrapOptions } from "../adapters/types.js";

interface Host {
  calls: string[];
  output: string;
  writes: string[];
}

/** Runs wrapped code in a fresh context shaped like an ES3 ExtendScript host. */
function runWrapped(code: string, options?: WrapOptions): Host & ReturnType<typeof kit.unwrap> {
  const calls: string[] = [];
  const writes: string[] = [];
  const context = createContext({
    app: {
      beginUndoGroup: (name: string) => calls.push(`beginUndoGroup:${name}`),
      endUndoGroup: () => calls.push("endUndoGroup"),
      beginSuppressDialogs: () => calls.push("beginSuppressDialogs"),
      endSuppressDialogs: (alert: boolean) => calls.push(`endSuppressDialogs:${alert}`),
    },
    $: { writeln: (...args: unknown[]) => writes.push(args.join("")) },
  });
  runInContext(
    [
      "delete JSON;",
      "delete Object.keys; delete Object.create; delete Object.defineProperty; delete Array.isArray;",
      "delete Array.prototype.map; delete Array.prototype.filter; delete Array.prototype.forEach;",
      "delete Array.prototype.indexOf; delete String.prototype.trim; delete Function.prototype.bind;",
    ].join("\n"),
    context,
  );
  expect(runInContext("typeof JSON + typeof Object.keys + typeof [].map", context)).toBe(
    "undefinedundefinedundefined",
  );
  const wrapped = kit.wrap(code, options);
  const output = runInContext(wrapped.code, context) as string;
  expect(typeof output).toBe("string");
  return { calls, output, writes, ...kit.unwrap(output, wrapped) };
}

describe("extendscript preflight", () => {
  it("accepts valid ES3, with preprocessor lines and a top-level return", () => {
    const corpus = [
      "#target aftereffects\n#targetengine main\nvar comp = app.project.activeItem;\ncomp.name",
      '#include "lib.jsx"\n#includepath "~/scripts"\n#strict on\nvar a = 1;\na',
      "function add(a, b) { return a + b; }\nvar total = add(1, 2);\nreturn total;",
      "var o = { a: 1, b: 2 };\nvar keys = [];\nfor (var k in o) { if (o.hasOwnProperty(k)) keys.push(k); }\nkeys",
      "var list = [1, 2, 3];\nfor (var i = 0; i < list.length; i++) { list[i] = list[i] * 2; }\nlist",
      "try { throw new Error('x'); } catch (e) { $.writeln(e.message); } finally { }",
      "var re = /a+b/gi;\nvar f = function named(x) { return x; };\nswitch (f(1)) { case 1: break; default: }",
      "do { var n = Math.pow(2, 3); } while (false);\nvar s = 'a' + \"b\";\nn === 8 ? s : null",
      "var arr = [1, 2, 3].map(function (x) { return x; });\nvar keys = Object.keys({});\nJSON.stringify(arr)",
      "",
    ];
    for (const code of corpus) expect(kit.preflight(code), code).toEqual([]);
  });

  it("reports each modern construct at its line and column, with the ES3 way", () => {
    const cases: [string, number, number, RegExp, RegExp][] = [
      ["var a = 1;\nlet b = 2;", 2, 1, /let/, /var/],
      ["var a = 1;\n  const b = 2;", 2, 3, /const/, /var/],
      ["var f = (x) => x * 2;", 1, 9, /arrow/, /function/],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ExtendScript source under test
      ["var s = `comp ${1}`;", 1, 9, /template/, /concatenate/],
      ["var { a, b } = obj;", 1, 5, /destructuring/, /variable/],
      ["var x;\n[a, b] = [b, a];", 2, 1, /destructuring/, /variable/],
      ["class A {}", 1, 1, /classes/, /prototype/],
      ["f(...args);", 1, 3, /spread/, /apply/],
      ["function f(a, ...rest) {}", 1, 15, /rest/, /arguments/],
      ["function f(a = 1) {}", 1, 12, /default/, /undefined/],
      ["for (var x of list) {}", 1, 1, /for…of/, /for \(var i/],
      ["async function f() { await g(); }", 1, 1, /async/, /synchronous/],
      ["var n = a?.b;", 1, 9, /optional chaining/, /a && a\.b/],
      ["var p = 2 ** 8;", 1, 9, /\*\*/, /Math\.pow/],
      ["var v = a ?? b;", 1, 9, /\?\?/, /undefined/],
      ["a ||= 1;", 1, 1, /logical assignment/, /a = a \|\| b/],
      ["var o = { get x() { return 1; } };", 1, 11, /getters/, /method/],
      ["var o = { x };", 1, 11, /shorthand/, /x: x|name: name/],
      ["var o = { run() {} };", 1, 11, /method shorthand/, /function/],
      ["var o = { [k]: 1 };", 1, 11, /computed/, /obj\[key\]/],
      ["var o = { a: 1, };", 1, 9, /trailing comma/, /remove/],
      ["f(1, 2,);", 1, 1, /trailing comma/, /remove/],
      ["var big = 10n;", 1, 11, /BigInt/, /Number/],
      ["var b = 0b101;", 1, 9, /binary/, /decimal/],
      ["function* g() {}", 1, 1, /generator/, /array/],
    ];
    for (const [code, line, column, message, hint] of cases) {
      const issues = kit.preflight(code);
      expect(issues.length, code).toBeGreaterThanOrEqual(1);
      const issue = issues[0]!;
      expect(issue, code).toMatchObject({ line, column });
      expect(issue.message, code).toMatch(message);
      expect(issue.message, code).toMatch(/ES3/);
      expect(issue.hint, code).toMatch(hint);
    }
  });

  it("reports every violation in one script, in order", () => {
    const code = [
      "#target aftereffects",
      "let comps = [];",
      "var names = comps.map((c) => c.name);",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ExtendScript source under test
      "var label = `count: ${names.length}`;",
      "for (const n of names) { log(n); }",
      "var { a } = { a: 1 };",
      "label",
    ].join("\n");
    const issues = kit.preflight(code);
    expect(issues.map((i) => [i.line, i.column, i.message.replace(/.*support /, "")])).toEqual([
      [2, 1, "`let`/`const` declarations"],
      [3, 23, "arrow functions"],
      [4, 13, "template literals"],
      [5, 1, "`for…of` loops"],
      [5, 6, "`let`/`const` declarations"],
      [6, 5, "destructuring"],
    ]);
  });

  it("reports syntax errors and ES3-only errors with positions", () => {
    expect(kit.preflight("var a = 1;\nvar b = (;")).toEqual([
      expect.objectContaining({
        line: 2,
        column: 10,
        message: expect.stringMatching(/^syntax error: Unexpected token/),
      }),
    ]);
    const reserved = kit.preflight("var o = {};\no.default = 1;");
    expect(reserved).toHaveLength(1);
    expect(reserved[0]).toMatchObject({ line: 2, column: 3 });
    expect(reserved[0]!.message).toMatch(/reserved words as property names/);
    expect(reserved[0]!.hint).toMatch(/"default"/);
    // What the walk does not know, the ES3 parse still reports (its first error).
    const es3 = kit.preflight('var a = 1;\nvar x = "\\u{61}";');
    expect(es3).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringMatching(/not valid ES3/) }),
    ]);
  });

  it("the runtime and the wrapped code are ES3 themselves", () => {
    expect(kit.preflight(readFileSync(RUNTIME_PATH, "utf8"))).toEqual([]);
    const wrapped = kit.wrap("var a = 1;\na", {
      params: { name: "Comp\u2028é" },
      prelude: "var p = 1;",
      epilogue: "p",
    });
    expect(() => Parser.parse(wrapped.code, { ecmaVersion: 3 })).not.toThrow();
    expect(wrapped.code.endsWith("})();")).toBe(true);
  });
});

describe("extendscript wrapper (node:vm, no JSON)", () => {
  it("returns the value of the final expression, with undo and dialogs balanced", () => {
    const run = runWrapped("var a = 20;\nvar b = 22;\na + b");
    expect(run.error).toBeUndefined();
    expect(run.value).toBe(42);
    expect(JSON.parse(run.output)).toMatchObject({ [ENVELOPE_TAG]: 1, ok: true, value: 42 });
    expect(run.calls).toEqual([
      "beginSuppressDialogs",
      "beginUndoGroup:Scriptwright",
      "endUndoGroup",
      "endSuppressDialogs:false",
    ]);
  });

  it("supports a top-level return and code with no final expression", () => {
    expect(runWrapped("var x = 5;\nif (x > 1) { return 'big'; }\n'small'").value).toBe("big");
    expect(runWrapped("var x = 5;\nfor (var i = 0; i < 3; i++) { x++; }").value).toBeNull();
    expect(runWrapped("").value).toBeNull();
    expect(runWrapped("#target aftereffects\n'ok'\nfunction later() {}").value).toBe("ok");
  });

  it("serialises nested values, strings with escapes, and special numbers", () => {
    const code = [
      "var s = 'quote \" backslash \\\\ tab \\t nl \\n ctrl \\u0001 é 中 \\ud83d\\ude00';",
      "({ n: 1.5, neg: -3, big: 1e21, nan: NaN, inf: 1 / 0, t: true, f: false, nul: null, und: undefined,",
      "  s: s, list: [1, [2, [3]], { deep: 'x' }], date: typeof Date, fn: function named() {} })",
    ].join("\n");
    const run = runWrapped(code);
    expect(run.error).toBeUndefined();
    expect(run.value).toEqual({
      n: 1.5,
      neg: -3,
      big: 1e21,
      nan: null,
      inf: null,
      t: true,
      f: false,
      nul: null,
      und: null,
      s: 'quote " backslash \\ tab \t nl \n ctrl \u0001 é 中 😀',
      list: [1, [2, [3]], { deep: "x" }],
      date: "function",
    });
    // Non-ASCII travels as \uXXXX: the envelope is pure ASCII.
    expect(/^[\x20-\x7e]*$/.test(run.output)).toBe(true);
    expect(runWrapped("[function f() {}, new Error('bad')]").value).toEqual([
      { $function: "f" },
      { $error: "Error", message: "bad" },
    ]);
  });

  it("marks cycles, caps depth, items and size", () => {
    const cycle = runWrapped("var a = { name: 'a' };\na.self = a;\nvar l = [1];\nl.push(l);\n[a, l]");
    expect(cycle.value).toEqual([{ name: "a", self: { $cycle: "Object" } }, [1, { $cycle: "Array" }]]);

    const deep = runWrapped("var o = { v: 0 };\nfor (var i = 1; i < 10; i++) { o = { v: i, inner: o }; }\no");
    let node = deep.value as Record<string, unknown>;
    let depth = 0;
    while (typeof node.inner === "object" && node.inner !== null && !("$depth" in (node.inner as object))) {
      node = node.inner as Record<string, unknown>;
      depth++;
    }
    expect(depth).toBe(5);
    expect(node.inner).toEqual({ $depth: "Object" });

    const items = runWrapped("var a = [];\nfor (var i = 0; i < 50; i++) a.push(i);\na", { maxItems: 10 });
    expect(items.value).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, { $more: 40 }]);

    const big = runWrapped("var s = 'x';\nwhile (s.length < 5000) s = s + s;\ns", { maxValueChars: 1000 });
    const text = big.value as string;
    expect(text.length).toBeLessThan(1100);
    expect(text).toMatch(/^x{1000}\.\.\. \[\d+ more characters\]$/);

    const many = runWrapped("var a = [];\nfor (var i = 0; i < 500; i++) a.push('abcdefghij');\na", {
      maxValueChars: 200,
    });
    const list = many.value as unknown[];
    expect(list.length).toBeLessThan(30);
    expect(list[list.length - 1]).toHaveProperty("$truncated");
  });

  it("turns app objects into references", () => {
    const run = runWrapped(
      [
        "var comp = { reflect: { name: 'CompItem' }, name: 'Comp 1', id: 7, layers: { length: 3 } };",
        "var file = { reflect: { name: 'File' }, name: 'a.aep', fsName: '/tmp/a.aep' };",
        "({ active: comp, items: [comp, file], plain: { reflect: { name: 'Object' }, x: 1 } })",
      ].join("\n"),
    );
    expect(run.value).toEqual({
      active: { $ref: "CompItem", name: "Comp 1", id: 7 },
      items: [
        { $ref: "CompItem", name: "Comp 1", id: 7 },
        { $ref: "File", name: "a.aep", fsName: "/tmp/a.aep" },
      ],
      plain: { reflect: { name: "Object" }, x: 1 },
    });
  });

  it("captures log() and $.writeln in order, capped", () => {
    const run = runWrapped("log('one', 2, { a: [1] });\n$.writeln('two', 3);\nlog(null);\n'done'");
    expect(run.value).toBe("done");
    expect(run.logs).toBe('one 2 {"a":[1]}\ntwo3\nnull\n');
    // $.writeln is restored afterwards.
    expect(run.writes).toEqual([]);

    const capped = runWrapped("for (var i = 0; i < 1000; i++) log('line ' + i);\n1", { maxLogChars: 100 });
    expect(capped.logs!.startsWith("line 0\nline 1\n")).toBe(true);
    expect(capped.logs).toMatch(/logs truncated at 100 characters/);
    expect(capped.logs!.length).toBeLessThan(160);
  });

  it("reports errors at the user's line, and still closes the undo group", () => {
    const run = runWrapped("var a = 1;\nvar b = 2;\nnull.x;\nvar c = 3;");
    expect(run.error).toMatchObject({ type: "TypeError", line: 3, column: 6 });
    expect(run.error!.message).toMatch(/null/);
    expect(run.error!.stack).toMatch(/:3:6\)?$/m);
    expect(run.error!.stack).not.toMatch(/node:vm|:\d{3,}:/);
    expect(run.calls).toEqual([
      "beginSuppressDialogs",
      "beginUndoGroup:Scriptwright",
      "endUndoGroup",
      "endSuppressDialogs:false",
    ]);

    const thrown = runWrapped("log('before');\n\n  throw new RangeError('too far');");
    expect(thrown.error).toMatchObject({ message: "too far", type: "RangeError", line: 3, column: 9 });
    expect(thrown.logs).toBe("before\n");

    // On the final expression's line, the column is the user's despite the inserted `return (`.
    const last = runWrapped("var a = 1;\n  a + undefinedName");
    expect(last.error).toMatchObject({ type: "ReferenceError", line: 2, column: 7 });

    const withPrelude = runWrapped("var a = 1;\nnope();", { prelude: "var p = 1;\nvar q = 2;" });
    expect(withPrelude.error).toMatchObject({ line: 2, column: 1 });

    const str = runWrapped("throw 'plain string';");
    expect(str.error).toEqual({ message: "plain string" });
  });

  it("uses ExtendScript's e.line when the error carries one", () => {
    const wrapped = kit.wrap("var a = 1;\nvar b = 2;\nboom();");
    const es = JSON.stringify({
      [ENVELOPE_TAG]: 1,
      ok: false,
      error: { message: "Function boom is undefined", type: "ReferenceError", line: wrapped.lineOffset + 3 },
    });
    expect(kit.unwrap(es, wrapped).error).toEqual({
      message: "Function boom is undefined",
      type: "ReferenceError",
      line: 3,
    });
  });

  it("runs prelude, params and epilogue", () => {
    const run = runWrapped("greeting + ', ' + params.name + ' ' + params.list.length", {
      prelude: "var greeting = 'hello';",
      params: { name: 'Comp\u2028"1" é', list: [1, 2] },
      epilogue: "log('epilogue ran');",
    });
    expect(run.value).toBe('hello, Comp\u2028"1" é 2');
    expect(run.logs).toBe("epilogue ran\n");
    const failing = runWrapped("missing();", { epilogue: "log('epilogue after failure');" });
    expect(failing.error?.line).toBe(1);
    expect(failing.logs).toBe("epilogue after failure\n");
  });

  it("works without app or $ (any ES3 engine)", () => {
    const wrapped = kit.wrap("log('x');\n[1, 'two']");
    const context = createContext({});
    runInContext("delete JSON;", context);
    const result = kit.unwrap(runInContext(wrapped.code, context) as string, wrapped);
    expect(result).toEqual({ value: [1, "two"], logs: "x\n" });
  });

  it("leaves no globals behind", () => {
    const context = createContext({ app: {}, $: { writeln() {} } });
    const before = runInContext("var k = []; for (var n in this) k.push(n); k.join(',')", context);
    const wrapped = kit.wrap("var local = 1;\nfunction helper() {}\nlocal");
    runInContext(wrapped.code, context);
    const after = runInContext("var k = []; for (var n in this) k.push(n); k.join(',')", context);
    expect(after).toBe(before);
    expect(runInContext("typeof __scriptwright_v1 + typeof local", context)).toBe("undefinedundefined");
  });
});

describe("extendscript unwrap", () => {
  const wrapped = kit.wrap("1");

  it("never treats missing or garbage output as success", () => {
    const garbage: [string, RegExp][] = [
      ["", /empty/],
      ["   ", /empty/],
      ["undefined", /undefined/],
      ["null", /null/],
      ["EvalScript error.", /EvalScript error\..*syntax error/],
      ["[object Object]", /object reached the panel/],
      ["{not json", /not JSON/],
      ["42", /not a Scriptwright result envelope/],
      ['"a string"', /not a Scriptwright result envelope/],
      ['{"ok": true, "value": 1}', /not a Scriptwright result envelope/],
      ['{"$scriptwright": 2, "ok": true, "value": 1}', /version 2/],
      ['{"$scriptwright": 1, "ok": "yes", "value": 1}', /boolean 'ok'/],
      ['{"$scriptwright": 1, "ok": true}', /no value/],
    ];
    for (const [output, message] of garbage) {
      const result = kit.unwrap(output, wrapped);
      expect(result.error?.message, output).toMatch(message);
      expect(result, output).not.toHaveProperty("value");
    }
  });

  it("drops wrapper lines from errors", () => {
    const result = kit.unwrap(
      JSON.stringify({ [ENVELOPE_TAG]: 1, ok: false, error: { message: "m", line: 2, column: 3 }, logs: "" }),
      wrapped,
    );
    expect(result).toEqual({ error: { message: "m" } });
  });
});

describe("extendscript risk", () => {
  it("flags risky calls with their lines", () => {
    const code = [
      "var f = new File('~/a.txt');", // 1
      "f.remove();", // 2
      "Folder('~/tmp').remove();", // 3
      "var files = Folder.desktop.getFiles();", // 4
      "files[0].remove();", // 5
      "system.callSystem('rm -rf /');", // 6
      "f.execute();", // 7
      // The app's own quit and saves are its rules (test/app-risk-rules.test.ts), not the language's.
      "app.quit();", // 8
      "app.project.save(f);", // 9
      "app.project.saveAs(new File('x.aep'));", // 10
      "var s = new Socket();", // 11
      "var h = new HttpConnection('http://x');", // 12
      "eval('1 + 1');", // 13
      "$.evalFile('lib.jsx');", // 14
      "f.open('w');", // 15
      "var ext = new ExternalObject('lib:x.dll');", // 16
    ].join("\n");
    const flags = kit.risk(code);
    const summary = flags.map((flag) => [flag.line, flag.kind]);
    expect(summary).toEqual([
      [2, "file-delete"],
      [3, "file-delete"],
      [5, "file-delete"],
      [6, "process"],
      [7, "process"],
      [11, "network"],
      [12, "network"],
      [13, "dynamic-code"],
      [14, "dynamic-code"],
      [15, "file-overwrite"],
      [16, "native-code"],
    ]);
    for (const flag of flags) expect(flag.reason.length).toBeGreaterThan(5);
    expect(kit.risk('#include "lib.jsx"\n1')).toEqual([
      expect.objectContaining({ kind: "dynamic-code", line: 1 }),
    ]);
  });

  it("ignores strings, comments and app-object .remove()", () => {
    const code = [
      "// f.remove(); app.quit(); system.callSystem('x')",
      "/* eval('x'); new Socket(); */",
      "var s = 'file.remove() app.quit() eval(1) $.evalFile(x)';",
      'var t = "new HttpConnection()";',
      "comp.layers[1].remove();",
      "app.project.item(1).remove();",
      "layer.remove();",
      "f.open('r');",
    ].join("\n");
    expect(kit.risk(code)).toEqual([]);
  });

  it("still flags code that does not tokenize", () => {
    const flags = kit.risk("var a = 'unterminated\nsystem.callSystem('rm -rf ~');");
    expect(flags.map((flag) => flag.kind)).toContain("process");
  });
});

describe("extendscript risk fails closed on what it cannot read", () => {
  const summary = (code: string) => kit.risk(code).map((flag) => [flag.line, flag.kind]);

  it("flags members chosen at run time and called, keys built from strings, and computed globals", () => {
    const code = [
      'f["re" + "move"]();', // 1
      "obj[name]();", // 2
      "var m = f[['re', 'move'].join('')];", // 3
      "$.global[name];", // 4
      "this[name] = 1;", // 5
      "obj[name].call(obj);", // 6
      'f["remove"]();', // 7: a literal key is the member itself (f is file-like)
      "items[i].name;", // 8: an index read is not a call
    ].join("\n");
    expect(summary(code)).toEqual([
      [1, "dynamic-code"],
      [2, "dynamic-code"],
      [3, "dynamic-code"],
      [4, "dynamic-code"],
      [5, "dynamic-code"],
      [6, "dynamic-code"],
      [7, "file-delete"],
    ]);
  });

  it("flags eval, the Function constructor and code given to timers as text, however reached", () => {
    const code = [
      "$.global.eval(src);", // 1
      "var e = eval;", // 2
      "new Function(body);", // 3
      "(function () {}).constructor('return 1')();", // 4
      "app.setTimeout('x()', 10);", // 5
      "function tick() {}\napp.setTimeout(tick, 10);", // 6-7: a function, not text
    ].join("\n");
    expect(summary(code)).toEqual([
      [1, "dynamic-code"],
      [2, "dynamic-code"],
      [3, "dynamic-code"],
      [4, "dynamic-code"],
      [5, "dynamic-code"],
    ]);
  });

  it("follows variables to what they were given", () => {
    const code = ["var s = system;", "s.callSystem('id');", "var sock = Socket;", "var c = new sock();"];
    expect(summary(code.join("\n"))).toEqual([
      [2, "process"],
      [3, "network"],
      [4, "network"],
    ]);
  });
});

describe("extendscript kit surface", () => {
  it("describes itself", () => {
    expect(kit.language).toBe("extendscript");
    expect(kit.setup).toBeUndefined();
    expect(kit.promptNotes).toMatch(/ES3/);
    expect(kit.isReadOnly).toBeUndefined();
  });
});
