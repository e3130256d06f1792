import { ScriptwrightError } from "../../adapters/shared/errors.js";

/** A macro request that cannot be served; `status` is the HTTP status the API answers with. */
export class MacroError extends ScriptwrightError {
  override name = "MacroError";
  constructor(status: number, code: string, message: string) {
    super(code, message, { status });
  }
}
