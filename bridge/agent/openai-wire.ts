// The wire format of an OpenAI-compatible chat-completions endpoint, both ways, for a loop whose
// history is Anthropic-shaped: tool definitions become `tools` (same names), tool_use blocks
// become `tool_calls` and tool_result blocks `tool` messages, pictures in tool results go as
// image parts of a user message (tool messages take only text) or, for a model that takes no
// images, as a line saying so; a reply (whole or streamed) becomes an Anthropic Message.
import { randomUUID } from "node:crypto";
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import type { TurnMessage, TurnRequest } from "./model-provider.js";

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type ChatTool = OpenAI.Chat.Completions.ChatCompletionFunctionTool;
type ContentPart = OpenAI.Chat.Completions.ChatCompletionContentPart;
type ChatUsage = OpenAI.Completions.CompletionUsage;

/** What stands for a picture the model cannot be shown: that it was taken, and where it is kept. */
export function pictureNotShown(savedAt: string | undefined): string {
  return `[a picture was taken but is not shown: the model in use does not take images${savedAt ? `; it is saved at ${savedAt}` : ""}]`;
}

export interface WireOptions {
  /** The model takes image parts. */
  images: boolean;
}

export function toChatTools(tools: readonly Anthropic.Tool[]): ChatTool[] {
  return tools.map((tool) => {
    // `$schema` is noise to a model and some servers' grammar converters reject it.
    const { $schema: _ignored, ...parameters } = tool.input_schema as Record<string, unknown>;
    return {
      type: "function",
      function: { name: tool.name, description: tool.description ?? "", parameters },
    };
  });
}

export function toChatMessages(request: TurnRequest, options: WireOptions): ChatMessage[] {
  const out: ChatMessage[] = [];
  const system = request.system.map((block) => block.text).join("\n\n");
  if (system) out.push({ role: "system", content: system });
  for (const message of request.messages) {
    if (message.role === "assistant") out.push(assistantMessage(message.content));
    else out.push(...userMessages(message.content, options, request.pictureFile));
  }
  return out;
}

function assistantMessage(content: Anthropic.MessageParam["content"]): ChatMessage {
  if (typeof content === "string") return { role: "assistant", content };
  const text = content
    .flatMap((block) => (block.type === "text" ? [block.text] : []))
    .join("")
    .trim();
  const calls = content.flatMap((block) =>
    block.type === "tool_use"
      ? [
          {
            id: block.id,
            type: "function" as const,
            function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
          },
        ]
      : [],
  );
  return {
    role: "assistant",
    content: text || (calls.length ? null : ""),
    ...(calls.length ? { tool_calls: calls } : {}),
  };
}

/**
 * A user turn: its tool results first (each must follow the assistant's tool calls directly),
 * then one user message with its text and any pictures.
 */
function userMessages(
  content: Anthropic.MessageParam["content"],
  options: WireOptions,
  pictureFile: TurnRequest["pictureFile"],
): ChatMessage[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const out: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of content) {
    if (block.type === "tool_result") {
      const { text, images } = resultContent(block.content);
      const pictures = images.flatMap((image) => imagePart(image) ?? []);
      const notShown = options.images
        ? ""
        : images.map((image) => `\n${pictureNotShown(pictureFile?.(image))}`).join("");
      out.push({
        role: "tool",
        tool_call_id: block.tool_use_id,
        content: `${text}${notShown}` || "(no output)",
      });
      if (pictures.length && options.images) {
        parts.push({ type: "text", text: `Pictures from tool call ${block.tool_use_id}:` }, ...pictures);
      }
    } else if (block.type === "text") {
      parts.push({ type: "text", text: block.text });
    } else if (block.type === "image") {
      const picture = imagePart(block);
      if (picture && options.images) parts.push(picture);
      else parts.push({ type: "text", text: pictureNotShown(pictureFile?.(block)) });
    }
  }
  if (parts.length) {
    const onlyText = parts.every((part) => part.type === "text");
    out.push({
      role: "user",
      content: onlyText ? parts.map((part) => (part as { text: string }).text).join("\n\n") : parts,
    });
  }
  return out;
}

function resultContent(content: Anthropic.ToolResultBlockParam["content"]): {
  text: string;
  images: Anthropic.ImageBlockParam[];
} {
  if (content === undefined) return { text: "", images: [] };
  if (typeof content === "string") return { text: content, images: [] };
  const texts: string[] = [];
  const images: Anthropic.ImageBlockParam[] = [];
  for (const block of content) {
    if (block.type === "text") texts.push(block.text);
    else if (block.type === "image") images.push(block);
  }
  return { text: texts.join("\n"), images };
}

