// A capture as it leaves the bridge (HTTP JSON, what `scriptwright mcp` and the CLI read), and
// the one line that goes with a picture wherever it is shown (the model, MCP, the CLI).
import type { CaptureResult } from "./capture.js";

export interface CaptureImageBody {
  mediaType: string;
  width: number;
  height: number;
  label: string;
  /** base64 */
  data: string;
  bytes: number;
  tokens: number;
}

export interface CaptureResponse {
  hostId: string;
  app: string;
  images: CaptureImageBody[];
  notes: string[];
  capped?: { asked: number; width: number };
  durationMs: number;
}

export function captureResponse(result: CaptureResult): CaptureResponse {
  return {
    ...result,
    images: result.images.map((image) => ({ ...image, data: image.data.toString("base64") })),
  };
}

/** e.g. "blender-1: frame 1, frame 10 — 1024×301 PNG, 45.2 KB, ≈411 image tokens (note …)". */
export function captureCaption(
  capture: Pick<CaptureResponse, "hostId" | "notes"> & {
    images: readonly Pick<
      CaptureImageBody,
      "mediaType" | "width" | "height" | "label" | "bytes" | "tokens"
    >[];
  },
): string {
  const pictures = capture.images.map(
    (image) =>
      `${image.label} — ${image.width}×${image.height} ${formatName(image.mediaType)}, ${formatBytes(image.bytes)}, ≈${image.tokens} image tokens`,
  );
  const notes = capture.notes.length ? ` (${capture.notes.join("; ")})` : "";
  return `${capture.hostId}: ${pictures.join("; ")}${notes}`;
}

function formatName(mediaType: string): string {
  return (mediaType.split("/")[1] ?? mediaType).toUpperCase();
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
