// Flags risky operations in ExtendScript for the approval policy. Works on acorn's tokens,
// so comments and string literals never count. It is a classifier, not a sandbox:
// obfuscated access (obj["rem" + "ove"]) gets through, but eval and friends are flagged.
import { type Token as AcornToken, Parser, tokTypes } from "acorn";
import type { RiskFlag, RiskKind } from "../../types.js";
import { blankDirectives, findDirectives, lineAt } from "./source.js";

/** acorn's tokens carry their value, which its typings omit. */
type Token = AcornToken & { value?: unknown };

interface Word {
  text: string;
  line: number;
  /** Index of the token in the token list. */
  index: number;
}

/** Receivers that look like a File or Folder (`f`, `file`, `myFolder`, `files[i]`, `tmpDir`). */
const FILE_LIKE =
  /^(f|fl|fd|file\w*|\w*File\w*|\w*[Ff]older\w*|folder\w*|fol|dir\w*|\w*Dir|\w*[Pp]ath\w*|tmp\w*|temp\w*)$/;
const FILE_CONSTRUCTORS = new Set(["File", "Folder"]);

function wordOf(token: Token): string | undefined {
  if (token.type === tokTypes.name) return String(token.value);
  if (token.type.keyword !== undefined) return token.type.keyword;
  return undefined;
}

function tokenize(code: string): { tokens: Token[]; stoppedAt?: number } {
  const tokens: Token[] = [];
  try {
    for (const token of Parser.tokenizer(code, {
      ecmaVersion: "latest",
      allowReturnOutsideFunction: true,
      locations: true,
    })) {
      tokens.push(token);
    }
    return { tokens };
  } catch (cause) {
    const pos = (cause as { pos?: number }).pos;
    return { tokens, stoppedAt: typeof pos === "number" ? pos : code.length };
  }
}

