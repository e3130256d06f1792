// Dotted-name rules matched against the names a script uses: each kit's own rules and an
// app's AppRiskRule lists go through this one matcher, whatever the language. A kit turns
// its code into dotted names (Python after import aliases, JavaScript and VBA member chains,
// calls and indexes left out: `Workbooks("a").Close` is `Workbooks.Close`); a name reached
// through something unnamed (a literal, a parenthesised expression) starts with a dot
// (`.Close`), which only `*.` patterns match.
import { kindReason, type RiskFlags } from "./risk-flags.js";
import type { AppRiskRule, RiskKind } from "./types.js";

export interface NameRule {
  /**
   * A dotted name; it matches that name and anything under it (`subprocess` matches
   * `subprocess.run`). `*` stands for any identifier characters (`os.exec*`); a leading
   * `*.` matches the rest on any object (`*.CloseDoc` matches `swApp.CloseDoc`).
   */
  pattern: string;
  kind: RiskKind;
  /** Overrides the "<verb>: <name>" reason. */
  reason?: string;
  /** Saves the open document over its own file (app rules only: AppRiskRule.savesDocument). */
  savesDocument?: true;
}

const SEGMENT = /^[\p{L}\p{N}_$*]+$/u;
const IDENTIFIER_CHARS = "[\\p{L}\\p{N}_$]*";

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/** The pattern's segments, and whether it starts with `*.`; throws on a malformed pattern. */
function parsePattern(pattern: string): { anyReceiver: boolean; segments: string[] } {
  const anyReceiver = pattern.startsWith("*.");
  const segments = (anyReceiver ? pattern.slice(2) : pattern).split(".");
  const malformed = segments.some((segment) => !SEGMENT.test(segment));
  if (malformed || segments.every((segment) => /^\*+$/.test(segment))) {
    throw new Error(
      `invalid risk rule pattern ${JSON.stringify(pattern)}: write a dotted name that names something ` +
        '("os.system", "bpy.ops.export_*", "*.CloseDoc")',
    );
  }
  return { anyReceiver, segments };
}

/** The RegExp a rule pattern stands for, tested against a whole dotted name. */
export function patternRegExp(pattern: string, ignoreCase = false): RegExp {
  const { anyReceiver, segments } = parsePattern(pattern);
  const body = segments.map((segment) => segment.split("*").map(escapeRegExp).join(IDENTIFIER_CHARS));
  const receiver = anyReceiver ? "(?:[^.]*\\.)+" : "";
  return new RegExp(`^${receiver}${body.join("\\.")}(?:\\.|$)`, ignoreCase ? "iu" : "u");
}

/**
 * The same pattern found in plain text (`app . quit` too), for code a kit could not
 * tokenize: it then scans the text, failing closed.
 */
export function patternTextRegExp(pattern: string, ignoreCase = false): RegExp {
  const { anyReceiver, segments } = parsePattern(pattern);
  const body = segments.map((segment) => segment.split("*").map(escapeRegExp).join(IDENTIFIER_CHARS));
  const start = anyReceiver ? "\\.\\s*" : "(?<![\\p{L}\\p{N}_$.])";
  return new RegExp(`${start}${body.join("\\s*\\.\\s*")}(?![\\p{L}\\p{N}_$])`, ignoreCase ? "iu" : "u");
}

export class NameRules<R extends NameRule = NameRule> {
  private readonly compiled: { rule: R; regexp: RegExp }[];
  /** The names every rule without `*.` starts with, up to its first `*` (`os.exec*` → os). */
  private readonly heads: string[][];

  constructor(
    readonly rules: readonly R[],
    readonly ignoreCase = false,
  ) {
    this.compiled = rules.map((rule) => ({ rule, regexp: patternRegExp(rule.pattern, ignoreCase) }));
    this.heads = rules
      .filter((rule) => !rule.pattern.startsWith("*."))
      .map((rule) => {
        const segments = this.fold(rule.pattern).split(".");
        const wild = segments.findIndex((segment) => segment.includes("*"));
        return wild < 0 ? segments : segments.slice(0, wild);
      });
  }

  private fold(text: string): string {
    return this.ignoreCase ? text.toLowerCase() : text;
  }

  /** Every rule that matches the dotted name, in the order they were given. */
  matches(name: string): R[] {
    return this.compiled.filter(({ regexp }) => regexp.test(name)).map(({ rule }) => rule);
  }

  /**
   * True when a rule names something strictly under `name` (`os` for os.system): code that
   * hands `name` on as a value can reach what the rule flags without naming it.
   */
  hasUnder(name: string): boolean {
    const parts = this.fold(name).split(".");
    return this.heads.some(
      (head) => head.length > parts.length && parts.every((part, i) => part === head[i]),
    );
  }
}

const compiledAppRules = [new WeakMap<readonly AppRiskRule[], NameRules>(), new WeakMap()];

/** An app's rules compiled once per list (adapters hold the same list for the bridge's life). */
export function appNameRules(rules: readonly AppRiskRule[] | undefined, ignoreCase = false): NameRules {
  const list = rules ?? [];
  const cache = compiledAppRules[ignoreCase ? 1 : 0]!;
  let compiled = cache.get(list);
  if (!compiled) {
    compiled = new NameRules(list, ignoreCase);
    cache.set(list, compiled);
  }
  return compiled;
}

/** Flags every rule of `sets` that `name` matches; true when one did. */
export function flagName(
  flags: RiskFlags,
  sets: readonly NameRules[],
  name: string,
  line: number | undefined,
): boolean {
  let found = false;
  for (const set of sets) {
    for (const rule of set.matches(name)) {
      flags.add(rule.kind, rule.reason ?? kindReason(rule.kind, name), line, rule.savesDocument);
      found = true;
    }
  }
  return found;
}

/** `rules("process", ["os.system", …])`: rules of one kind worded "<verb>: <name>". */
export function rulesOfKind(kind: RiskKind, patterns: readonly string[]): NameRule[] {
  return patterns.map((pattern) => ({ pattern, kind }));
}

/** The app's calls that save the open document over its own file (see AppRiskRule.savesDocument). */
export function documentSaves(what: string, patterns: readonly string[]): AppRiskRule[] {
  return appRulesOfKind("file-overwrite", what, patterns).map((rule) => ({ ...rule, savesDocument: true }));
}

/** An app's rules of one kind, each worded "<what>: <name>" (`*.SaveAs*` gives "…: SaveAs…"). */
export function appRulesOfKind(kind: RiskKind, what: string, patterns: readonly string[]): AppRiskRule[] {
  return patterns.map((pattern) => ({
    pattern,
    kind,
    reason: `${what}: ${pattern.replace(/^\*\./, "").replaceAll("*", "…")}`,
  }));
}
