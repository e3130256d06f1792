// GET /api/models: the models the endpoint in effect offers (its /v1/models), the provider, the
// endpoint and the model a new session would use, for the chat panel's picker and `models`.
// A failure of the endpoint is answered 502 (503: no key or model set up) with its message.
import { Router } from "express";
import { ModelEndpointError, ModelError } from "../agent/model-error.js";
import type { SessionManager } from "../agent/session-manager.js";

/** Long enough for a slow local server, short enough for a page waiting on it. */
const LIST_TIMEOUT_MS = 20_000;

export function modelRoutes(sessions: SessionManager): Router {
  const router = Router();
  router.get("/", async (_req, res) => {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), LIST_TIMEOUT_MS);
    res.on("close", () => stop.abort());
    try {
      res.json(await sessions.models(stop.signal));
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      if (error.kind !== "cancelled" || res.destroyed) throw new ModelEndpointError(error);
      throw new ModelEndpointError(
        new ModelError(
          "timeout",
          `the model endpoint did not list its models within ${LIST_TIMEOUT_MS / 1000} s`,
        ),
      );
    } finally {
      clearTimeout(timer);
    }
  });
  return router;
}
