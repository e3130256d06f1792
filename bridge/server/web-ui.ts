// The chat panel: static files from panels/web, served by the bridge itself (no CDN, no
// network beyond loopback), under a CSP that allows only this origin and no framing.
import express, { type Router } from "express";
import { packagePath } from "../../adapters/shared/package-path.js";

export const WEB_ROOT = packagePath("panels", "web");

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function webUi(): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader("Content-Security-Policy", CSP);
    next();
  });
  router.use(
    express.static(WEB_ROOT, { index: "index.html", dotfiles: "deny", fallthrough: true, etag: false }),
  );
  return router;
}
