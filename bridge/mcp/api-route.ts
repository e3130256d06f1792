// POST /api/mcp/run: how `scriptwright mcp` (stdio, another process) runs a script or macro
// under the approval policy, which lives in the bridge with the chat panel that approves.
// The caller names its policy: it holds the token, and a token holder may POST /api/run
// without any approval anyway, so this gives it nothing more.
import { Router } from "express";
import type { Logger } from "../logger.js";
import { sendError } from "../server/request-guards.js";
import { firstIssueText } from "../zod-issue.js";
import { GatedRunBody, type McpGate } from "./gate.js";

export function mcpApiRoutes(gate: McpGate, logger: Logger): Router {
  const router = Router();
  router.post("/run", async (req, res) => {
    const parsed = GatedRunBody.safeParse(req.body);
    if (!parsed.success) {
      sendError(res, 400, "bad-request", firstIssueText(parsed.error));
      return;
    }
    const { approval, ...request } = parsed.data;
    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    const answer = await gate.run(request, approval, abort.signal);
    logger.info(
      answer.status === "ran"
        ? { mcp: answer.status, host: answer.result.hostId, outcome: answer.result.outcome }
        : { mcp: answer.status },
      "mcp run",
    );
    res.json(answer);
  });
  return router;
}
