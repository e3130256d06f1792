// The chat panel's tiny highlighter (panels/web/highlight.js): tokens for Python and ExtendScript.
import { describe, expect, it } from "vitest";

type Token = { type: string; text: string };
// A plain-JS browser module: loaded by path so the type checker does not need declarations for it.
const modulePath = "../panels/web/highlight.js";
const { tokenize } = (await import(modulePath)) as { tokenize(code: string, language: string): Token[] };

const marked = (code: string, language: string) =>
  tokenize(code, language)
    .filter((token) => token.type !== "plain")
    .map((token) => `${token.type}:${token.text}`);

describe("panel highlighter", () => {
  it("marks Python keywords, strings (triple-quoted, prefixed), comments and numbers", () => {
    const code =
      'import bpy  # add\nfor i in range(3):\n    s = f"cube {i}" + """a\n#not a comment""" + 0x1F + 2.5e3\nname_if = None';
    expect(marked(code, "python")).toEqual([
      "kw:import",
      "com:# add",
      "kw:for",
      "kw:in",
      "kw:range",
      "num:3",
      'str:f"cube {i}"',
      'str:"""a\n#not a comment"""',
      "num:0x1F",
      "num:2.5e3",
      "kw:None",
    ]);
  });

  it("marks ExtendScript keywords, strings, comments and numbers", () => {
    const code =
      "var comp = app.project.item(1); // first\n/* block\n comment */ if (comp) { comp.name = 'a \\' b'; }";
    expect(marked(code, "extendscript")).toEqual([
      "kw:var",
      "num:1",
      "com:// first",
      "com:/* block\n comment */",
      "kw:if",
      "str:'a \\' b'",
    ]);
  });

  it("keeps every character, and an unterminated string ends the line", () => {
    const code = "x = 'open\ny = 2";
    expect(
      tokenize(code, "python")
        .map((token) => token.text)
        .join(""),
    ).toBe(code);
    expect(marked(code, "python")).toEqual(["str:'open", "num:2"]);
  });
});
