// The Python kit's read-only check (pure TypeScript): a script is read-only only when every
// call, import and write is one the list allows. Each refusal is paired with the nearest
// script that is allowed, so a check that refused everything would fail here too.
import { describe, expect, it } from "vitest";
import { pythonKit } from "../adapters/python/index.js";
import type { ReadOnlyRules } from "../adapters/types.js";

// A small list of its own, so these tests are about the rules, not about an app's list.
const rules: ReadOnlyRules = {
  imports: ["json", "math"],
  functions: ["len", "sorted", "max", "print", "map", "filter", "getattr", "hasattr", "str", "list", "range"],
  methods: ["get", "keys", "dumps", "sqrt", "lower", "evaluated_get"],
  keywords: ["reverse", "view_layer"],
  refusedNames: ["ops"],
};

const readOnly = (code: string) => pythonKit.isReadOnly!(code, rules);

function expectRefused(...scripts: string[]): void {
  for (const code of scripts) expect(readOnly(code), code).toBe(false);
}

function expectAllowed(...scripts: string[]): void {
  for (const code of scripts) expect(readOnly(code), code).toBe(true);
}

describe("python read-only: calls", () => {
  it("allows listed builtins by bare name and listed methods after a dot", () => {
    expectAllowed("len(D.objects)", "D.objects.get('Cube').name.lower()", "[o.name for o in D.objects]");
  });

  it("refuses a function or method the list does not name", () => {
    expectRefused("type(x)", "D.objects.remove(o)", "D.objects['Cube'].select_set(True)");
  });

  it("refuses calling what a call, a subscript or an expression returns", () => {
    expectRefused('getattr(D, "objects")(1)', "f()(1)", "handlers[0](1)", "(a or b)(1)", '"text"(1)');
    expectAllowed('getattr(D, "objects")', "(a or b)", "(1, 2)");
  });

  it("allows getattr and hasattr only with a plain attribute name as a literal", () => {
    expectAllowed('getattr(C, "selected_objects", None)', 'hasattr(o, "data")');
    expectRefused(
      "getattr(C, name)",
      'getattr(o, "__class__")',
      'getattr(bpy, "ops")',
      'getattr(o, f"{n}")',
      "g = getattr",
      'getattr(o, "a", "b", "c")',
    );
  });

  it("never allows builtins that reach code or files by name, whatever the list says", () => {
    const everything: ReadOnlyRules = { ...rules, functions: ["exec", "eval", "open", "vars", "globals"] };
    for (const code of ['exec("1")', 'eval("1")', 'open("f")', "vars(o)", "globals()", "x = eval"]) {
      expect(pythonKit.isReadOnly!(code, everything), code).toBe(false);
    }
  });

  it("calls a function the script defines, whose body is checked like the rest", () => {
    expectAllowed("def count(objs):\n    return len(objs)\ncount(D.objects)");
    expectRefused("def wipe(objs):\n    objs.clear()\nwipe(D.objects)");
  });

  it("refuses a listed builtin the script rebinds, however it rebinds it", () => {
    expectRefused(
      "len = bpy.quit\nlen()",
      "for len in handlers:\n    len()",
      "[len() for len in handlers]",
      "(len := handlers[0])\nlen()",
      "def f(len):\n    return len()",
      "f = lambda len: len()",
      "import json as len\nlen()",
      "from json import dumps as x, loads as len\nlen('1')",
      "try:\n    pass\nexcept Exception as len:\n    len()",
      "a, *len = handlers\nlen()",
      'f"{(len := quit)}"\nlen()',
    );
    expectAllowed("n = len(D.objects)\nn");
  });

  it("trusts a name the script defines only when the definition surely runs before the call", () => {
    expectRefused(
      // The call runs before the def: `save_as` is still whatever the host predefined.
      "save_as('/tmp/x')\ndef save_as(p):\n    return p",
      // A conditional def may not run at all.
      "if flag:\n    def save_as(p):\n        return p\nsave_as('/tmp/x')",
      // A function body runs when called: here before the def it relies on.
      "def run():\n    return save_as('/tmp/x')\nrun()\ndef save_as(p):\n    return p",
      // Bound twice, once by something else.
      "def save_as(p):\n    return p\nsave_as = handlers[0]\nsave_as('/tmp/x')",
    );
    expectAllowed("def save_as(p):\n    return p\nsave_as('/tmp/x')");
  });

  it("calls names imported from allowed modules only when the module's member is a listed method", () => {
    expectAllowed("from math import sqrt\nsqrt(2)", "import json\njson.dumps([1])");
    expectRefused("from math import floor\nfloor(2.5)");
  });

  it("calls a builtin's callable argument only when it is a lambda", () => {
    expectAllowed(
      "list(map(lambda o: o.name, D.objects))",
      "sorted(D.objects, key=lambda o: o.name, reverse=True)",
    );
    expectRefused(
      "list(map(D.objects.remove, objs))",
      "list(filter(D.objects.remove, objs))",
      "sorted(objs, key=D.objects.remove)",
      "max(objs, key=len)",
    );
  });

  it("takes keyword arguments only from the list, and no **kwargs", () => {
    expectAllowed("o.evaluated_get(dg)", "[o for o in objs if o.evaluated_get(view_layer=v)]");
    expectRefused(
      'print("x", file=D.texts["t"])',
      "json.dumps(o, default=D.objects.remove)",
      "o.get(**options)",
    );
  });
});