export function riskExtendScript(code: string): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const seen = new Set<string>();
  const flag = (kind: RiskKind, reason: string, line: number): void => {
    const key = `${kind}\u0000${reason}\u0000${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    flags.push({ kind, reason, line });
  };

  for (const directive of findDirectives(code)) {
    if (directive.name === "include") {
      flag("dynamic-code", `${directive.text} loads and runs code from a file`, directive.line);
    }
  }

  const source = blankDirectives(code);
  const { tokens, stoppedAt } = tokenize(source);
  const fileVars = new Set<string>();
  const text = (i: number): string | undefined => {
    const token = tokens[i];
    return token === undefined ? undefined : (wordOf(token) ?? token.type.label);
  };
  const isDot = (i: number): boolean => tokens[i]?.type === tokTypes.dot;
  const isCall = (i: number): boolean => tokens[i]?.type === tokTypes.parenL;
  const lineOf = (i: number): number => tokens[i]?.loc?.start.line ?? 1;

  // Variables assigned a File or Folder: `var f = new File(…)`, `f = Folder(…)`, `f = File.openDialog()`.
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i]!.type !== tokTypes.name || tokens[i + 1]!.type !== tokTypes.eq) continue;
    let j = i + 2;
    if (text(j) === "new") j++;
    const target = text(j);
    if (target !== undefined && FILE_CONSTRUCTORS.has(target)) fileVars.add(String(tokens[i]!.value));
  }

  /** The receiver just before `.name` at index i (the dot is i - 1): `a.b.c` → "c", `x[i]` → "x". */
  const receiver = (dotIndex: number): Word | undefined => {
    let j = dotIndex - 1;
    if (tokens[j]?.type === tokTypes.bracketR) {
      let depth = 0;
      for (; j >= 0; j--) {
        if (tokens[j]!.type === tokTypes.bracketR) depth++;
        else if (tokens[j]!.type === tokTypes.bracketL && --depth === 0) break;
      }
      j--;
    } else if (tokens[j]?.type === tokTypes.parenR) {
      // `new File(p).remove()` / `File(p).remove()`
      let depth = 0;
      for (; j >= 0; j--) {
        if (tokens[j]!.type === tokTypes.parenR) depth++;
        else if (tokens[j]!.type === tokTypes.parenL && --depth === 0) break;
      }
      j--;
    }
    const word = text(j);
    if (j < 0 || word === undefined || tokens[j]!.type.label === ")") return undefined;
    return { text: word, line: lineOf(j), index: j };
  };

  const fileLike = (word: Word | undefined): boolean =>
    word !== undefined &&
    (FILE_CONSTRUCTORS.has(word.text) || fileVars.has(word.text) || FILE_LIKE.test(word.text));

  for (let i = 0; i < tokens.length; i++) {
    const word = text(i);
    if (word === undefined || (tokens[i]!.type !== tokTypes.name && tokens[i]!.type.keyword === undefined)) {
      continue;
    }
    const line = lineOf(i);
    const afterDot = isDot(i - 1);
    const owner = afterDot ? receiver(i - 1) : undefined;
    const called = isCall(i + 1);

    if (afterDot) {
      const on = owner ? `${owner.text}.${word}` : `.${word}`;
      switch (word) {
        case "remove":
          if (called && fileLike(owner)) flag("file-delete", `${on}() deletes a file or folder`, line);
          break;
        case "execute":
          if (called) flag("process", `${on}() opens or runs a file with its associated application`, line);
          break;
        case "callSystem":
          flag("process", `${on}() runs a shell command`, line);
          break;
        case "quit":
          if (owner?.text === "app") flag("app-quit", "app.quit() closes the application", line);
          break;
        case "save":
        case "saveAs":
        case "saveCopy":
        case "saveACopy":
          if (called) flag("file-overwrite", `${on}() writes a file (it may overwrite one)`, line);
          break;
        case "open":
          if (called && fileLike(owner)) {
            const mode = tokens[i + 2];
            if (mode?.type === tokTypes.string && /^[wae]/i.test(String(mode.value))) {
              flag("file-overwrite", `${on}("${String(mode.value)}") opens a file for writing`, line);
            }
          }
          break;
        case "copy":
        case "rename":
          if (called && fileLike(owner)) flag("file-overwrite", `${on}() may replace an existing file`, line);
          break;
        case "evalFile":
          flag("dynamic-code", `${on}() runs code from a file`, line);
          break;
        case "doScript":
          flag("dynamic-code", `${on}() runs code given as data`, line);
          break;
        case "openURL":
          flag("network", `${on}() opens a URL`, line);
          break;
      }
      continue;
    }
    switch (word) {
      case "eval":
        flag("dynamic-code", "eval() runs code built at run time", line);
        break;
      case "Function":
        if (called || text(i - 1) === "new")
          flag("dynamic-code", "Function() compiles code built at run time", line);
        break;
      case "Socket":
      case "HttpConnection":
        flag("network", `${word} opens a network connection`, line);
        break;
      case "BridgeTalk":
        flag("dynamic-code", "BridgeTalk sends code to another application", line);
        break;
      case "ExternalObject":
        flag("native-code", "ExternalObject loads a native library", line);
        break;
    }
  }

  if (stoppedAt !== undefined) scanRest(source, stoppedAt, flag);
  return flags.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** Past a tokenizer error: a plain text scan of the rest, comment lines skipped (conservative). */
function scanRest(
  source: string,
  from: number,
  flag: (kind: RiskKind, reason: string, line: number) => void,
): void {
  const rules: [RegExp, RiskKind, string][] = [
    [/\.remove\s*\(/, "file-delete", ".remove() may delete a file or folder"],
    [/\b(callSystem|execute)\s*\(/, "process", "runs a command or opens a file with another application"],
    [/\bapp\.quit\b/, "app-quit", "app.quit() closes the application"],
    [/\.(save|saveAs|saveCopy)\s*\(/, "file-overwrite", "writes a file (it may overwrite one)"],
    [/\b(Socket|HttpConnection)\b/, "network", "opens a network connection"],
    [
      /\b(eval|evalFile|doScript|BridgeTalk)\b|\bFunction\s*\(/,
      "dynamic-code",
      "runs code built at run time",
    ],
    [/\bExternalObject\b/, "native-code", "loads a native library"],
  ];
  const startLine = lineAt(source, from);
  const lines = source.split("\n");
  for (let n = startLine; n <= lines.length; n++) {
    const line = lines[n - 1]!.replace(/\/\/.*$/, "");
    for (const [pattern, kind, reason] of rules) {
      if (pattern.test(line)) flag(kind, `${reason} (found by a text scan: the code has a syntax error)`, n);
    }
  }
}
