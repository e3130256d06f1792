// /api/sessions: start an agent session, follow up, approve or deny a script, cancel,
// and watch its events (SSE). Transcripts are listed and read from disk.
import { type Response, Router } from "express";
import { z } from "zod";
import { APPROVAL_MODES } from "../agent/approval.js";
import type { SessionEvent } from "../agent/events.js";
import { type SessionManager, SessionRequestError } from "../agent/session-manager.js";
import { listSessions, summarize, Transcript } from "../agent/transcript.js";
import { firstIssueText } from "../zod-issue.js";

const text = z.string().min(1).max(100_000);
const StartBody = z.strictObject({
  prompt: text,
  app: z.string().max(64).optional(),
  host: z.string().max(128).optional(),
  model: z.string().max(128).optional(),
  approval: z.enum(APPROVAL_MODES).optional(),
  limits: z
    .strictObject({
      maxTurns: z.number().int().min(1).max(200).optional(),
      maxOutputTokens: z.number().int().min(1).optional(),
      wallTimeMs: z.number().int().min(1000).optional(),
    })
    .optional(),
});
const SearchQuery = z.object({
  q: z.string().trim().min(1, "give q, the words to look for").max(500),
  app: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
const MessageBody = z.strictObject({ text, model: z.string().max(128).optional() });
const ApprovalBody = z.strictObject({
  scriptId: z.string().min(1).max(64),
  approved: z.boolean(),
  code: z
    .string()
    .max(4 * 1024 * 1024)
    .optional(),
  reason: z.string().max(2000).optional(),
});

export function sessionRoutes(manager: SessionManager, dataDir: string): Router {
  const router = Router();

  router.get("/", (_req, res) => {
    res.json(listSessions(dataDir));
  });

  // Every session's scripts and outcomes: [{sessionId, at, app, scriptId, description, outcome, error?, snippet, score}].
  router.get("/search", (req, res) => {
    const query = parse(SearchQuery, req.query);
    res.json(
      manager.history.search(query.q, { limit: query.limit ?? 10, ...(query.app ? { app: query.app } : {}) }),
    );
  });

  router.post("/", (req, res) => {
    const body = parse(StartBody, req.body);
    res.status(201).json(manager.start(body));
  });

  router.get("/:id", (req, res) => {
    const records = new Transcript(dataDir, req.params.id).read();
    res.json({
      ...summarize(req.params.id, records, new Date().toISOString()),
      busy: manager.isBusy(req.params.id),
      pending: manager.pendingApprovals(req.params.id),
      records,
    });
  });

  router.post("/:id/messages", (req, res) => {
    const body = parse(MessageBody, req.body);
    const { after } = manager.message(req.params.id, body.text, body.model);
    res.status(202).json({ id: req.params.id, after });
  });

  router.post("/:id/approvals", (req, res) => {
    const body = parse(ApprovalBody, req.body);
    manager.approve(
      req.params.id,
      body.scriptId,
      body.approved
        ? { approved: true, ...(body.code !== undefined ? { code: body.code } : {}) }
        : { approved: false, reason: body.reason ?? "denied by the user" },
    );
    res.json({ ok: true });
  });

  router.post("/:id/cancel", (req, res) => {
    manager.cancel(req.params.id);
    res.json({ ok: true });
  });

  router.get("/:id/events", (req, res) => {
    const after = Number(req.headers["last-event-id"] ?? req.query.after ?? 0) || 0;
    // Events replayed while subscribing wait until the headers are out.
    const early: Array<[SessionEvent, number]> = [];
    let streaming = false;
    // Throws (an unknown session) before anything is sent: the error handler answers.
    const unsubscribe = manager.watch(
      req.params.id,
      (event, eventId) => (streaming ? writeEvent(res, event, eventId) : early.push([event, eventId])),
      after,
    );
    res.status(200);
    res.setHeader("Content-Type", "text/event-stream");
    res.setHeader("Connection", "keep-alive");
    res.flushHeaders();
    streaming = true;
    for (const [event, eventId] of early) writeEvent(res, event, eventId);
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
    req.on("close", () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  return router;
}

function writeEvent(res: Response, event: SessionEvent, eventId: number): void {
  res.write(`id: ${eventId}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new SessionRequestError(400, firstIssueText(parsed.error, "body"));
}
