// Turning bridge-side strings into Python source without ever splicing them in as code.

/**
 * A Python str literal denoting exactly `text`. JSON.stringify output is one: JSON's
 * escapes (\" \\ \n \r \t \b \f \uXXXX, including lone surrogates) mean the same in a
 * Python string, and every control character is escaped, so the literal stays on one line.
 */
export function pythonString(text: string): string {
  return JSON.stringify(text);
}

/** `None` or a str literal. */
export function pythonOptionalString(text: string | undefined): string {
  return text ? pythonString(text) : "None";
}

/** A non-negative Python int literal, falling back when the value is not usable. */
export function pythonCount(value: number | undefined, fallback: number): string {
  if (value === undefined || !Number.isFinite(value) || value < 0) return String(fallback);
  return String(Math.floor(value));
}
