// The root of every error Scriptwright reports on purpose. `code` is stable (clients and
// tests match on it), `status` is what the HTTP API answers with, and the message says
// what to do next. The bridge's error handler sends these as `{error: {code, message}}`;
// anything else that escapes is a bug and is answered as a bare 500.

export class ScriptwrightError extends Error {
  override name = "ScriptwrightError";
  /** The HTTP status the bridge answers with (500 for errors no route serves). */
  readonly status: number;

  constructor(
    readonly code: string,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status ?? 500;
  }
}
