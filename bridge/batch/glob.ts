// A small glob for `batch run --files` (Node 20 has no fs.globSync): `*` and `?` within one
// path segment, `**` for any number of directories, `[abc]` classes. A pattern without any of
// these is taken as a literal path and kept even when it does not exist, so that a missing
// file gets its own outcome instead of silently vanishing from the job.
import { readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve, sep } from "node:path";

const MAGIC = /[*?[]/;

export function hasMagic(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/** `*`, `?` and `[…]` of one segment as a RegExp. */
function segmentRegExp(segment: string): RegExp {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        const body = segment.slice(i + 1, end).replace(/\\/g, "\\\\");
        out += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

function entries(dir: string): { name: string; dir: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => {
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          isDir = statSync(join(dir, e.name)).isDirectory();
        } catch {
          isDir = false;
        }
      }
      return { name: e.name, dir: isDir };
    });
  } catch {
    return [];
  }
}

/** Files (not directories) under `base` matching the remaining segments. Dotfiles only match a leading `.`. */
function walk(base: string, segments: string[], out: Set<string>, seen: Set<string>): void {
  const key = `${base}\u0000${segments.join("/")}`;
  if (seen.has(key)) return;
  seen.add(key);
  if (segments.length === 0) return;
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === "**") {
    walk(base, rest, out, seen); // zero directories
    for (const e of entries(base))
      if (e.dir && !e.name.startsWith(".")) walk(join(base, e.name), segments, out, seen);
    return;
  }
  if (!hasMagic(head)) {
    const next = join(base, head);
    if (rest.length === 0) {
      try {
        if (statSync(next).isFile()) out.add(next);
      } catch {
        // not there: a glob simply does not match it
      }
    } else walk(next, rest, out, seen);
    return;
  }
  const re = segmentRegExp(head);
  for (const e of entries(base)) {
    if (e.name.startsWith(".") && !head.startsWith(".")) continue;
    if (!re.test(e.name)) continue;
    const next = join(base, e.name);
    if (rest.length === 0) {
      if (!e.dir) out.add(next);
    } else if (e.dir) walk(next, rest, out, seen);
  }
}

export interface Expanded {
  /** Absolute paths, in pattern order, each once (a glob's matches sorted). */
  files: string[];
  /** Globs that matched nothing. */
  empty: string[];
}

export function expandGlobs(patterns: readonly string[], cwd = process.cwd()): Expanded {
  const files: string[] = [];
  const have = new Set<string>();
  const empty: string[] = [];
  const add = (file: string) => {
    if (!have.has(file)) {
      have.add(file);
      files.push(file);
    }
  };
  for (const pattern of patterns) {
    if (!hasMagic(pattern)) {
      add(resolve(cwd, pattern));
      continue;
    }
    const normalized = pattern.split(sep).join("/");
    const absolute = isAbsolute(pattern);
    const segments = normalized.split("/").filter((s, i) => s !== "" || (i === 0 && absolute));
    // The literal prefix becomes the base directory.
    let base = absolute ? "/" : cwd;
    if (absolute && segments[0] === "") segments.shift();
    while (segments.length > 1 && !hasMagic(segments[0]!)) base = join(base, segments.shift()!);
    const found = new Set<string>();
    walk(resolve(base), segments, found, new Set());
    if (found.size === 0) empty.push(pattern);
    for (const file of [...found].sort()) add(file);
  }
  return { files, empty };
}
