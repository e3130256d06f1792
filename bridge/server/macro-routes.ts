// /api/macros: list, read, save, remove and run recorded macros. Parameter values reach the
// code only as data (WrapOptions.params → the variable `params`), never spliced into it.
import { Router } from "express";
import { z } from "zod";
import type { Logger } from "../logger.js";
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
}

const RunBody = z.strictObject({
  params: z.record(z.string(), z.unknown()).optional(),
  app: z.string().min(1).max(64).optional(),
  host: z.string().min(1).max(128).optional(),
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

  router.post("/", (req, res) => {
    // Whoever holds the token and saves here (the chat panel's "Save as macro", an API client)
    // is a person choosing this code, whatever session it came from: it needs no review.
    const saved = macros.save(req.body, { replace: req.query.replace === "true", review: "api" });
    options.logger.info({ macro: saved.name, app: saved.app }, "macro saved");
    res.status(201).json(publicMacro(saved));
  });

  router.delete("/:name", (req, res) => {
    macros.remove(req.params.name);
    options.logger.info({ macro: req.params.name }, "macro removed");
    res.status(204).end();
  });

  // A person approves the code of a macro an agent saved (the chat panel, or an API client).
  router.post("/:name/approve", (req, res) => {
    const parsed = ApproveBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new MacroError(400, "bad-request", firstIssueText(parsed.error, "request"));
    const approved = macros.approve(req.params.name, {
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
