// Taking a run back: POST /api/hosts/:id/undo {force?, checkpoint?} (the chat panel's button) and
// POST /api/undo {app? | host?, force?, checkpoint?} (`scriptwright undo`, which may name only the
// app). Both answer what was restored (200), or an UndoError: 404 no such host, 409 nothing to
// undo / state unknown / refused, 501 an app without checkpoints, 502 the app failed to restore.
import { type Response, Router } from "express";
import { z } from "zod";
import type { Checkpoints, UndoRequest } from "../checkpoints/checkpoints.js";
import { firstIssueText } from "../zod-issue.js";
import { sendError } from "./request-guards.js";

const UndoOptions = {
  force: z.boolean().optional(),
  checkpoint: z.string().min(1).max(64).optional(),
};
const HostUndoBody = z.strictObject(UndoOptions);
const UndoBody = z.strictObject({
  app: z.string().min(1).max(64).optional(),
  host: z.string().min(1).max(128).optional(),
  ...UndoOptions,
});

export function undoRoutes(checkpoints: Checkpoints): Router {
  const router = Router();
  // A client that goes away stops waiting for the host; a restore already in the app goes on.
  const answer = (request: UndoRequest, res: Response) => {
    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    return checkpoints.undo(request, abort.signal);
  };

  router.post("/hosts/:id/undo", async (req, res) => {
    const parsed = HostUndoBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      sendError(res, 400, "bad-request", firstIssueText(parsed.error));
      return;
    }
    res.json(await answer({ ...parsed.data, host: req.params.id }, res));
  });

  router.post("/undo", async (req, res) => {
    const parsed = UndoBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      sendError(res, 400, "bad-request", firstIssueText(parsed.error));
      return;
    }
    res.json(await answer(parsed.data, res));
  });

  return router;
}
