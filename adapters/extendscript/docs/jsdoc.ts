// JSDoc → plain text. Descriptions end up in Markdown files and search snippets, so they are
// flattened to one line and anything that Markdown would read as HTML is put in a code span.
import ts from "typescript";

export interface DocText {
  description?: string;
  /** `@param` text by parameter name, in tag order. */
  params: Array<{ name: string; text: string }>;
}

const EMPTY: DocText = { params: [] };

/** The JSDoc block closest to a declaration (a section header comment further up is ignored). */
function closestJsDoc(node: ts.Node): ts.JSDoc | undefined {
  const blocks = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  return blocks[blocks.length - 1];
}

export function docOf(node: ts.Node): DocText {
  const block = closestJsDoc(node);
  if (!block) return EMPTY;
  const parts: string[] = [];
  const main = plainText(ts.getTextOfJSDocComment(block.comment) ?? "");
  if (main) parts.push(main);
  const params: DocText["params"] = [];
  for (const tag of block.tags ?? []) {
    const text = plainText(ts.getTextOfJSDocComment(tag.comment) ?? "").replace(/^-\s*/, "");
    const tagName = tag.tagName.text;
    if (ts.isJSDocParameterTag(tag)) {
      if (text) params.push({ name: tag.name.getText(), text });
    } else if (tagName === "returns" || tagName === "return") {
      if (text) parts.push(`Returns: ${text}`);
    } else if (tagName === "deprecated") {
      parts.push(text ? `Deprecated: ${text}` : "Deprecated.");
    } else if (tagName === "version") {
      if (text) parts.push(`Version: ${text}`);
    } else if (tagName === "example") {
      if (text) parts.push(`Example: ${text.includes("`") ? text : `\`${text}\``}`);
    }
    // Other tags (@type, @class, vendor-specific ones) say nothing a script writer needs.
  }
  const description = joinSentences(parts);
  return description ? { description, params } : { params };
}

/** Joins text pieces, ending each but the last with punctuation so they read as sentences. */
export function joinSentences(parts: readonly string[]): string {
  return parts
    .filter((part) => part !== "")
    .map((part, i, all) => (i < all.length - 1 && !/[.!?:;]$/.test(part) ? `${part}.` : part))
    .join(" ");
}

const LINK = /\{@link(?:code|plain)?\s+([^}\s|]+)(?:[\s|]+([^}]*))?\}/g;
// `<a>`, `</font>`, `Array<number>`: Markdown would take these for HTML.
const HTML_LIKE = /[\w.$]*<\/?[A-Za-z][^<>\s]*(?:\s[^<>]*)?>/g;
// `"Javascript files:*.jsx;All files:*.*"`: Markdown would take the asterisks for emphasis.
const QUOTED_MARKUP = /"[^"]*[*_][^"]*"|“[^”]*[*_][^”]*”/g;

/** One line; `{@link X}` becomes a code span; HTML-like and markup-like text outside code spans is quoted. */
export function plainText(raw: string): string {
  const flat = raw
    .replace(LINK, (_match, target: string, label?: string) => label?.trim() || `\`${target}\``)
    .replace(/\s+/g, " ")
    .trim();
  return flat
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(HTML_LIKE, codeSpan).replace(QUOTED_MARKUP, codeSpan),
    )
    .join("");
}

function codeSpan(text: string): string {
  return `\`${text}\``;
}
