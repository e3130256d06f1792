// The agent's `capture` tool, and `run_script`'s `capture` option: a picture of what is open in
// the app goes back to the model as an image block inside the tool result, with a one-line
// caption, and to the chat panel as a `pictures` event (files kept with the session).
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import type { CaptureResult, Capturer } from "../capture/capture.js";
import type { CaptureOptions } from "../capture/request.js";
import { captureCaption } from "../capture/response.js";
import type { SessionEvent } from "./events.js";
import type { PictureRef, SessionPictures } from "./pictures.js";

/** What the capture tool needs from the session. */
export interface CaptureToolContext {
  hostId: string;
  capturer?: Capturer;
  /** Where the session keeps its pictures (absent: the panel is not shown them). */
  pictures?: SessionPictures;
  emit: (event: SessionEvent) => void;
  signal: AbortSignal;
}

/** An image block's source, as the Anthropic API takes it. */
export interface ToolImage {
  mediaType: "image/png";
  /** base64 */
  data: string;
}

/** The pictures of one tool call, for the session's transcript (what the panel shows again). */
export interface ToolPictures {
  hostId: string;
  scriptId?: string;
  pictures: PictureRef[];
  notes: string[];
}

export interface CaptureAnswer {
  /** The caption, or why there is no picture. */
  text: string;
  ok: boolean;
  images?: ToolImage[];
  pictures?: ToolPictures;
}

/** Takes a picture on `host` (default: the session's) and says what it shows. */
export async function takePicture(
  options: CaptureOptions,
  host: string | undefined,
  ctx: CaptureToolContext,
  scriptId?: string,
): Promise<CaptureAnswer> {
  if (!ctx.capturer) return { text: "capture is not available in this bridge", ok: false };
  let result: CaptureResult;
  try {
    result = await ctx.capturer.capture({ host: host ?? ctx.hostId }, options, ctx.signal);
  } catch (error) {
    if (error instanceof ScriptwrightError) return { text: `no picture: ${error.message}`, ok: false };
    throw error;
  }
  const refs = result.images.map((image) => ({
    file: ctx.pictures?.save(image.data, image.mediaType) ?? "",
    mediaType: image.mediaType,
    width: image.width,
    height: image.height,
    label: image.label,
    bytes: image.bytes,
    tokens: image.tokens,
  }));
  const pictures: ToolPictures = {
    hostId: result.hostId,
    ...(scriptId ? { scriptId } : {}),
    pictures: refs,
    notes: result.notes,
  };
  if (ctx.pictures) ctx.emit({ type: "pictures", ...pictures });
  return {
    text: `picture of ${captureCaption({ ...result, images: refs })}`,
    ok: true,
    images: result.images.map((image) => ({
      mediaType: image.mediaType,
      data: image.data.toString("base64"),
    })),
    pictures,
  };
}
