// A language kit for protocol tests and the bridge-overhead benchmark: the "code" travels
// as is and the host's output is read as a JSON value. It stands for no real language.
import type { LanguageKit } from "../../adapters/types.js";

export const echoKit: LanguageKit = {
  language: "echo",
  preflight: (code) => (code.includes("\u0000") ? [{ message: "NUL in code", line: 1, column: 1 }] : []),
  wrap: (code) => ({ code, lineOffset: 0 }),
  unwrap: (output) => {
    if (output === "") return { error: { message: "the host returned an empty result" } };
    try {
      return { value: JSON.parse(output) };
    } catch {
      return { error: { message: "the host returned output that is not JSON" } };
    }
  },
  risk: () => [],
};

/** The echo kit plus a one-time setup, to test how the bridge runs and re-runs kit setups. */
export const SETUP_KEY = "echo-runtime-v1";
export const echoKitWithSetup: LanguageKit = {
  ...echoKit,
  language: "echo-setup",
  setup: { key: SETUP_KEY, code: "SETUP" },
};
