/** A macro request that cannot be served; `status` is the HTTP status the API answers with. */
export class MacroError extends Error {
  override name = "MacroError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
