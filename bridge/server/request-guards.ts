// Middleware shared by /api and /mcp: the bearer token (constant-time compare) and
// JSON-only request bodies. The Host/Origin guard runs before both, for every request.
import type { RequestHandler, Response } from "express";
import { bearerToken, tokenMatches } from "../security/token.js";

export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function requireToken(token: string): RequestHandler {
  return (req, res, next) => {
    if (tokenMatches(token, bearerToken(req.headers.authorization))) {
      next();
      return;
    }
    res.setHeader("WWW-Authenticate", 'Bearer realm="scriptwright"');
    sendError(
      res,
      401,
      "unauthorized",
      "missing or wrong token (Authorization: Bearer <token from bridge.json>)",
    );
  };
}

export const requireJsonBody: RequestHandler = (req, res, next) => {
  if (
    (req.method === "POST" || req.method === "PUT" || req.method === "PATCH") &&
    !req.is("application/json")
  ) {
    sendError(res, 415, "unsupported-media-type", "request bodies must be application/json");
    return;
  }
  next();
};
