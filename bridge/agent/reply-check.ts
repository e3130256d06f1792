// Replies the loop cannot act on, whoever the model is: nothing at all, a tool call written as
// text instead of made, arguments that could not be read, a tool that does not exist. The
// model gets one hint saying what was wrong; a second such reply in a row ends the turn with
// a clear error (a small model would otherwise loop until the turn limit).
import type Anthropic from "@anthropic-ai/sdk";
import type { TurnMessage } from "./model-provider.js";

export type ReplyProblem =
  | { kind: "empty" }
  | { kind: "tool-call-as-text"; tool: string }
  | { kind: "bad-tool-calls"; details: string[] };

export function replyProblem(message: TurnMessage, toolNames: readonly string[]): ReplyProblem | null {
  const uses = message.content.filter((block): block is Anthropic.ToolUseBlock => block.type === "tool_use");
  const text = message.content
    .flatMap((block) => (block.type === "text" ? [block.text] : []))
    .join("")
    .trim();
  if (uses.length) {
    const details = uses.flatMap((use) => {
      const problem = toolCallProblem(use, message, toolNames);
      return problem ? [problem] : [];
    });
    return details.length ? { kind: "bad-tool-calls", details } : null;
  }
  if (!text) return message.stop_reason === "max_tokens" ? null : { kind: "empty" };
  const tool = toolCallInText(text, toolNames);
  return tool ? { kind: "tool-call-as-text", tool } : null;
}

/** Why this call cannot run (its tool_result says so to the model), or null when it can. */
export function toolCallProblem(
  use: Anthropic.ToolUseBlock,
  message: TurnMessage,
  toolNames: readonly string[],
): string | null {
  const inputError = message.toolInputErrors?.[use.id];
  if (inputError) return inputError;
  if (!toolNames.includes(use.name))
    return `there is no tool "${use.name}"; the tools are: ${toolNames.join(", ")}`;
  return null;
}

/** What the model is told after a reply it cannot act on, as the next user text. */
export function retryHint(problem: ReplyProblem, toolNames: readonly string[]): string | null {
  switch (problem.kind) {
    case "empty":
      return `Your last reply was empty: no text and no tool call. Call one of the tools (${toolNames.join(", ")}) through tool calling, or answer in text.`;
    case "tool-call-as-text":
      return `You wrote a call to ${problem.tool} as text, so it did not run. Tools run only when called through tool calling: call ${problem.tool} as a tool, with its arguments as one JSON object.`;
    case "bad-tool-calls":
      // Each call's tool_result already says what was wrong with it.
      return null;
  }
}

/** The error that ends the turn after a second reply in a row the loop cannot act on. */
export function giveUpMessage(problem: ReplyProblem, model: string): string {
  const who = model ? `the model ${model}` : "the model";
  switch (problem.kind) {
    case "empty":
      return `${who} sent an empty reply (no text and no tool call) again after being told; send the message again, or use a larger model`;
    case "tool-call-as-text":
      return `${who} again wrote a call to ${problem.tool} as text instead of calling the tool: it may not support tool calling; pick one that does (\`scriptwright models\`), or try small-model mode`;
    case "bad-tool-calls":
      return `${who} again made tool calls that could not be run (${problem.details.join("; ")}); a larger model, or small-model mode, may do better`;
  }
}

/**
 * The tool a reply names when the whole reply is a tool call written out as JSON (bare, in a
 * code fence or in <tool_call> tags), as small models do when they do not call tools.
 */
export function toolCallInText(text: string, toolNames: readonly string[]): string | null {
  const inner = text
    .trim()
    .replace(/^```[a-z]*\s*([\s\S]*?)\s*```$/i, "$1")
    .replace(/^<tool_call>\s*([\s\S]*?)\s*(<\/tool_call>)?$/i, "$1")
    .trim();
  if (!inner.startsWith("{") && !inner.startsWith("[")) return null;
  let value: unknown;
  try {
    value = JSON.parse(inner);
  } catch {
    return null;
  }
  const call = (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;
  if (!call || typeof call !== "object") return null;
  const fn = call.function as Record<string, unknown> | undefined;
  const name = call.name ?? call.tool ?? (typeof fn === "object" ? fn?.name : fn);
  return typeof name === "string" && toolNames.includes(name) ? name : null;
}
