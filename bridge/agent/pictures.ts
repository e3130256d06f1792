// Pictures a session's tools returned (capture), kept beside its transcript: one file each,
// named by its content, so the JSONL holds a short reference instead of base64 and stays small.
// The model gets the picture back from the file when a session continues; the chat panel reads
// it through GET /api/sessions/:id/pictures/:file.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type Anthropic from "@anthropic-ai/sdk";
import { ensurePrivateDir } from "../data-dir.js";

/** A stored picture as events, transcript records and the panel name it. */
export interface PictureRef {
  /** The file name in the session's pictures folder. */
  file: string;
  mediaType: string;
  width: number;
  height: number;
  label: string;
  bytes: number;
  /** Estimated image tokens. */
  tokens: number;
}

/** How an image block is written in the JSONL: its file instead of its bytes. */
export const STORED_PICTURE = "scriptwright-picture";

const FILE_PATTERN = /^[a-f0-9]{16}\.(png|jpg|webp|gif)$/;
const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
};
const MEDIA_TYPES = Object.fromEntries(Object.entries(EXTENSIONS).map(([type, ext]) => [ext, type]));

/** What a missing file turns into when a session continues. */
const GONE = "[a picture that is no longer stored]";

export class SessionPictures {
  constructor(readonly dir: string) {}

  /** Writes the picture once (its name is its hash) and returns its file name. */
  save(data: Buffer, mediaType: string): string {
    const extension = EXTENSIONS[mediaType] ?? "png";
    const file = `${createHash("sha256").update(data).digest("hex").slice(0, 16)}.${extension}`;
    const path = join(ensurePrivateDir(this.dir), file);
    if (!existsSync(path)) writeFileSync(path, data, { mode: 0o600 });
    return file;
  }

  /** A stored picture, or null when the name is not one of ours or the file is gone. */
  load(file: string): { data: Buffer; mediaType: string } | null {
    if (!FILE_PATTERN.test(file)) return null;
    try {
      const data = readFileSync(join(this.dir, file));
      return { data, mediaType: MEDIA_TYPES[file.split(".").pop()!] ?? "image/png" };
    } catch {
      return null;
    }
  }

  /** The message as the JSONL keeps it: each base64 image (also inside tool results) as a file reference. */
  stored(message: Anthropic.MessageParam): Anthropic.MessageParam {
    return mapImages(message, (block) => {
      if (block.source.type !== "base64") return block;
      const file = this.save(Buffer.from(block.source.data, "base64"), block.source.media_type);
      return {
        type: "image",
        source: { type: STORED_PICTURE, media_type: block.source.media_type, file },
      } as unknown as Anthropic.ImageBlockParam;
    });
  }

  /** The message as the model takes it again: each file reference as base64, or a note when it is gone. */
  loaded(message: Anthropic.MessageParam): Anthropic.MessageParam {
    return mapImages(message, (block) => {
      const source = block.source as unknown as { type: string; file?: string };
      if (source.type !== STORED_PICTURE) return block;
      const picture = source.file ? this.load(source.file) : null;
      if (!picture) return { type: "text", text: GONE };
      return {
        type: "image",
        source: {
          type: "base64",
          media_type: picture.mediaType as Anthropic.Base64ImageSource["media_type"],
          data: picture.data.toString("base64"),
        },
      };
    });
  }
}

type ImageMapper = (block: Anthropic.ImageBlockParam) => Anthropic.ImageBlockParam | Anthropic.TextBlockParam;

function mapImages(message: Anthropic.MessageParam, map: ImageMapper): Anthropic.MessageParam {
  if (typeof message.content === "string") return message;
  let changed = false;
  const content = message.content.map((block) => {
    if (block.type === "image") {
      changed = true;
      return map(block);
    }
    if (block.type === "tool_result" && Array.isArray(block.content)) {
      if (!block.content.some((inner) => inner.type === "image")) return block;
      changed = true;
      return {
        ...block,
        content: block.content.map((inner) => (inner.type === "image" ? map(inner) : inner)),
      } as Anthropic.ToolResultBlockParam;
    }
    return block;
  });
  return changed ? ({ ...message, content } as Anthropic.MessageParam) : message;
}
