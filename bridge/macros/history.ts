// The macros' history as commits in a git repository whose work tree is the macro folder
// (<data-dir>/macros/.git): the main branch holds every user macro file, one commit per change
// (a save, a revert, an approval, a removal, or a file found changed on disk). Trailers name the
// macro, what happened and its version, and point to the previous commit of the same macro, and
// refs/macros/<hex name> points to its last one: a macro's history is read along its own chain,
// never by walking everyone's. Written with isomorphic-git (pure JavaScript, so no git binary
// is needed on the user's machine), loaded on first use; any git can read the repository.
// Callers hold the macros lock (MacroStore) around every write.
import * as fs from "node:fs";
import { existsSync } from "node:fs";
import { join } from "node:path";

type Git = typeof import("isomorphic-git");
let loaded: Promise<Git> | undefined;
const git = (): Promise<Git> => {
  loaded ??= import("isomorphic-git");
  return loaded;
};

/** What a commit did to its macro: save, revert and import make a new version. */
export type HistoryAction = "save" | "revert" | "import" | "approve" | "remove";
const NEW_VERSION: ReadonlySet<HistoryAction> = new Set(["save", "revert", "import"]);
const ACTIONS: ReadonlySet<string> = new Set(["save", "revert", "import", "approve", "remove"]);

export interface HistoryCommit {
  commit: string;
  action: HistoryAction;
  /** The version this commit made (save, revert, import) or acted on (approve, remove). */
  version: number;
  /** The message's first paragraph. */
  message: string;
  /** When it was committed (seconds precision). */
  at: string;
  previous: string | null;
}

const BRANCH = "refs/heads/main";
const AUTHOR = { name: "Scriptwright", email: "scriptwright@localhost" };

export class MacroHistory {
  private readonly gitdir: string;

  constructor(private readonly dir: string) {
    this.gitdir = join(dir, ".git");
  }

  /**
   * Commits `text` as the file of macro `name` (null: its removal) and returns the commit. The
   * file in the work tree must already hold `text` (it is written first: a crash in between
   * leaves a file newer than its history, which the next change commits as found on disk).
   */
  async record(
    name: string,
    text: string | null,
    action: HistoryAction,
    message: string,
  ): Promise<HistoryCommit> {
    const g = await git();
    await this.ensureRepo(g);
    const repo = { fs, dir: this.dir, gitdir: this.gitdir };
    const head = await this.resolve(BRANCH);
    const entries = head ? (await g.readTree({ ...repo, oid: head })).tree : [];
    const path = fileName(name);
    const kept = entries.filter((entry) => entry.path !== path);
    if (text !== null) {
      const oid = await g.writeBlob({ ...repo, blob: Buffer.from(text, "utf8") });
      kept.push({ mode: "100644", path, oid, type: "blob" });
    }
    kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const tree = await g.writeTree({ ...repo, tree: kept });
    const last = await this.last(name);
    const version = NEW_VERSION.has(action) ? (last?.version ?? 0) + 1 : (last?.version ?? 1);
    const trailers = [`Macro: ${name}`, `Action: ${action}`, `Version: ${version}`];
    if (last) trailers.push(`Previous: ${last.commit}`);
    const now = new Date();
    const stamp = {
      ...AUTHOR,
      timestamp: Math.floor(now.getTime() / 1000),
      timezoneOffset: now.getTimezoneOffset(),
    };
    const summary = oneParagraph(message);
    const commit = await g.writeCommit({
      ...repo,
      commit: {
        message: `${summary}\n\n${trailers.join("\n")}\n`,
        tree,
        parent: head ? [head] : [],
        author: stamp,
        committer: stamp,
      },
    });
    await g.writeRef({ ...repo, ref: BRANCH, value: commit, force: true });
    await g.writeRef({ ...repo, ref: macroRef(name), value: commit, force: true });
    // Keeps `git status` in the macro folder clean: the index matches what was committed.
    try {
      if (text === null) await g.updateIndex({ ...repo, filepath: path, remove: true, force: true });
      else
        await g.updateIndex({
          ...repo,
          filepath: path,
          add: true,
          oid: kept.find((e) => e.path === path)!.oid,
        });
    } catch {
      // The index is a convenience for people using git there; the history is in the commits.
    }
    return {
      commit,
      action,
      version,
      message: summary,
      at: new Date(stamp.timestamp * 1000).toISOString(),
      previous: last?.commit ?? null,
    };
  }

