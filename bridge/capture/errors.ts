import { ScriptwrightError } from "../../adapters/shared/errors.js";

/**
 * Why a capture gave no picture. Codes: `bad-capture` (400, the request does not fit what the
 * app can show), `capture-refused` (400, the app judged it: a frame outside the scene, an empty
 * scene), `no-host` (404), `cannot-capture` (501, the host's app has no capture), `capture-failed`
 * (502, the app or its pictures failed), `capture-timeout` (504).
 */
export class CaptureError extends ScriptwrightError {
  override name = "CaptureError";
  constructor(status: number, code: CaptureErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { status, ...options });
  }
}

export type CaptureErrorCode =
  | "bad-capture"
  | "capture-refused"
  | "no-host"
  | "cannot-capture"
  | "capture-failed"
  | "capture-timeout";
