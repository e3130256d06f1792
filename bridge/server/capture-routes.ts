// POST /api/capture: a picture of what is open in a host's app (the adapter's capture script,
// then the bridge's scaling, tiling and encoding). Failures are CaptureErrors with their status.
import { type RequestHandler, Router } from "express";
import { Transcript } from "../agent/transcript.js";
import type { Capturer } from "../capture/capture.js";
import { CaptureRequest } from "../capture/request.js";
import { captureResponse } from "../capture/response.js";
import type { Logger } from "../logger.js";
import { firstIssueText } from "../zod-issue.js";
import { sendError } from "./request-guards.js";

export function captureRoutes(capturer: Capturer, logger: Logger): Router {
  const router = Router();
  router.post("/", async (req, res) => {
    const parsed = CaptureRequest.safeParse(req.body);
    if (!parsed.success) {
      sendError(res, 400, "bad-request", firstIssueText(parsed.error, "body"));
      return;
    }
    // A client that goes away stops waiting in the host's queue.
    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    const { app, host, ...options } = parsed.data;
    const result = await capturer.capture({ app, host }, options, abort.signal);
    logger.info(
      { host: result.hostId, ms: result.durationMs, bytes: result.images.map((image) => image.bytes) },
      "capture finished",
    );
    res.json(captureResponse(result));
  });
  return router;
}

/**
 * GET /api/sessions/:id/pictures/:file → `{mediaType, data}` (base64): a picture a session's
 * tools returned, for the chat panel (JSON, so the page's token-carrying fetch can read it).
 */
export function sessionPicture(dataDir: string): RequestHandler {
  return (req, res) => {
    const id = String(req.params.id);
    const file = String(req.params.file);
    const picture = new Transcript(dataDir, id).pictures.load(file);
    if (!picture) {
      sendError(res, 404, "not-found", `session ${id} has no picture ${file}`);
      return;
    }
    res.json({ mediaType: picture.mediaType, data: picture.data.toString("base64") });
  };
}
