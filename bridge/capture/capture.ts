// A capture, end to end: pick the host, check the request against what its app can show, run
// the adapter's capture script through the dispatcher (params bound as data, a private folder
// under the data dir for its files), then read the files it names and make one picture of them.
import { randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { type Adapter, type CaptureParams, type CaptureScript, captureFor } from "../../adapters/types.js";
import { ensurePrivateDir } from "../data-dir.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { Dispatcher } from "../runs/dispatcher.js";
import type { RunResponse } from "../runs/outcome.js";
import { CaptureError } from "./errors.js";
import { composePicture, estimateImageTokens, type Picture, tileSide } from "./picture.js";
import { type CaptureOptions, effectiveWidth, MAX_PICTURES } from "./request.js";

/** Rendering a few frames can take a while on a busy machine with no GPU. */
export const CAPTURE_TIMEOUT_MS = 60_000;

export interface CapturedImage {
  mediaType: Picture["mediaType"];
  width: number;
  height: number;
  label: string;
  /** The encoded picture. */
  data: Buffer;
  bytes: number;
  /** Estimated image tokens for a Claude model (width × height / 750). */
  tokens: number;
}

export interface CaptureResult {
  hostId: string;
  app: string;
  images: CapturedImage[];
  /** What the caller should know: a capped width, a view used in place of a missing camera, … */
  notes: string[];
  /** Set when the asked width was over the cap. */
  capped?: { asked: number; width: number };
  durationMs: number;
}

export interface CaptureParts {
  pool: HostPool;
  adapters: ReadonlyMap<string, Adapter>;
  dispatcher: Dispatcher;
  dataDir: string;
}

/** What the app's script must give back (adapters/types.ts CaptureValue). */
const CaptureValue = z.union([
  z.object({
    pictures: z
      .array(
        z.object({
          file: z.string().regex(/^[\w][\w.-]*$/),
          label: z.string().max(200),
          raw: z
            .object({
              width: z.number().int().min(1).max(16_384),
              height: z.number().int().min(1).max(16_384),
              channels: z.union([z.literal(3), z.literal(4)]),
            })
            .optional(),
        }),
      )
      .min(1)
      .max(MAX_PICTURES),
    notes: z.array(z.string().max(500)).max(20).optional(),
  }),
  z.object({ refused: z.string().min(1).max(2000) }),
]);

/** Largest file a capture may leave: beyond any picture worth sending. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

export class Capturer {
  constructor(private readonly parts: CaptureParts) {}

  /** Whether a connected host's app can show pictures, and in which language. */
  scriptFor(hostId: string): { language: string; script: CaptureScript } | undefined {
    const host = this.parts.pool.get(hostId);
    if (!host) return undefined;
    return captureFor(this.parts.adapters.get(host.app), host.language, (language) => host.speaks(language));
  }

  async capture(
    target: { app?: string; host?: string },
    options: CaptureOptions,
    signal?: AbortSignal,
  ): Promise<CaptureResult> {
    const started = performance.now();
    const selection = this.parts.pool.select(target);
    if (!selection.ok) throw new CaptureError(404, "no-host", selection.message);
    const host = selection.host;
    const adapter = this.parts.adapters.get(host.app);
    const found = this.scriptFor(host.id);
    if (!found) {
      const able = [...this.parts.adapters.values()].filter((a) => a.capture).map((a) => a.displayName);
      throw new CaptureError(
        501,
        "cannot-capture",
        `${adapter?.displayName ?? host.app} (host ${host.id}) cannot capture pictures yet${able.length ? `; apps that can: ${able.join(", ")}` : ""}`,
      );
    }
    const { language, script } = found;
    checkOptions(options, script, adapter?.displayName ?? host.app);
    const { width, capped } = effectiveWidth(options.width);
    const count = (options.frames?.length ?? 1) * (options.views?.length ?? 1);

    const dir = privateCaptureDir(this.parts.dataDir);
    try {
      const params: CaptureParams = {
        ...(options.frames ? { frames: options.frames } : {}),
        ...(options.views ? { views: options.views } : {}),
        ...(options.range ? { range: options.range } : {}),
        width: tileSide(count, width),
        dir,
      };
      const run = await this.parts.dispatcher.run({
        host: host.id,
        code: script.code,
        language,
        timeoutMs: script.timeoutMs ?? CAPTURE_TIMEOUT_MS,
        signal,
        // A capture is not the person's work: no undo step of its own (Blender's epilogue).
        wrap: { params, epilogue: undefined },
      });
      const value = captureValue(run, host.id);
      if ("refused" in value) throw new CaptureError(400, "capture-refused", value.refused);
      const sources = value.pictures.map((picture) => ({
        path: pictureFile(dir, picture.file),
        label: picture.label,
        ...(picture.raw ? { raw: picture.raw } : {}),
      }));
      let picture: Picture;
      try {
        picture = await composePicture(sources, width);
      } catch (error) {
        throw new CaptureError(
          502,
          "capture-failed",
          `${host.id} wrote a picture the bridge cannot read: ${(error as Error).message}`,
          { cause: error },
        );
      }
      const notes = [...(capped ? [capped] : []), ...(value.notes ?? [])];
      return {
        hostId: host.id,
        app: host.app,
        images: [
          {
            ...picture,
            bytes: picture.data.length,
            tokens: estimateImageTokens(picture.width, picture.height),
          },
        ],
        notes,
        ...(capped ? { capped: { asked: options.width!, width } } : {}),
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The request against what the app's capture takes: a clear error before any round trip. */
function checkOptions(options: CaptureOptions, script: CaptureScript, appName: string): void {
  if (options.views) {
    const known = script.views ?? [];
    if (!known.length) throw new CaptureError(400, "bad-capture", `${appName} captures take no views`);
    const unknown = options.views.find((view) => !known.includes(view));
    if (unknown !== undefined)
      throw new CaptureError(
        400,
        "bad-capture",
        `unknown view "${unknown}" for ${appName}: use one of ${known.join(", ")}`,
      );
  }
  if (options.frames && !script.frames)
    throw new CaptureError(400, "bad-capture", `${appName} captures take no frames`);
  if (options.range !== undefined && !script.range)
    throw new CaptureError(400, "bad-capture", `${appName} captures take no range`);
  const count = (options.frames?.length ?? 1) * (options.views?.length ?? 1);
  if (count > MAX_PICTURES)
    throw new CaptureError(
      400,
      "bad-capture",
      `${count} pictures (frames × views) is more than ${MAX_PICTURES} in one capture: ask for fewer`,
    );
}

/** The capture script's value, or why there is none. */
function captureValue(run: RunResponse, hostId: string): z.infer<typeof CaptureValue> {
  switch (run.outcome) {
    case "ok":
      break;
    case "timeout":
      throw new CaptureError(504, "capture-timeout", `${hostId} did not finish the capture in time`);
    case "not-dispatched":
      throw new CaptureError(404, "no-host", run.error?.message ?? `${hostId} is not connected`);
    default: {
      const where = run.error?.line ? ` (line ${run.error.line} of the capture script)` : "";
      const type = run.error?.type ? `${run.error.type}: ` : "";
      throw new CaptureError(
        502,
        "capture-failed",
        `${hostId} could not capture: ${type}${run.error?.message ?? run.outcome}${where}`,
      );
    }
  }
  const parsed = CaptureValue.safeParse(run.value);
  if (!parsed.success)
    throw new CaptureError(502, "capture-failed", `${hostId}'s capture script gave back no list of pictures`);
  return parsed.data;
}

/** A fresh folder only the bridge's user can reach, under <data-dir>/captures. */
function privateCaptureDir(dataDir: string): string {
  const root = ensurePrivateDir(join(dataDir, "captures"));
  const dir = join(root, `capture-${Date.now()}-${randomBytes(4).toString("hex")}`);
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/** A file the script named: a plain file directly inside the capture's folder, or an error. */
function pictureFile(dir: string, name: string): string {
  const path = join(dir, name);
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    throw new CaptureError(502, "capture-failed", `the capture script named ${name}, which it did not write`);
  }
  if (!stat.isFile())
    throw new CaptureError(502, "capture-failed", `the capture script's ${name} is not a plain file`);
  if (stat.size > MAX_FILE_BYTES)
    throw new CaptureError(
      502,
      "capture-failed",
      `the capture script's ${name} is too large (${stat.size} bytes)`,
    );
  return path;
}
