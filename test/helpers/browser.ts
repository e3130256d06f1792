// A real Chromium (Debian's) driven by playwright-core, for the chat panel tests.
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(executablePath = "/usr/bin/chromium"): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
