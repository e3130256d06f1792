// Integration tests run against real apps. In CI a missing app is a failure, never a
// silent skip; on a developer machine the test is skipped with the reason printed.
import { isAbsolute } from "node:path";
import { findOnPath, isExecutableFile } from "../../adapters/find-executable.js";

export interface BinaryCheck {
  path: string | null;
  /** Pass to `describe.skipIf(...)`. */
  skip: boolean;
}

export function requireBinary(name: string, installHint: string): BinaryCheck {
  const path = isAbsolute(name) ? (isExecutableFile(name) ? name : null) : findOnPath(name);
  if (path) return { path, skip: false };
  if (process.env.CI) {
    throw new Error(`${name} is required in CI but is not on PATH (${installHint})`);
  }
  console.warn(`[skip] ${name} is not on PATH: integration tests that need it are skipped (${installHint})`);
  return { path: null, skip: true };
}
