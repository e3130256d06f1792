// Macros on disk: one JSON file per user macro in <data-dir>/macros/<name>.json (0600,
// written atomically), plus read-only starter macros shipped in scripts-lib/<app>/macros/.
// A user macro with a starter's name shadows the starter (saving one needs `replace`);
// removing it brings the starter back. A starter itself is never written or removed.
// Every file is checked with ajv against the schema derived from schema.ts, on load and on save.
import { randomBytes } from "node:crypto";
import { existsSync, linkSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { ErrorObject } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { packagePath } from "../../adapters/shared/package-path.js";
import { type Adapter, adapterLanguages } from "../../adapters/types.js";
import { ensurePrivateDir } from "../data-dir.js";
import { firstIssueText } from "../zod-issue.js";
import { MacroError } from "./errors.js";
import { compileParams, macroHash, validateParams } from "./params.js";
import {
  EMPTY_PARAMS,
  MACRO_FILE_JSON_SCHEMA,
  MACRO_NAME,
  type Macro,
  MacroInput,
  type ReviewVia,
} from "./schema.js";

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

  constructor(
    dataDir: string,
    private readonly options: MacroStoreOptions = {},
  ) {
    this.dir = join(dataDir, "macros");
    this.startersDir = options.startersDir ?? packagePath("scripts-lib");
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
   * Validates and writes a macro; 409 when the name is taken unless `replace`. `review`: a
   * person already approved this exact code (an agent saving a script the person approved).
   */
  save(input: unknown, options: { replace?: boolean; review?: ReviewVia } = {}): StoredMacro {
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
    const macro: Macro = {
      name: data.name,
      app: data.app,
      language,
      description: data.description,
      params,
      code: data.code,
      source: data.source ?? { kind: "api" },
      createdAt: new Date().toISOString(),
      hash: macroHash(data.code, params),
    };
    if (options.review) macro.review = { hash: macro.hash, at: macro.createdAt, via: options.review };
    if (!validateFile(macro)) throw new MacroError(400, "bad-request", ajvText(validateFile.errors));

    const target = join(this.dir, `${macro.name}.json`);
    const starter = this.starterFiles().some((f) => basename(f, ".json") === macro.name);
    if (!options.replace && starter && !existsSync(target)) {
      throw new MacroError(
        409,
        "exists",
        `"${macro.name}" is a starter macro (read-only); save with replace to shadow it with your own`,
      );
    }
    this.write(macro, target, options.replace ?? false);
    return { ...macro, starter: false, reviewed: isReviewed(macro), file: target };
  }

  /**
   * A person approves the macro's current code. `hash`, when given, must be the version the
   * person saw (409 otherwise: it changed meanwhile). Starters and macros a person saved need
   * no approval; approving them changes nothing.
   */
  approve(name: string, options: { via: ReviewVia; hash?: string }): StoredMacro {
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
    this.write(approved, file, true);
    return { ...approved, starter: false, reviewed: true, file };
  }

  /**
   * Approves a run's macro after a person approved that run as proposed. Best effort: a macro
   * changed or removed since it was proposed stays as it is (false), and the run goes on.
   */
  approveRun(name: string, hash: string): boolean {
    try {
      this.approve(name, { via: "approved-run", hash });
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

  /** Writes atomically; without `replace`, never over an existing file (409). */
  private write(macro: Macro, target: string, replace: boolean): void {
    ensurePrivateDir(this.dir);
    const temp = join(this.dir, `.${macro.name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    writeFileSync(temp, `${JSON.stringify(macro, null, 2)}\n`, { mode: 0o600 });
    try {
      if (replace) renameSync(temp, target);
      else {
        // link() never replaces: a macro saved meanwhile by someone else is not lost.
        try {
          linkSync(temp, target);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "EEXIST")
            throw new MacroError(409, "exists", `a macro named "${macro.name}" already exists (use replace)`);
          throw error;
        }
      }
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /** Removes a user macro; a starter is read-only (403). */
  remove(name: string): void {
    checkName(name);
    const target = join(this.dir, `${name}.json`);
    if (existsSync(target)) {
      rmSync(target);
      return;
    }
    if (this.starterFiles().some((f) => basename(f, ".json") === name))
      throw new MacroError(
        403,
        "read-only",
        `"${name}" is a starter macro shipped with Scriptwright: it cannot be removed`,
      );
    throw new MacroError(404, "not-found", `no macro named "${name}"`);
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
  if (macro.hash !== macroHash(macro.code, macro.params))
    return problem("its hash does not match its code and params (edited by hand? save it again)");
  try {
    compileParams(macro.params);
  } catch (error) {
    return problem((error as Error).message);
  }
  return { ok: true, macro: { ...macro, starter, reviewed: isReviewed(macro), file } };
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
