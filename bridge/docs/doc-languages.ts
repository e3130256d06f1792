// Which references an app has, one per language, without loading the docs store: the MCP
// tools ask it to search the reference a connected host speaks.
import type { Adapter, DocsSource } from "../../adapters/types.js";

/** An adapter's own references: its first, then the ones in its other languages. */
export function docsSourcesOf(adapter: Adapter): Array<{ source: DocsSource; language: string }> {
  if (!adapter.docs) return [];
  return [adapter.docs, ...(adapter.moreDocs ?? [])].map((source) => ({
    source,
    language: source.language ?? adapter.language,
  }));
}

/** The languages `app`'s references are in (an app reading another's: that one's); none if unknown. */
export function docsLanguagesOf(adapters: ReadonlyMap<string, Adapter>, app: string): string[] {
  const adapter = adapters.get(app);
  const stand = adapter?.docs?.readsDocsOf;
  if (stand) return docsLanguagesOf(adapters, stand);
  return adapter ? docsSourcesOf(adapter).map(({ language }) => language) : [];
}
