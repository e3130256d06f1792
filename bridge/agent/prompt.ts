// The system prompt: a stable part per app and language (cached across turns with
// cache_control) and a short live header (host, version, document, docs) after it.
import type Anthropic from "@anthropic-ai/sdk";
import type { Adapter, LanguageKit } from "../../adapters/types.js";

export interface LiveContext {
  hostId: string;
  appVersion: string;
  document: string | null;
  /** e.g. "blender 3.4.1", or null when no docs tree is built. */
  docs: string | null;
}

export function stablePrompt(adapter: Adapter | undefined, app: string, kit: LanguageKit): string {
  const name = adapter?.displayName ?? app;
  return [
    `You are Scriptwright, a scripting copilot working inside ${name}. You act by writing ${kit.language} scripts`,
    "that run inside the app (run_script), instead of calling one tool per operation: one script can do a",
    "whole sequence of edits.",
    "",
    "How to work:",
    "- Look up any API you are not sure of for this exact version: search_docs, then read_doc on the best",
    "  hit (paths like classes/X.md#member). Do not guess names.",
    "- Write one script that does the job and returns what you need to check it. Read the outcome; on an",
    "  error, fix the line it names and run again. get_app_state summarises what is open.",
    "- A script may need the user's approval, and may be denied: then do not retry it unchanged; explain",
    "  or ask. A `timeout` or `host-lost` outcome means the effect is unknown: check the state before",
    "  running it again.",
    "- Finish with a short answer saying what changed (names, counts). Keep prose brief.",
    "",
    `About ${kit.language}:`,
    kit.promptNotes ?? "",
    "",
    `About ${name}:`,
    adapter?.promptNotes ?? "",
  ]
    .join("\n")
    .trim();
}

export function liveHeader(live: LiveContext): string {
  return [
    `Host: ${live.hostId}, version ${live.appVersion}. Open document: ${live.document ?? "none (unsaved)"}.`,
    live.docs
      ? `Docs: ${live.docs}.`
      : "Docs: not built yet; the first search_docs makes them (it may take a moment) or says why it cannot.",
  ].join("\n");
}

/** The stable part is marked for caching; the live header changes per host and stays outside. */
export function systemBlocks(stable: string, live: LiveContext): Anthropic.TextBlockParam[] {
  return [
    { type: "text", text: stable, cache_control: { type: "ephemeral" } },
    { type: "text", text: liveHeader(live) },
  ];
}
