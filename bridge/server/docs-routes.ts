// /api/docs/*: the same functions the CLI and the agent's docs tools call.
import { Router } from "express";
import { z } from "zod";
import { DocsError } from "../../adapters/shared/docs-errors.js";
import type { DocsService, SearchMode } from "../docs/docs-service.js";
import { syncFromHost } from "../docs/sync.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { Logger } from "../logger.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import { firstIssueText } from "../zod-issue.js";

export interface DocsRoutesOptions {
  docs: DocsService;
  pool: HostPool;
  dispatcher: Dispatcher;
  logger: Logger;
}

const text = z.string().max(1000);
const count = z.coerce.number().int().nonnegative();
const SearchQuery = z.object({
  app: text,
  q: z.string().max(1000).default(""),
  limit: count.max(50).optional(),
  version: text.optional(),
  mode: z.enum(["text", "literal", "regex"]).optional(),
});
const ReadQuery = z.object({ app: text, path: text, offset: count.optional(), version: text.optional() });
const LsQuery = z.object({
  app: text,
  path: text.default(""),
  offset: count.optional(),
  version: text.optional(),
});
const SyncBody = z.strictObject({ app: text, host: text.optional() });
const BuildBody = z.strictObject({ app: text, version: text.optional() });

export function docsRoutes(options: DocsRoutesOptions): Router {
  const { docs } = options;
  const router = Router();

  router.get("/search", (req, res) => {
    const query = parse(SearchQuery, req.query);
    res.json(
      docs.search(query.app, query.q, {
        limit: query.limit,
        version: query.version,
        mode: query.mode as SearchMode,
      }),
    );
  });
  router.get("/read", (req, res) => {
    const query = parse(ReadQuery, req.query);
    res.json(docs.read(query.app, query.path, { offset: query.offset, version: query.version }));
  });
  router.get("/ls", (req, res) => {
    const query = parse(LsQuery, req.query);
    res.json(docs.ls(query.app, query.path, { offset: query.offset, version: query.version }));
  });
  router.post("/build", async (req, res) => {
    const body = parse(BuildBody, req.body);
    res.json(await docs.build(body.app, body.version));
  });
  router.post("/sync", async (req, res) => {
    const body = parse(SyncBody, req.body);
    const adapter = docs.adapter(body.app);
    const started = performance.now();
    const synced = await syncFromHost({
      adapter,
      pool: options.pool,
      dispatcher: options.dispatcher,
      host: body.host,
    });
    const built = docs.write(adapter, synced.docSet, started);
    options.logger.info(
      { app: built.app, version: built.version, entries: built.entries, ms: built.ms },
      "docs synced",
    );
    res.json({ ...built, hostId: synced.hostId, skipped: synced.skipped });
  });
  return router;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new DocsError("bad-query", firstIssueText(parsed.error, "request"));
}
