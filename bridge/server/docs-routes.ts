// /api/docs/*: the same functions the CLI and the agent's docs tools call. A missing tree is
// made first when the bridge can (auto-docs.ts); builds and syncs in progress are listed.
import { Router } from "express";
import { z } from "zod";
import { DocsError } from "../../adapters/shared/docs-errors.js";
import type { AutoDocs } from "../docs/auto-docs.js";
import { percent } from "../docs/docs-builds.js";
import type { DocsService, SearchMode } from "../docs/docs-service.js";
import { firstIssueText } from "../zod-issue.js";

export interface DocsRoutesOptions {
  docs: DocsService;
  autoDocs: AutoDocs;
}

const text = z.string().max(1000);
const count = z.coerce.number().int().nonnegative();
/** The reference's language (default: the app's own); `language=` on every docs call. */
const language = z.string().max(32).optional();
const SearchQuery = z.object({
  app: text,
  language,
  q: z.string().max(1000).default(""),
  limit: count.max(50).optional(),
  version: text.optional(),
  mode: z.enum(["text", "literal", "regex"]).optional(),
});
const ReadQuery = z.object({
  app: text,
  language,
  path: text,
  offset: count.optional(),
  version: text.optional(),
});
const LsQuery = z.object({
  app: text,
  language,
  path: text.default(""),
  offset: count.optional(),
  version: text.optional(),
});
const SyncBody = z.strictObject({ app: text, host: text.optional(), language });
const BuildBody = z.strictObject({ app: text, version: text.optional(), language });

export function docsRoutes(options: DocsRoutesOptions): Router {
  const { docs, autoDocs } = options;
  const router = Router();

  router.get("/search", async (req, res) => {
    const query = parse(SearchQuery, req.query);
    await docs.ready(query.app, query.version, query.language);
    res.json(
      docs.search(query.app, query.q, {
        limit: query.limit,
        version: query.version,
        language: query.language,
        mode: query.mode as SearchMode,
      }),
    );
  });
  router.get("/read", async (req, res) => {
    const query = parse(ReadQuery, req.query);
    await docs.ready(query.app, query.version, query.language);
    const { offset, version } = query;
    res.json(docs.read(query.app, query.path, { offset, version, language: query.language }));
  });
  router.get("/ls", async (req, res) => {
    const query = parse(LsQuery, req.query);
    await docs.ready(query.app, query.version, query.language);
    const { offset, version } = query;
    res.json(docs.ls(query.app, query.path, { offset, version, language: query.language }));
  });
  // What the chat panel shows while docs are being made: [{app, displayName, version, kind, percent, …}].
  router.get("/builds", (_req, res) => {
    res.json(autoDocs.builds.list().map((status) => ({ ...status, percent: percent(status) })));
  });
  router.post("/build", async (req, res) => {
    const body = parse(BuildBody, req.body);
    res.json(await autoDocs.build(body.app, body.version, body.language));
  });
  router.post("/sync", async (req, res) => {
    const body = parse(SyncBody, req.body);
    res.json(await autoDocs.sync(body.app, body.host, body.language));
  });
  return router;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new DocsError("bad-query", firstIssueText(parsed.error, "request"));
}
