// The one wording of a schema failure: requests, tool inputs, macro files and host frames.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { firstIssueText } from "../bridge/zod-issue.js";

const failure = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error("the value passed");
  return parsed.error;
};

describe("firstIssueText", () => {
  const Body = z.object({ code: z.string(), options: z.object({ timeoutMs: z.number() }) });

  it("names the path of the first issue", () => {
    const error = failure(Body, { code: 1, options: { timeoutMs: "soon" } });
    expect(firstIssueText(error, "body")).toMatch(/^code: .*string/);
  });

  it("names the whole value for an issue at its root, or gives the message alone", () => {
    const error = failure(Body, "not an object");
    const message = error.issues[0]!.message;
    expect(firstIssueText(error, "body")).toBe(`body: ${message}`);
    expect(firstIssueText(error)).toBe(message);
  });

  it("spells a nested path with dots", () => {
    const error = failure(Body, { code: "x", options: { timeoutMs: "soon" } });
    expect(firstIssueText(error, "body")).toMatch(/^options\.timeoutMs: /);
  });
});