  /** The macro's last commit, or null when it has none. */
  async last(name: string): Promise<HistoryCommit | null> {
    const oid = await this.resolve(macroRef(name));
    return oid ? this.readCommit(oid) : null;
  }

  /** Every commit of the macro, oldest first. */
  async commits(name: string): Promise<HistoryCommit[]> {
    const chain: HistoryCommit[] = [];
    let next = await this.resolve(macroRef(name));
    while (next) {
      const commit = await this.readCommit(next);
      if (!commit) break;
      chain.push(commit);
      next = commit.previous;
    }
    return chain.reverse();
  }

  /** The macro's file as it was at `commit` (null when that commit removed it). */
  async fileAt(name: string, commit: string): Promise<string | null> {
    const g = await git();
    try {
      const { blob } = await g.readBlob({ fs, gitdir: this.gitdir, oid: commit, filepath: fileName(name) });
      return Buffer.from(blob).toString("utf8");
    } catch (error) {
      if ((error as { code?: string }).code === "NotFoundError") return null;
      throw error;
    }
  }

  private async readCommit(oid: string): Promise<HistoryCommit | null> {
    const g = await git();
    const { commit } = await g.readCommit({ fs, gitdir: this.gitdir, oid });
    const trailers = parseTrailers(commit.message);
    const action = trailers.get("Action");
    const version = Number(trailers.get("Version"));
    if (!action || !ACTIONS.has(action) || !Number.isInteger(version)) return null;
    return {
      commit: oid,
      action: action as HistoryAction,
      version,
      message: commit.message.split(/\n\s*\n/)[0]!.trim(),
      at: new Date(commit.committer.timestamp * 1000).toISOString(),
      previous: trailers.get("Previous") ?? null,
    };
  }

  private async resolve(ref: string): Promise<string | null> {
    if (!existsSync(join(this.gitdir, "HEAD"))) return null;
    const g = await git();
    try {
      return await g.resolveRef({ fs, gitdir: this.gitdir, ref });
    } catch (error) {
      if ((error as { code?: string }).code === "NotFoundError") return null;
      throw error;
    }
  }

  private async ensureRepo(g: Git): Promise<void> {
    if (existsSync(join(this.gitdir, "HEAD"))) return;
    await g.init({ fs, dir: this.dir, gitdir: this.gitdir, defaultBranch: "main" });
    // Temporary files of atomic writes are never history.
    fs.writeFileSync(join(this.gitdir, "info", "exclude"), ".*.tmp\n", { flag: "a" });
  }
}

function fileName(name: string): string {
  return `${name}.json`;
}

/** Macro names may hold `..` or end in `.lock`, which ref names may not: refs take the hex of the name. */
function macroRef(name: string): string {
  return `refs/macros/${Buffer.from(name, "utf8").toString("hex")}`;
}

function oneParagraph(message: string): string {
  const text = message.replace(/\s+/g, " ").trim();
  return text.length > 500 ? `${text.slice(0, 499)}…` : text || "(no message)";
}

function parseTrailers(message: string): Map<string, string> {
  const trailers = new Map<string, string>();
  const paragraphs = message.trim().split(/\n\s*\n/);
  for (const line of (paragraphs.at(-1) ?? "").split("\n")) {
    const match = /^([A-Za-z-]+): (.+)$/.exec(line.trim());
    if (match) trailers.set(match[1]!, match[2]!);
  }
  return trailers;
}
