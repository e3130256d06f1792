// /api/macros: list, read, save, remove and run recorded macros, their versions (history,
// diff, revert) and their tests. Parameter values reach the code only as data
// (WrapOptions.params → the variable `params`), never spliced into it.
import { Router } from "express";
import { z } from "zod";
import type { Logger } from "../logger.js";
import type { TestResults } from "../macro-tests/results.js";
import type { TestHosts } from "../macro-tests/test-hosts.js";
import { testMacro } from "../macro-tests/test-macro.js";
import { MacroError } from "../macros/errors.js";
import { MacroHash } from "../macros/schema.js";
import type { MacroStore, StoredMacro } from "../macros/store.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import { MAX_RUN_TIMEOUT_MS } from "../runs/outcome.js";
import { firstIssueText } from "../zod-issue.js";

export interface MacroRoutesOptions {
  macros: MacroStore;
  dispatcher: Dispatcher;
  logger: Logger;
  /** Where macro tests run and their results are kept; absent: the test routes answer 501. */
  tests?: { hosts: TestHosts; results: TestResults };
}

const RunBody = z.strictObject({
  params: z.record(z.string(), z.unknown()).optional(),
  app: z.string().min(1).max(64).optional(),
  host: z.string().min(1).max(128).optional(),
  timeoutMs: z.number().int().positive().max(MAX_RUN_TIMEOUT_MS).optional(),
});

const Version = z.coerce.number().int().min(1);

const RevertBody = z.strictObject({
  version: z.number().int().min(1),
  message: z.string().max(2000).optional(),
  via: z.enum(["panel", "api"]).optional(),
});

const TestBody = z.strictObject({
  timeoutMs: z.number().int().positive().max(MAX_RUN_TIMEOUT_MS).optional(),
});

const ApproveBody = z.strictObject({
  /** The version the person saw: refused (409) if the macro changed since. */
  hash: MacroHash.optional(),
  via: z.enum(["panel", "api"]).optional(),
});

export function macroRoutes(options: MacroRoutesOptions): Router {
  const { macros } = options;
  const router = Router();

  router.get("/", (_req, res) => {
    res.json(macros.list().macros);
  });

  // "_" never starts a macro name, so this cannot shadow one.
  router.get("/_problems", (_req, res) => {
    res.json(macros.list().problems);
  });

  router.get("/:name", (req, res) => {
    res.json(publicMacro(macros.get(req.params.name)));
  });

  router.post("/", async (req, res) => {
    // Whoever holds the token and saves here (the chat panel's "Save as macro", an API client)
    // is a person choosing this code, whatever session it came from: it needs no review.
    const saved = await macros.save(req.body, { replace: req.query.replace === "true", review: "api" });
    options.logger.info({ macro: saved.name, app: saved.app, version: saved.version }, "macro saved");
    res.status(201).json(publicMacro(saved));
  });

  router.delete("/:name", async (req, res) => {
    await macros.remove(req.params.name);
    options.logger.info({ macro: req.params.name }, "macro removed");
    res.status(204).end();
  });

  router.get("/:name/history", async (req, res) => {
    res.json(await macros.versions(req.params.name));
  });

  router.get("/:name/diff", async (req, res) => {
    const version = (key: "a" | "b") => {
      const raw = req.query[key];
      if (raw === undefined || raw === "") return undefined;
      const parsed = Version.safeParse(raw);
      if (!parsed.success)
        throw new MacroError(
          400,
          "bad-request",
          `${key}: a version is a whole number from 1, got "${String(raw)}"`,
        );
      return parsed.data;
    };
    res.json(await macros.diff(req.params.name, version("a"), version("b")));
  });

  // A person brings an earlier version back as the next one.
  router.post("/:name/revert", async (req, res) => {
    const parsed = RevertBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new MacroError(400, "bad-request", firstIssueText(parsed.error, "request"));
    const { version, message, via } = parsed.data;
    const reverted = await macros.revert(req.params.name, version, {
      via: via ?? "api",
      ...(message ? { message } : {}),
    });
    options.logger.info({ macro: reverted.name, from: version, version: reverted.version }, "macro reverted");
    res.json(publicMacro(reverted));
  });

  // The macro's tests and their last result (this version's, and the last of any version).
  router.get("/:name/tests", async (req, res) => {
    const macro = macros.get(req.params.name);
    const view = await macros.versions(req.params.name);
    const version = view.versions.find((v) => v.current)?.version ?? view.versions.at(-1)!.version;
    const results = options.tests?.results;
    res.json({
      name: macro.name,
      version,
      hash: macro.hash,
      tests: macro.tests ?? [],
      result: results?.last(macro.name, { version, hash: macro.hash }) ?? null,
      last: results?.last(macro.name) ?? null,
    });
  });

  router.post("/:name/test", async (req, res) => {
    const parsed = TestBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new MacroError(400, "bad-request", firstIssueText(parsed.error, "request"));
    if (!options.tests) throw new MacroError(501, "no-test-hosts", "this bridge cannot run macro tests");
    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    const report = await testMacro(
      req.params.name,
      { macros, ...options.tests },
      {
        signal: abort.signal,
        ...(parsed.data.timeoutMs ? { timeoutMs: parsed.data.timeoutMs } : {}),
      },
    );
    options.logger.info(
      { macro: report.macro, version: report.version, passed: report.passed, failed: report.failed },
      "macro tests finished",
    );
    res.json(report);
  });

  // A person approves the code of a macro an agent saved (the chat panel, or an API client).
  router.post("/:name/approve", async (req, res) => {
    const parsed = ApproveBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new MacroError(400, "bad-request", firstIssueText(parsed.error, "request"));
    const approved = await macros.approve(req.params.name, {
      via: parsed.data.via ?? "api",
      ...(parsed.data.hash ? { hash: parsed.data.hash } : {}),
    });
    options.logger.info({ macro: approved.name, hash: approved.hash }, "macro approved");
    res.json(publicMacro(approved));
  });

  router.post("/:name/run", async (req, res) => {
    const parsed = RunBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new MacroError(400, "bad-request", firstIssueText(parsed.error, "request"));
    const body = parsed.data;
    const { macro, params } = macros.prepareRun(req.params.name, body.params);
    macros.requireReviewed(macro);
    if (body.app && body.app !== macro.app)
      throw new MacroError(
        400,
        "bad-request",
        `app: macro ${macro.name} is for ${macro.app}, not ${body.app}`,
      );
    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    const response = await options.dispatcher.run({
      ...(body.host ? { host: body.host } : { app: macro.app }),
      code: macro.code,
      language: macro.language,
      timeoutMs: body.timeoutMs,
      wrap: { params },
      undoable: true,
      signal: abort.signal,
    });
    options.logger.info(
      { macro: macro.name, host: response.hostId, outcome: response.outcome, ms: response.durationMs },
      "macro run finished",
    );
    res.json(response);
  });

  return router;
}

/** A macro as the API shows it: without the local file path. */
function publicMacro(macro: StoredMacro): Omit<StoredMacro, "file"> {
  const { file: _file, ...rest } = macro;
  return rest;
}
