// One help page (a decompiled CHM topic) as plain text in sections: its title, the text under
// each heading, the term/definition pairs (parameter lists) and table rows (enum members) in it.
import { Parser } from "htmlparser2";

export interface PageSection {
  /** The heading text; "" for what comes before the first heading. */
  heading: string;
  text: string;
  pairs: Array<{ term: string; definition: string }>;
  rows: string[][];
}

export interface HtmlPage {
  title: string;
  sections: PageSection[];
}

const SKIPPED = new Set(["script", "style", "head", "noscript"]);
const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);
const BLOCKS = new Set([
  "p",
  "div",
  "br",
  "li",
  "tr",
  "pre",
  "dt",
  "dd",
  "table",
  "ul",
  "ol",
  "dl",
  "blockquote",
  "section",
]);

export function parseHtmlPage(html: string): HtmlPage {
  let title = "";
  let skipping = 0;
  let inTitle = false;
  let heading: string | null = null;
  let preDepth = 0;
  let section: { heading: string; parts: string[]; pairs: PageSection["pairs"]; rows: string[][] } = {
    heading: "",
    parts: [],
    pairs: [],
    rows: [],
  };
  const sections = [section];
  let term: string | null = null;
  let definition: string | null = null;
  let row: string[] | null = null;
  // Rows of only <th> cells are table headers, not data.
  let rowHasData = false;
  let cell: string | null = null;

  const text = (chunk: string) => {
    if (inTitle) title += chunk;
    if (skipping) return;
    if (heading !== null) {
      heading += chunk;
      return;
    }
    section.parts.push(preDepth ? chunk : chunk.replace(/\s+/g, " "));
    if (term !== null) term += chunk;
    if (definition !== null) definition += chunk;
    if (cell !== null) cell += chunk;
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (name === "title") inTitle = true;
        if (SKIPPED.has(name)) skipping++;
        if (skipping) return;
        if (HEADINGS.has(name)) heading = "";
        else if (name === "pre") preDepth++;
        else if (name === "dt") term = "";
        else if (name === "dd") definition = "";
        else if (name === "tr") {
          row = [];
          rowHasData = false;
        } else if ((name === "td" || name === "th") && row) {
          cell = "";
          if (name === "td") rowHasData = true;
        }
        if (BLOCKS.has(name)) section.parts.push("\n");
        if ((name === "td" || name === "th") && row?.length) section.parts.push(" | ");
      },
      ontext: text,
      onclosetag(name) {
        if (name === "title") inTitle = false;
        if (SKIPPED.has(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping) return;
        if (HEADINGS.has(name) && heading !== null) {
          section = { heading: clean(heading), parts: [], pairs: [], rows: [] };
          sections.push(section);
          heading = null;
          return;
        }
        if (name === "pre") preDepth = Math.max(0, preDepth - 1);
        if (name === "dt" && term !== null) {
          section.pairs.push({ term: clean(term), definition: "" });
          term = null;
        }
        if (name === "dd" && definition !== null) {
          const last = section.pairs.at(-1);
          if (last && last.definition === "") last.definition = clean(definition);
          definition = null;
        }
        if ((name === "td" || name === "th") && row && cell !== null) {
          row.push(clean(cell));
          cell = null;
        }
        if (name === "tr" && row) {
          if (row.length && rowHasData) section.rows.push(row);
          row = null;
        }
        if (BLOCKS.has(name)) section.parts.push("\n");
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return {
    title: clean(title),
    sections: sections
      .map((s) => ({ heading: s.heading, text: joinLines(s.parts.join("")), pairs: s.pairs, rows: s.rows }))
      .filter((s) => s.heading || s.text || s.pairs.length || s.rows.length),
  };
}

function clean(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Lines trimmed, runs of blank lines folded to one. */
function joinLines(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/[ \t]+$/g, "").replace(/^ +/, ""))
    .filter((line, i, lines) => line !== "" || (i > 0 && lines[i - 1] !== ""))
    .join("\n")
    .trim();
}