describe("python read-only: imports and names", () => {
  it("imports only listed modules, whole dotted names, never *", () => {
    expectAllowed("import json", "import math as m\nm.sqrt(4)", "from math import (sqrt,)");
    expectRefused(
      "import posix\nposix.system('x')",
      "import sys\nsys.exit()",
      "import os.path",
      "from math import *",
      "from . import helper",
      "from json import _default_decoder",
    );
  });

  it("refuses dunder and private names and attributes, and names the list refuses", () => {
    expectRefused(
      "().__class__.__bases__[0].__subclasses__()",
      "__builtins__",
      "_session.ctx",
      "o._private",
      "bpy.ops.object.join()",
      "from bpy import ops",
    );
    // An underscore name the script binds itself is its own.
    expectAllowed("def __state():\n    return 1\n__state()", "for _ in range(3):\n    pass");
  });

  it("refuses naming modules through which an allowed method name could do harm", () => {
    expectRefused(
      "json.scanner.re.enum.bltns",
      "statistics.sys.modules.get('pickle')",
      "bpy.path.os.environ",
    );
  });
});

describe("python read-only: writes", () => {
  it("refuses attribute and item writes, del, global and friends", () => {
    expectRefused(
      "D.objects['Cube'].location.x = 1",
      "o.location[0] = 1",
      "o['prop'] = 1",
      "o.hide_render += 1",
      "a, o.name = 1, 2",
      "for o.name in names:\n    pass",
      "del names",
      "global n",
      "nonlocal n",
      "class X:\n    pass",
      "with handlers:\n    pass",
      "async def f():\n    pass",
      "@register\ndef f():\n    pass",
    );
    // `@` between values is matrix multiplication, not a decorator.
    expectAllowed("m = a @ b");
  });

  it("writes into the script's own fresh lists and dicts, not into anything they may alias", () => {
    expectAllowed(
      "counts = {}\nfor o in D.objects:\n    counts[o.type] = counts.get(o.type, 0) + 1\ncounts",
      "names = []\nfor o in D.objects:\n    names.append(o.name)\nnames",
      "def f():\n    seen = list()\n    seen.append(1)\n    return seen\nf()",
      "total = 0\nfor o in D.objects:\n    total += 1\ntotal",
    );
    expectRefused(
      "counts = D.texts\ncounts['t'] = 1",
      "names = D.objects\nnames.remove(o)",
      "names = []\nnames = D.objects\nnames.remove(o)",
      "v = o.location\nv += delta",
      "D += 1",
      // Before the script binds it, a top-level name is the host's.
      "doc['x'] = 1\ndoc = {}",
      "if flag:\n    doc = {}\ndoc['x'] = 1",
      "items = [D.objects]\nitems[0].remove(o)",
    );
  });
});

describe("python read-only: f-strings", () => {
  it("reads the code in replacement fields, nested format specs included", () => {
    expectAllowed('f"{len(D.objects)} objects"', 'x = f"{o.name!r:>10}"', 'f"{n=}"');
    expectRefused(
      'f"{D.objects.remove(o)}"',
      'f"{o.name:>{o.__class__}}"',
      't"{D.objects.remove(o)}"',
      'rf"\\{D.objects.remove(o)}"',
    );
  });

  it("refuses fields it cannot delimit for sure rather than read half of them", () => {
    expectRefused(
      // The nested string hides a `}` from a naive reader.
      "f\"\"\"{'''a'}'''+D.objects.remove(o)}\"\"\"",
      'f"{f"{"}"}" + D.objects.remove(o)}"',
      'f"""{x # }\n+ D.objects.remove(o)}"""',
    );
  });
});
