// The one rule both batch paths (the local runner and the queue worker) retry a file by.
import { describe, expect, it } from "vitest";
import { worthRetrying } from "../bridge/batch/file-run.js";
import type { Outcome } from "../bridge/runs/outcome.js";

describe("worthRetrying", () => {
  it("retries a file nothing ran on, whatever the macro", () => {
    for (const idempotent of [true, false]) {
      expect(worthRetrying("host-lost", idempotent)).toBe(true);
      expect(worthRetrying("not-dispatched", idempotent)).toBe(true);
    }
  });

  it("retries a timeout only for an idempotent macro: its effect in the app is unknown", () => {
    expect(worthRetrying("timeout", true)).toBe(true);
    expect(worthRetrying("timeout", false)).toBe(false);
  });

  it("never retries an answer the script gave or a refusal", () => {
    for (const outcome of ["ok", "error", "rejected"] satisfies Outcome[]) {
      expect(worthRetrying(outcome, true)).toBe(false);
      expect(worthRetrying(outcome, false)).toBe(false);
    }
  });
});
