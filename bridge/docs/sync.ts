// Live introspection: asks a connected host for its API, in pages, and assembles the
// DocSet for the exact version it reports. All runs go to one host, so the list and the
// descriptions come from the same app.
import { z } from "zod";
import { DocsError } from "../../adapters/shared/docs-errors.js";
import { type DocSet, Entry } from "../../adapters/shared/docs-model.js";
import type { Adapter } from "../../adapters/types.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import type { RunResponse } from "../runs/outcome.js";
import { docsVersion } from "./doc-tree.js";

const Listing = z.object({ version: z.string().min(1), names: z.array(z.string()) });

/** Introspection results are large by design; one page must still fit a host frame. */
const MAX_PAGE_CHARS = 16 * 1024 * 1024;
const RUN_TIMEOUT_MS = 120_000;
/** A listing names every class of an app at once (Blender: about 2,000). */
export const MAX_LISTED_NAMES = 100_000;

export interface SyncProgress {
  done: number;
  total: number;
}

export interface SyncResult {
  docSet: DocSet;
  hostId: string;
  /** Entries the host described in a shape the model does not accept. */
  skipped: number;
}

export async function syncFromHost(options: {
  adapter: Adapter;
  pool: HostPool;
  dispatcher: Dispatcher;
  host?: string;
  onProgress?: (progress: SyncProgress & { version: string }) => void;
  /** Awaited before each run: a background sync lets people's runs on the host go first. */
  beforeRun?: (hostId: string) => Promise<void>;
}): Promise<SyncResult> {
  const { adapter, dispatcher } = options;
  const introspection = adapter.docs?.introspection;
  if (!introspection) throw new DocsError("no-source", `${adapter.displayName} has no live introspection`);
  const selection = options.pool.select({ app: adapter.app, host: options.host });
  if (!selection.ok) {
    throw new DocsError("sync-failed", `cannot sync ${adapter.displayName} docs: ${selection.message}`);
  }
  const hostId = selection.host.id;
  const run = async (code: string, params?: unknown): Promise<unknown> => {
    await options.beforeRun?.(hostId);
    const response = await dispatcher.run({
      host: hostId,
      ...(introspection.language ? { language: introspection.language } : {}),
      code,
      timeoutMs: RUN_TIMEOUT_MS,
      wrap: { params, maxValueChars: MAX_PAGE_CHARS, maxItems: MAX_LISTED_NAMES },
    });
    if (response.outcome !== "ok") throw syncFailure(adapter, response);
    return response.value;
  };

  const listing = Listing.safeParse(await run(introspection.listScript));
  if (!listing.success) {
    throw new DocsError(
      "sync-failed",
      `${adapter.displayName} answered the introspection listing in an unexpected shape`,
    );
  }
  const { names } = listing.data;
  const version = docsVersion(listing.data.version);
  options.onProgress?.({ done: 0, total: names.length, version });
  const entries: Entry[] = [];
  let skipped = 0;
  for (let start = 0; start < names.length; start += introspection.batchSize) {
    const batch = names.slice(start, start + introspection.batchSize);
    const described = await run(introspection.describeScript, { names: batch });
    if (!Array.isArray(described)) {
      throw new DocsError(
        "sync-failed",
        `${adapter.displayName} described a batch as something other than a list`,
      );
    }
    for (const item of described) {
      const entry = Entry.safeParse(item);
      if (entry.success) entries.push(entry.data);
      else skipped++;
    }
    options.onProgress?.({
      done: Math.min(names.length, start + batch.length),
      total: names.length,
      version,
    });
  }
  return {
    docSet: {
      app: adapter.app,
      version,
      source: `introspection of ${adapter.displayName} ${version}`,
      entries,
    },
    hostId,
    skipped,
  };
}

function syncFailure(adapter: Adapter, response: RunResponse): DocsError {
  const detail = response.error
    ? `${response.error.type ? `${response.error.type}: ` : ""}${response.error.message}`
    : "";
  return new DocsError(
    "sync-failed",
    `introspecting ${adapter.displayName} ended in ${response.outcome}: ${detail}`,
  );
}