function imagePart(block: Anthropic.ImageBlockParam): ContentPart | null {
  const { source } = block;
  if (source.type === "base64") {
    return { type: "image_url", image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  }
  if (source.type === "url") return { type: "image_url", image_url: { url: source.url } };
  return null;
}

/** Whether the request carries pictures (a model that takes none must get it again without). */
export function hasPictures(messages: readonly ChatMessage[]): boolean {
  return messages.some(
    (message) => Array.isArray(message.content) && message.content.some((part) => part.type === "image_url"),
  );
}

/** A tool call as the endpoint sent it, arguments still text. */
interface RawToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ReplyParts {
  text: string;
  toolCalls: RawToolCall[];
  finishReason: string | null;
  usage: ChatUsage | null;
}

/** A whole (non-streamed) completion's first choice. */
export function partsOfCompletion(completion: OpenAI.Chat.Completions.ChatCompletion): ReplyParts | null {
  const choice = completion.choices?.[0];
  if (!choice) return null;
  const message = choice.message;
  return {
    text: typeof message?.content === "string" ? message.content : "",
    toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
      call.type === "function" || "function" in call
        ? [
            {
              id: call.id ?? "",
              name: (call as { function: { name: string } }).function.name ?? "",
              arguments: (call as { function: { arguments: string } }).function.arguments ?? "",
            },
          ]
        : [],
    ),
    finishReason: choice.finish_reason ?? null,
    usage: completion.usage ?? null,
  };
}

/** Gathers a streamed reply chunk by chunk: text deltas, tool calls in pieces (by index), usage last. */
export class StreamedReply {
  readonly parts: ReplyParts = { text: "", toolCalls: [], finishReason: null, usage: null };
  private readonly byIndex = new Map<number, RawToolCall>();

  /** Takes one chunk; returns the text it added (for the text event), if any. */
  add(chunk: OpenAI.Chat.Completions.ChatCompletionChunk): string {
    if (chunk.usage) this.parts.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return "";
    if (choice.finish_reason) this.parts.finishReason = choice.finish_reason;
    const delta = choice.delta ?? {};
    (delta.tool_calls ?? []).forEach((piece, position) => {
      const index = typeof piece.index === "number" ? piece.index : position;
      let call = this.byIndex.get(index);
      if (!call) {
        call = { id: "", name: "", arguments: "" };
        this.byIndex.set(index, call);
        this.parts.toolCalls.push(call);
      }
      if (piece.id) call.id = piece.id;
      const name = piece.function?.name;
      // Most servers send the name once; some repeat it whole with every piece.
      if (name && call.name !== name) call.name += name;
      if (piece.function?.arguments) call.arguments += piece.function.arguments;
    });
    const text = typeof delta.content === "string" ? delta.content : "";
    this.parts.text += text;
    return text;
  }
}

/** The reply as the loop keeps it: an Anthropic Message (tool calls as tool_use, usage in its terms). */
export function toTurnMessage(parts: ReplyParts, model: string): TurnMessage {
  const content: Anthropic.ContentBlock[] = [];
  if (parts.text.trim()) content.push({ type: "text", text: parts.text, citations: null });
  const toolInputErrors: Record<string, string> = {};
  for (const call of parts.toolCalls) {
    const id = call.id || `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
    const parsed = parseArguments(call);
    if ("error" in parsed) toolInputErrors[id] = parsed.error;
    content.push({
      type: "tool_use",
      id,
      name: call.name,
      input: "input" in parsed ? parsed.input : {},
      caller: { type: "direct" },
    } as Anthropic.ToolUseBlock);
  }
  const cached = parts.usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const message = {
    id: `msg_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: parts.toolCalls.length
      ? "tool_use"
      : parts.finishReason === "length"
        ? "max_tokens"
        : "end_turn",
    stop_sequence: null,
    usage: {
      // Anthropic counts cache reads apart from input; so does the loop's usage.
      input_tokens: Math.max(0, (parts.usage?.prompt_tokens ?? 0) - cached),
      output_tokens: parts.usage?.completion_tokens ?? 0,
      cache_read_input_tokens: cached,
      cache_creation_input_tokens: 0,
    },
  } as unknown as TurnMessage;
  if (Object.keys(toolInputErrors).length) message.toolInputErrors = toolInputErrors;
  return message;
}

/**
 * A tool call's arguments as an object, or what is wrong with them in words the model can act
 * on. A JSON string holding the object (arguments encoded twice, as small models do) is accepted.
 */
function parseArguments(call: RawToolCall): { input: Record<string, unknown> } | { error: string } {
  if (!call.name) return { error: "the tool call has no tool name" };
  const raw = call.arguments.trim();
  if (!raw) return { input: {} };
  let value: unknown;
  try {
    value = JSON.parse(raw);
    if (typeof value === "string" && value.trim().startsWith("{")) value = JSON.parse(value);
  } catch (error) {
    return {
      error: `the arguments of your ${call.name} call are not valid JSON (${(error as Error).message}); they began: ${quoteStart(raw)}`,
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
    return { error: `the arguments of your ${call.name} call must be one JSON object, not ${kind}` };
  }
  return { input: value as Record<string, unknown> };
}

function quoteStart(text: string): string {
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
