// Small-model mode (`small-model` setting): small local models do better with fewer tools and
// fewer words, so they get the three tools a task needs and a short prompt that says plainly
// how to call them. The app's and language's notes stay: they are what makes a script right.
import type Anthropic from "@anthropic-ai/sdk";
import type { Adapter, LanguageKit } from "../../adapters/types.js";

export const SMALL_MODEL_TOOLS: readonly string[] = ["search_docs", "read_doc", "run_script"];

export function smallModelTools(tools: readonly Anthropic.Tool[]): Anthropic.Tool[] {
  return tools.filter((tool) => SMALL_MODEL_TOOLS.includes(tool.name));
}

export function smallModelPrompt(adapter: Adapter | undefined, app: string, kit: LanguageKit): string {
  const name = adapter?.displayName ?? app;
  return [
    `You are Scriptwright. You work inside ${name} by writing ${kit.language} scripts.`,
    "1. Not sure of an API name? Call search_docs, then read_doc on the best hit.",
    "2. Call run_script with the whole script and a one-line description.",
    "3. If it fails, fix the line the error names and call run_script again.",
    "4. When it worked, answer in one or two sentences what changed.",
    "Call tools through tool calling, arguments as one JSON object. Never write a tool call as text.",
    "",
    kit.promptNotes ?? "",
    "",
    adapter?.promptNotes ?? "",
  ]
    .join("\n")
    .trim();
}
