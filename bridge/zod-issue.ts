// How every request, tool input or frame that fails its zod schema is explained: the first
// issue, at its path. One problem at a time is what a person (or a model) fixes next.
import type { ZodError } from "zod";

/**
 * `path: message` of the first issue. `whole` names the value itself when the issue is at
 * its root (e.g. "body"); without it such an issue is its message alone.
 */
export function firstIssueText(error: ZodError, whole?: string): string {
  const issue = error.issues[0];
  const message = issue?.message ?? "invalid";
  const where = issue?.path.length ? issue.path.map(String).join(".") : whole;
  return where ? `${where}: ${message}` : message;
}
