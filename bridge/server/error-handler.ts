// The one place a failed HTTP request gets its answer. Routes throw; this sends a
// ScriptwrightError as `{error: {code, message}}` with its status, express's own refusals
// (a body it cannot read, too large) with theirs, and anything else as a 500 that says
// nothing of the bridge's insides (the log has the message).
import type { ErrorRequestHandler } from "express";
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import type { Logger } from "../logger.js";
import { sendError } from "./request-guards.js";

/**
 * What express and its middleware throw (the body parser, static files): an http-errors
 * error, its status numbered and `expose` saying whether its message is for the client.
 */
interface HttpError {
  status: number;
  expose: boolean;
  /** The body parser's reason, e.g. "entity.parse.failed". */
  type?: string;
}

function isHttpError(error: unknown): error is HttpError {
  const candidate = error as Partial<HttpError> | null;
  return typeof candidate?.status === "number" && typeof candidate.expose === "boolean";
}

export function errorHandler(options: { logger: Logger; maxBodyBytes: number }): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (res.headersSent) {
      // Part of an answer is out (an event stream): all that is left is to end it.
      options.logger.error({ err: (error as Error)?.message }, "request failed after its answer began");
      res.destroy();
      return;
    }
    if (error instanceof ScriptwrightError) {
      sendError(res, error.status, error.code, error.message);
    } else if (isHttpError(error) && error.type === "entity.parse.failed") {
      sendError(res, 400, "bad-json", "request body is not valid JSON");
    } else if (isHttpError(error) && error.type === "entity.too.large") {
      sendError(res, 413, "too-large", `request body is larger than ${options.maxBodyBytes} bytes`);
    } else {
      options.logger.error({ err: (error as Error)?.message }, "request failed");
      // Express's other refusals (a charset it cannot read, a malformed file path) keep their status.
      const status = isHttpError(error) ? error.status : 500;
      sendError(res, status, "internal", "the bridge failed to handle this request");
    }
  };
}
