// A tiny syntax highlighter for Python and JavaScript (ExtendScript): keywords, strings,
// comments, numbers. It builds DOM nodes (never HTML from the script's text), one span per
// line so an error's line can be marked.

const PYTHON_KEYWORDS = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except " +
    "finally for from global if import in is lambda nonlocal not or pass raise return try while with yield " +
    "match case self print len range"
  ).split(" "),
);

const JS_KEYWORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else export extends false finally " +
    "for function if import in instanceof let new null return super switch this throw true try typeof " +
    "undefined var void while with yield async await of"
  ).split(" "),
);

// Groups: 1 comment, 2 string, 3 number, 4 identifier.
const PYTHON_TOKENS =
  /(#[^\n]*)|((?:[rRbBuUfF]{1,2})?(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?))|(\b(?:0[xXoObB][0-9a-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?j?)\b)|([A-Za-z_][\w]*)/g;
const JS_TOKENS =
  /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\[\s\S])*`?)|(\b(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)\b)|([A-Za-z_$][\w$]*)/g;

/** @returns {Array<{type: string, text: string}>} */
export function tokenize(code, language) {
  const isPython = language !== "javascript" && language !== "extendscript";
  const pattern = new RegExp(isPython ? PYTHON_TOKENS : JS_TOKENS);
  const keywords = isPython ? PYTHON_KEYWORDS : JS_KEYWORDS;
  const tokens = [];
  let at = 0;
  for (const match of code.matchAll(pattern)) {
    if (match[0] === "") continue;
    if (match.index > at) tokens.push({ type: "plain", text: code.slice(at, match.index) });
    let type = "plain";
    if (match[1] !== undefined) type = "com";
    else if (match[2] !== undefined) type = "str";
    else if (match[3] !== undefined) type = "num";
    else if (keywords.has(match[4])) type = "kw";
    tokens.push({ type, text: match[0] });
    at = match.index + match[0].length;
  }
  if (at < code.length) tokens.push({ type: "plain", text: code.slice(at) });
  return tokens;
}

/** Fills `target` (a <code>) with one `.line` span per line, tokens as `.tok-*` spans. */
export function renderCode(target, code, language) {
  target.replaceChildren();
  let line = newLine(1);
  target.append(line);
  for (const token of tokenize(code, language)) {
    const parts = token.text.split("\n");
    parts.forEach((part, index) => {
      if (index > 0) {
        line = newLine(Number(line.dataset.line) + 1);
        target.append(line);
      }
      if (part === "") return;
      if (token.type === "plain") {
        line.append(part);
      } else {
        const span = document.createElement("span");
        span.className = `tok-${token.type}`;
        span.textContent = part;
        line.append(span);
      }
    });
  }
}

function newLine(number) {
  const span = document.createElement("span");
  span.className = "line";
  span.dataset.line = String(number);
  return span;
}
