// A run's value kept in a record (a batch journal, a session transcript) only when it is small:
// records stay readable and a huge value is in the app, not in the log of what happened.

/** Values whose JSON is longer than this are not kept. */
export const MAX_KEPT_VALUE_CHARS = 4096;

/** The value when it is small enough to keep, else undefined. */
export function smallValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    return text !== undefined && text.length <= MAX_KEPT_VALUE_CHARS ? value : undefined;
  } catch {
    return undefined;
  }
}
