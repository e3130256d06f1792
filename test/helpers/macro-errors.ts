// What a macro store call threw or rejected with, as a MacroError (anything else fails the test).
import { MacroError } from "../../bridge/macros/errors.js";

export function thrown(work: () => unknown): MacroError {
  try {
    work();
  } catch (error) {
    if (error instanceof MacroError) return error;
    throw error;
  }
  throw new Error("did not throw");
}

export async function rejected(work: () => Promise<unknown>): Promise<MacroError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof MacroError) return error;
    throw error;
  }
  throw new Error("did not reject");
}
