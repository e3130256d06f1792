// What a call threw, or a promise rejected with, as the error class a test expects: any other
// error is rethrown and no error at all fails the test.
import { MacroError } from "../../bridge/macros/errors.js";

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

export function thrownBy<E extends Error>(kind: ErrorClass<E>, work: () => unknown): E {
  try {
    work();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected a ${kind.name}, but nothing was thrown`);
}

export async function rejectedWith<E extends Error>(
  kind: ErrorClass<E>,
  work: Promise<unknown> | (() => Promise<unknown>),
): Promise<E> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected a ${kind.name}, but it resolved`);
}

/** The macro store's errors, which most macro tests expect. */
export const thrown = (work: () => unknown): MacroError => thrownBy(MacroError, work);
export const rejected = (work: () => Promise<unknown>): Promise<MacroError> => rejectedWith(MacroError, work);
