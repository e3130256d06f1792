// `scriptwright docs …`: build, search, read and list run locally on the data dir;
// sync asks the running bridge, because it needs a connected app.
import { adapters } from "../../adapters/registry.js";
import { BridgeClient } from "../client/bridge-client.js";
import { type BuildAnswer, DocsService, type SearchMode } from "../docs/docs-service.js";
import { CliError, EXIT } from "./exit-codes.js";

interface Common {
  dataDir: string;
  app: string;
  version?: string;
  /** The reference's language (default: the app's own). */
  language?: string;
  json?: boolean;
}

const service = (dataDir: string) => new DocsService(dataDir, adapters);
const print = (json: boolean | undefined, value: unknown, human: () => string) =>
  process.stdout.write(`${json ? JSON.stringify(value) : human()}\n`);

/**
 * Builds the app's reference in `--language`, or without it every reference the app has
 * (Premiere: UXP and ExtendScript); with `--version`, those that have that version.
 */
export async function docsBuild(options: Common & { from?: string }): Promise<void> {
  const docs = service(options.dataDir);
  const { app, version, from } = options;
  let languages =
    options.language === undefined ? docs.trees(app).map((tree) => tree.language) : [options.language];
  if (options.language === undefined && version !== undefined && languages.length > 1) {
    const having = docs.trees(app).filter((tree) => tree.source.versions?.().includes(version));
    languages = having.length ? having.map((tree) => tree.language) : [docs.tree(app).language];
  }
  const built: BuildAnswer[] = [];
  for (const language of languages) built.push(await docs.build(app, version, from, undefined, language));
  const several = docs.trees(app).length > 1;
  // One build prints one object, as before; several print an array.
  print(options.json, built.length === 1 ? built[0] : built, () =>
    built.map((answer) => describeBuild("built", answer, "", several)).join("\n"),
  );
}

export async function docsSync(options: Common & { host?: string }): Promise<void> {
  const client = BridgeClient.fromDataDir(options.dataDir);
  if (!options.json) process.stderr.write(`syncing ${options.app} docs from the connected app…\n`);
  const synced = await client.post<BuildAnswer & { hostId: string; skipped: number }>("/api/docs/sync", {
    app: options.app,
    ...(options.host ? { host: options.host } : {}),
    ...(options.language ? { language: options.language } : {}),
  });
  print(options.json, synced, () => {
    const skipped = synced.skipped ? ` (${synced.skipped} entries skipped: unexpected shape)` : "";
    return describeBuild("synced", synced, ` from ${synced.hostId}${skipped}`);
  });
}

export function docsSearch(query: string, options: Common & { limit?: string; mode?: SearchMode }): void {
  const limit = options.limit === undefined ? undefined : positive(options.limit, "--limit");
  const answer = service(options.dataDir).search(options.app, query, {
    limit,
    version: options.version,
    language: options.language,
    mode: options.mode,
  });
  print(options.json, answer.hits, () => {
    if (!answer.hits.length) return `no matches in ${options.app} ${answer.version}`;
    return answer.hits.map((hit, i) => `${i + 1}. ${hit.symbol}  ${hit.path}\n   ${hit.snippet}`).join("\n");
  });
}

export function docsRead(path: string, options: Common & { offset?: string }): void {
  const offset = options.offset === undefined ? undefined : positive(options.offset, "--offset", true);
  const { version, language } = options;
  const page = service(options.dataDir).read(options.app, path, { offset, version, language });
  print(options.json, page, () => {
    const more =
      page.nextOffset === null
        ? ""
        : `\n… ${page.totalChars - page.nextOffset} more characters: scriptwright docs read --app ${options.app} ${page.path} --offset ${page.nextOffset}`;
    return `${page.text.trimEnd()}${more}`;
  });
}

export function docsLs(path: string | undefined, options: Common & { offset?: string }): void {
  const offset = options.offset === undefined ? undefined : positive(options.offset, "--offset", true);
  const { version, language } = options;
  const listing = service(options.dataDir).ls(options.app, path ?? "", { offset, version, language });
  print(options.json, listing, () => {
    const lines = listing.items.map((item) =>
      item.type === "folder"
        ? `${item.path}  (${item.files} files)`
        : `${item.path}${item.summary ? `  — ${item.summary}` : ""}`,
    );
    if (listing.nextOffset !== null) {
      lines.push(
        `… ${listing.total - listing.nextOffset} more: scriptwright docs ls --app ${options.app} ${listing.path} --offset ${listing.nextOffset}`,
      );
    }
    return [`${options.app} ${listing.version} (built: ${listing.versions.join(", ")})`, ...lines].join("\n");
  });
}

function describeBuild(verb: string, built: BuildAnswer, detail = "", several = false): string {
  const which = several ? ` ${built.language}` : "";
  const line = `${verb} ${built.app}${which} ${built.version} docs: ${built.entries} entries, ${built.members} members in ${built.ms} ms (${built.source})${detail}`;
  if (built.latest === built.version) return line;
  // An older version never takes over the default: say so, and how to read it.
  return `${line}\nnot the default: ${built.app} ${built.latest} is newer and stays the default; use this one with --version ${built.version}`;
}

function positive(value: string, flag: string, zeroOk = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1))
    throw new CliError(`${flag} takes a whole number, got "${value}"`, EXIT.usage);
  return n;
}
