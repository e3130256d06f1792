// Macros on disk: one JSON file per user macro in <data-dir>/macros/<name>.json (0600,
// written atomically), plus read-only starter macros shipped in scripts-lib/<app>/macros/.
// A user macro with a starter's name shadows the starter (saving one needs `replace`);
// removing it brings the starter back. A starter itself is never written or removed.
// Every file is checked with ajv against the schema derived from schema.ts, on load and on save.
// Every change is a commit in the macro folder's history (history.ts), made under one lock
// shared by every process using the data dir, so concurrent saves are all kept, in order;
// a file found changed on disk (or from before the history was kept) is committed first.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { ErrorObject } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { packagePath } from "../../adapters/shared/package-path.js";
import { type Adapter, adapterLanguages } from "../../adapters/types.js";
import { ensurePrivateDir } from "../data-dir.js";
import { withFileLock } from "../file-lock.js";
import { firstIssueText } from "../zod-issue.js";
import type { MacroDiff } from "./diff.js";
import { MacroError } from "./errors.js";
import { type HistoryAction, type HistoryCommit, MacroHistory } from "./history.js";
import { compileParams, macroHash, validateParams } from "./params.js";
import {
  EMPTY_PARAMS,
  MACRO_FILE_JSON_SCHEMA,
  MACRO_NAME,
  type Macro,
  MacroInput,
  type MacroSource,
  type ReviewVia,
} from "./schema.js";
import { checkTests } from "./tests.js";

export interface StoredMacro extends Macro {
  /** Shipped with Scriptwright (read-only). */
  starter: boolean;
  /**
   * False for code an agent session saved that no person has approved since (this exact
   * version): running it asks like any script. Everything else a person made or shipped.
   */
  reviewed: boolean;
  /** The file it was read from. */
  file: string;
}

/** A row of `list`: everything but the code. */
export type MacroSummary = Omit<StoredMacro, "code" | "file">;

/** A macro just written, with the version that write made. */
export type SavedMacro = StoredMacro & { version: number };

/** One version of a macro, as `macro history` lists it. */
export interface MacroVersion {
  version: number;
  /** The macro's hash at that version (code, params and tests). */
  hash: string;
  /** When that version was saved (the macro's own createdAt). */
  createdAt: string;
  /** Who saved it: a session, a file, the API, a person's revert. */
  source: MacroSource;
  message: string;
  /** The history commit that made it. */
  commit: string;
  /** A person approved this version's code (agent-saved code only needs it). */
  approved?: { at: string; via: ReviewVia };
  /** The version the file holds now. */
  current: boolean;
}

/** A macro's versions, oldest first; `removed` when its last change removed it. */
export interface MacroHistoryView {
  name: string;
  versions: MacroVersion[];
  removed: boolean;
  /** A starter shipped with Scriptwright that nobody saved over: its one version is not in the history. */
  starter: boolean;
}

/** Where a save came from, for the version's message when the caller gives none. */
function defaultMessage(source: MacroSource): string {
  switch (source.kind) {
    case "session":
      return `saved by agent session ${source.sessionId}`;
    case "file":
      return `saved from ${source.path}`;
    case "api":
      return "saved through the HTTP API";
    case "starter":
      return "starter";
    case "revert":
      return `revert to version ${source.version}`;
  }
}

/** A macro file that could not be used, and why. */
export interface MacroProblem {
  file: string;
  message: string;
}

export interface MacroStoreOptions {
  /** Known apps: saving checks the app and takes the language from its adapter. */
  adapters?: ReadonlyMap<string, Adapter>;
  /** Where starter macros live (default: the package's scripts-lib). */
  startersDir?: string;
}

const fileAjv = new Ajv2020({ allErrors: true, strict: false });
fileAjv.addFormat("date-time", (text: string) => !Number.isNaN(Date.parse(text)));
const validateFile = fileAjv.compile(MACRO_FILE_JSON_SCHEMA);

type Loaded = { ok: true; macro: StoredMacro } | { ok: false; problem: MacroProblem };

