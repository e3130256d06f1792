// `scriptwright capture`: a picture of what is open in an app, through the bridge
// (POST /api/capture), written to a PNG file (or stdout with `--out -`).
import { writeFileSync } from "node:fs";
import type { CaptureResponse } from "../capture/response.js";
import { captureCaption } from "../capture/response.js";
import { BridgeClient, BridgeHttpError } from "../client/bridge-client.js";
import { CliError, EXIT } from "./exit-codes.js";

export interface CaptureCliOptions {
  dataDir: string;
  app?: string;
  host?: string;
  frame: string[];
  view: string[];
  range?: string;
  width?: string;
  out?: string;
  json?: boolean;
}

/** How a capture the bridge refused ends: wrong input 2, no host 3, the app failed 1, too slow 4. */
const EXIT_BY_CODE: Readonly<Record<string, number>> = {
  "bad-request": EXIT.usage,
  "bad-capture": EXIT.usage,
  "capture-refused": EXIT.usage,
  "no-host": EXIT.noBridge,
  "cannot-capture": EXIT.scriptError,
  "capture-failed": EXIT.scriptError,
  "capture-timeout": EXIT.timeout,
};

export async function capture(options: CaptureCliOptions): Promise<number> {
  const frames = options.frame.map((value) => integer(value, "--frame"));
  const width = options.width === undefined ? undefined : integer(options.width, "--width");
  const body = {
    ...(options.app ? { app: options.app } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(frames.length ? { frames } : {}),
    ...(options.view.length ? { views: options.view } : {}),
    ...(options.range ? { range: options.range } : {}),
    ...(width !== undefined ? { width } : {}),
  };
  let answer: CaptureResponse;
  try {
    answer = await BridgeClient.fromDataDir(options.dataDir).post<CaptureResponse>("/api/capture", body);
  } catch (error) {
    if (!(error instanceof BridgeHttpError)) throw error;
    process.stderr.write(`scriptwright: no picture: ${error.message}\n`);
    return EXIT_BY_CODE[error.code] ?? EXIT.scriptError;
  }
  const image = answer.images[0]!;
  const data = Buffer.from(image.data, "base64");
  if (options.json) {
    if (options.out && options.out !== "-") writeFileSync(options.out, data);
    process.stdout.write(`${JSON.stringify(answer)}\n`);
    return EXIT.ok;
  }
  if (options.out === "-") {
    process.stdout.write(data);
    process.stderr.write(`${captureCaption(answer)}\n`);
    return EXIT.ok;
  }
  const file = options.out ?? defaultFile(answer.hostId);
  writeFileSync(file, data);
  process.stdout.write(`${captureCaption(answer)}\nwritten to ${file}\n`);
  return EXIT.ok;
}

function integer(value: string, option: string): number {
  if (!/^-?\d+$/.test(value.trim()))
    throw new CliError(`${option} takes a whole number, got "${value}"`, EXIT.usage);
  return Number(value);
}

/** capture-blender-1-20261207-091500.png in the current folder. */
function defaultFile(hostId: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `capture-${hostId.replace(/[^\w.-]/g, "_")}-${stamp}.png`;
}