export class MacroStore {
  readonly dir: string;
  private readonly startersDir: string;
  private readonly history: MacroHistory;
  private readonly lockFile: string;

  constructor(
    dataDir: string,
    private readonly options: MacroStoreOptions = {},
  ) {
    this.dir = join(dataDir, "macros");
    this.startersDir = options.startersDir ?? packagePath("scripts-lib");
    this.history = new MacroHistory(this.dir);
    this.lockFile = join(dataDir, "macros.lock");
  }

  /** Every usable macro (user macros shadow starters of the same name) and every bad file. */
  list(): { macros: MacroSummary[]; problems: MacroProblem[] } {
    const byName = new Map<string, MacroSummary>();
    const problems: MacroProblem[] = [];
    const take = (loaded: Loaded) => {
      if (!loaded.ok) problems.push(loaded.problem);
      else if (!byName.has(loaded.macro.name)) {
        const { code: _code, file: _file, ...summary } = loaded.macro;
        byName.set(summary.name, summary);
      }
    };
    const userNames = new Set<string>();
    for (const file of this.userFiles()) {
      userNames.add(basename(file, ".json"));
      take(load(file, false));
    }
    // A user file with a starter's name shadows it even when the user file is broken.
    for (const file of this.starterFiles())
      if (!userNames.has(basename(file, ".json"))) take(load(file, true));
    return {
      macros: [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      problems,
    };
  }

  /** The macro called `name`: 404 when there is none, 422 when its file is bad. */
  get(name: string): StoredMacro {
    checkName(name);
    const user = join(this.dir, `${name}.json`);
    const file = existsSync(user) ? user : this.starterFiles().find((f) => basename(f, ".json") === name);
    if (!file) throw new MacroError(404, "not-found", `no macro named "${name}"`);
    const loaded = load(file, file !== user);
    if (!loaded.ok)
      throw new MacroError(422, "invalid-macro", `${loaded.problem.file}: ${loaded.problem.message}`);
    return loaded.macro;
  }

  /**
   * Validates and writes a macro as its next version; 409 when the name is taken unless
   * `replace`. `review`: a person already approved this exact code (an agent saving a script
   * the person approved). `message` (in the input) says why, in the history.
   */
  async save(input: unknown, options: { replace?: boolean; review?: ReviewVia } = {}): Promise<SavedMacro> {
    const parsed = MacroInput.safeParse(input);
    if (!parsed.success) throw new MacroError(400, "bad-request", firstIssueText(parsed.error, "macro"));
    const data = parsed.data;
    const adapter = this.options.adapters?.get(data.app);
    const language = data.language ?? adapter?.language;
    if (!language) {
      const known = [...(this.options.adapters?.keys() ?? [])].join(", ");
      throw new MacroError(
        400,
        "bad-request",
        `app: unknown app "${data.app}"${known ? ` (known: ${known})` : ""}; give its language to save a macro for it`,
      );
    }
    if (adapter && !adapterLanguages(adapter).includes(language)) {
      throw new MacroError(
        400,
        "bad-request",
        `language: ${adapter.displayName} runs ${adapterLanguages(adapter).join(" and ")}, not ${language}`,
      );
    }
    const params = data.params ?? EMPTY_PARAMS;
    compileParams(params);
    const tests = data.tests?.length ? checkTests(data.tests, params, data.name) : undefined;
    const macro: Macro = {
      name: data.name,
      app: data.app,
      language,
      description: data.description,
      params,
      code: data.code,
      source: data.source ?? { kind: "api" },
      createdAt: new Date().toISOString(),
      hash: macroHash(data.code, params, tests),
      ...(tests ? { tests } : {}),
    };
    if (options.review) macro.review = { hash: macro.hash, at: macro.createdAt, via: options.review };
    if (!validateFile(macro)) throw new MacroError(400, "bad-request", ajvText(validateFile.errors));

    const target = this.userFile(macro.name);
    const starter = this.starterFiles().some((f) => basename(f, ".json") === macro.name);
    return this.locked(async () => {
      await this.adopt(macro.name);
      if (!options.replace) {
        if (existsSync(target))
          throw new MacroError(409, "exists", `a macro named "${macro.name}" already exists (use replace)`);
        if (starter)
          throw new MacroError(
            409,
            "exists",
            `"${macro.name}" is a starter macro (read-only); save with replace to shadow it with your own`,
          );
      }
      const commit = await this.commitFile(macro, "save", data.message ?? defaultMessage(macro.source));
      return { ...macro, starter: false, reviewed: isReviewed(macro), file: target, version: commit.version };
    });
  }

  /**
   * A person approves the macro's current code. `hash`, when given, must be the version the
   * person saw (409 otherwise: it changed meanwhile). Starters and macros a person saved need
   * no approval; approving them changes nothing.
   */
  async approve(name: string, options: { via: ReviewVia; hash?: string }): Promise<StoredMacro> {
    checkName(name);
    return this.locked(async () => {
      await this.adopt(name);
      const macro = this.get(name);
      if (options.hash !== undefined && options.hash !== macro.hash)
        throw new MacroError(
          409,
          "changed",
          `macro ${name} changed since that version was shown (now ${macro.hash.slice(0, 12)}); read it again before approving`,
        );
      if (macro.reviewed) return macro;
      const { starter: _starter, reviewed: _reviewed, file, ...stored } = macro;
      const approved: Macro = {
        ...stored,
        review: { hash: macro.hash, at: new Date().toISOString(), via: options.via },
      };
      await this.commitFile(approved, "approve", `approved (${options.via})`);
      return { ...approved, starter: false, reviewed: true, file };
    });
  }

  /**
   * Approves a run's macro after a person approved that run as proposed. Best effort: a macro
   * changed or removed since it was proposed stays as it is (false), and the run goes on.
   */
  async approveRun(name: string, hash: string): Promise<boolean> {
    try {
      await this.approve(name, { via: "approved-run", hash });
      return true;
    } catch (caught) {
      if (caught instanceof MacroError) return false;
      throw caught;
    }
  }

  /** Throws 409 "unreviewed" for a macro a person has not approved, saying how to approve it. */
  requireReviewed(macro: StoredMacro): void {
    if (macro.reviewed) return;
    throw new MacroError(
      409,
      "unreviewed",
      `macro ${macro.name} was saved by an agent session and no person has approved its code yet: read it with \`scriptwright macro show ${macro.name}\`, then \`scriptwright macro approve ${macro.name}\` (or Approve in the chat panel's Macros view)`,
    );
  }

  /** Removes a user macro (its history stays: `revert` brings it back); a starter is read-only (403). */
  async remove(name: string): Promise<void> {
    checkName(name);
    await this.locked(async () => {
      await this.adopt(name);
      const target = this.userFile(name);
      if (existsSync(target)) {
        rmSync(target);
        await this.history.record(name, null, "remove", "removed");
        return;
      }
      if (this.starterFiles().some((f) => basename(f, ".json") === name))
        throw new MacroError(
          403,
          "read-only",
          `"${name}" is a starter macro shipped with Scriptwright: it cannot be removed`,
        );
      throw new MacroError(404, "not-found", `no macro named "${name}"`);
    });
  }

  /** Every version of the macro, oldest first (a removed macro's too). */
  async versions(name: string): Promise<MacroHistoryView> {
    checkName(name);
    return this.locked(async () => {
      await this.adopt(name);
      const commits = await this.history.commits(name);
      if (commits.length === 0) {
        // Nobody saved over a starter: its shipped file is its one version.
        const macro = this.get(name);
        return {
          name,
          removed: false,
          starter: macro.starter,
          versions: [
            {
              version: 1,
              hash: macro.hash,
              createdAt: macro.createdAt,
              source: macro.source,
              message: macro.starter ? "shipped with Scriptwright" : defaultMessage(macro.source),
              commit: "",
              current: true,
            },
          ],
        };
      }
      const last = commits.at(-1)!;
      const versions: MacroVersion[] = [];
      for (const commit of commits) {
        if (commit.action === "approve") {
          const approvedText = await this.history.fileAt(name, commit.commit);
          const review = approvedText ? (parseMacro(approvedText)?.review ?? null) : null;
          const target = versions.find((v) => v.version === commit.version);
          if (target && review && review.hash === target.hash)
            target.approved = { at: review.at, via: review.via };
          continue;
        }
        if (commit.action === "remove") continue;
        const text = await this.history.fileAt(name, commit.commit);
        const macro = text ? parseMacro(text) : null;
        versions.push({
          version: commit.version,
          hash: macro?.hash ?? "",
          createdAt: macro?.createdAt ?? commit.at,
          source: macro?.source ?? { kind: "api" },
          message: commit.message,
          commit: commit.commit,
          ...(macro?.review && macro.review.hash === macro.hash
            ? { approved: { at: macro.review.at, via: macro.review.via } }
            : {}),
          current: false,
        });
      }
      const removed = last.action === "remove";
      if (!removed) {
        const current = versions.findLast((v) => v.version === last.version);
        if (current) current.current = true;
      }
      return { name, versions, removed, starter: false };
    });
  }

  /** The macro as it was at `version` (404 naming the versions there are). */
  async atVersion(name: string, version: number, known?: MacroHistoryView): Promise<Macro> {
    const view = known ?? (await this.versions(name));
    const found = view.versions.find((v) => v.version === version);
    if (!found) {
      const n = view.versions.length;
      throw new MacroError(
        404,
        "no-version",
        `macro ${name} has no version ${version} (it has ${n === 1 ? "version 1" : `versions 1 to ${view.versions.at(-1)!.version}`})`,
      );
    }
    if (!found.commit) return stripStored(this.get(name));
    const text = await this.history.fileAt(name, found.commit);
    const macro = text ? parseMacro(text) : null;
    if (!macro)
      throw new MacroError(
        422,
        "invalid-macro",
        `version ${version} of macro ${name} is not a readable macro file`,
      );
    return macro;
  }

  /**
   * What changed from version `a` to version `b` (default: the last two; `a` alone: from `a`
   * to the current one). 404 for a version there is not; 400 when there is only one.
   */
  async diff(name: string, a?: number, b?: number): Promise<MacroDiff> {
    const view = await this.versions(name);
    const last = view.versions.at(-1)!.version;
    const to = b ?? last;
    const from = a ?? to - 1;
    if (from < 1)
      throw new MacroError(
        400,
        "bad-request",
        view.versions.length === 1
          ? `macro ${name} has only one version: nothing to compare yet`
          : `version ${to} is macro ${name}'s first: nothing before it to compare`,
      );
    const [older, newer] = [await this.atVersion(name, from, view), await this.atVersion(name, to, view)];
    const { macroDiff } = await import("./diff.js");
    return macroDiff(name, from, older, to, newer);
  }

  /**
   * A person brings back the code of an earlier version: it becomes the next version (nothing
   * is lost), saved by that person, so it needs no review even when an agent wrote it.
   */
  async revert(
    name: string,
    version: number,
    options: { via: "cli" | "panel" | "api"; message?: string },
  ): Promise<SavedMacro> {
    const view = await this.versions(name);
    const old = await this.atVersion(name, version, view);
    if (view.starter)
      throw new MacroError(
        403,
        "read-only",
        `"${name}" is a starter macro shipped with Scriptwright: it has only its one version`,
      );
    const { review: _review, ...rest } = old;
    const macro: Macro = {
      ...rest,
      source: { kind: "revert", version, via: options.via },
      createdAt: new Date().toISOString(),
      hash: macroHash(old.code, old.params, old.tests),
    };
    return this.locked(async () => {
      await this.adopt(name);
      const message = options.message
        ? `${options.message} (revert to version ${version})`
        : defaultMessage(macro.source);
      const commit = await this.commitFile(macro, "revert", message);
      return { ...macro, starter: false, reviewed: true, file: this.userFile(name), version: commit.version };
    });
  }

  /** Writes the macro's file atomically, then commits it. */
  private async commitFile(macro: Macro, action: HistoryAction, message: string): Promise<HistoryCommit> {
    ensurePrivateDir(this.dir);
    const text = `${JSON.stringify(macro, null, 2)}\n`;
    const temp = join(this.dir, `.${macro.name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    writeFileSync(temp, text, { mode: 0o600 });
    try {
      renameSync(temp, this.userFile(macro.name));
    } finally {
      rmSync(temp, { force: true });
    }
    return this.history.record(macro.name, text, action, message);
  }

  /**
   * A user file that differs from its last commit (from before the history was kept, edited by
   * hand, or written just before a crash) becomes a version first, so no change is lost.
   */
  private async adopt(name: string): Promise<void> {
    const target = this.userFile(name);
    let text: string;
    try {
      text = readFileSync(target, "utf8");
    } catch {
      return;
    }
    const last = await this.history.last(name);
    const committed = last && last.action !== "remove" ? await this.history.fileAt(name, last.commit) : null;
    if (committed === text) return;
    const why = !last
      ? "found on disk (saved before its history was kept)"
      : last.action === "remove"
        ? "found on disk after it was removed"
        : "found on disk, changed outside Scriptwright";
    await this.history.record(name, text, "import", why);
  }

  /** Runs `work` holding the lock every process using this data dir takes to change macros. */
  private locked<T>(work: () => Promise<T>): Promise<T> {
    ensurePrivateDir(this.dir);
    return withFileLock(this.lockFile, work);
  }

  private userFile(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  /** The macro and its checked parameter values (defaults filled in); nothing runs on error. */
  prepareRun(name: string, values: unknown): { macro: StoredMacro; params: Record<string, unknown> } {
    const macro = this.get(name);
    return { macro, params: validateParams(name, macro.params, values) };
  }

  private userFiles(): string[] {
    return jsonFiles(this.dir);
  }

  private starterFiles(): string[] {
    let apps: string[];
    try {
      apps = readdirSync(this.startersDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    } catch {
      return [];
    }
    return apps.flatMap((app) => jsonFiles(join(this.startersDir, app, "macros")));
  }
}

function jsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".json") && !name.startsWith("."))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

function checkName(name: string): void {
  if (!MACRO_NAME.test(name))
    throw new MacroError(
      400,
      "bad-request",
      `name: "${name}" is not a macro name (1-64 characters of a-z 0-9 . _ -, starting with a letter or digit)`,
    );
}

function load(file: string, starter: boolean): Loaded {
  const problem = (message: string): Loaded => ({ ok: false, problem: { file, message } });
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return problem(`not readable JSON: ${(error as Error).message}`);
  }
  if (!validateFile(data)) return problem(ajvText(validateFile.errors));
  const macro = data as Macro;
  const expected = basename(file, ".json");
  if (macro.name !== expected)
    return problem(`its name "${macro.name}" does not match the file name "${expected}"`);
  if (macro.hash !== macroHash(macro.code, macro.params, macro.tests))
    return problem("its hash does not match its code and params (edited by hand? save it again)");
  try {
    compileParams(macro.params);
  } catch (error) {
    return problem((error as Error).message);
  }
  return { ok: true, macro: { ...macro, starter, reviewed: isReviewed(macro), file } };
}

/** A macro file's text as a macro, or null when it is not one. */
function parseMacro(text: string): Macro | null {
  try {
    const data: unknown = JSON.parse(text);
    return validateFile(data) ? (data as Macro) : null;
  } catch {
    return null;
  }
}

function stripStored(macro: StoredMacro): Macro {
  const { starter: _starter, reviewed: _reviewed, file: _file, ...rest } = macro;
  return rest;
}

/** Code an agent session saved needs a person's approval of that exact version. */
function isReviewed(macro: Macro): boolean {
  return macro.source.kind !== "session" || macro.review?.hash === macro.hash;
}

function ajvText(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return "invalid macro";
  const path = first.instancePath.split("/").slice(1).join(".") || "macro";
  const extra =
    first.keyword === "additionalProperties"
      ? ` ("${(first.params as { additionalProperty: string }).additionalProperty}")`
      : first.keyword === "required"
        ? ` ("${(first.params as { missingProperty: string }).missingProperty}")`
        : "";
  return `${path}: ${first.message ?? "is invalid"}${extra}`;
}
