// A real Chromium (Debian's) driven by playwright-core, for the chat panel tests.
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

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

/** Collects the page's Content Security Policy violations and uncaught errors into `problems`. */
export function recordPageProblems(page: Page, problems: string[]): void {
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
}

/**
 * A new page on the chat panel of the bridge at `url`, recording its problems, once the panel
 * has listed the connected hosts.
 */
export async function openChatPanel(
  context: BrowserContext,
  bridge: { url: string; token: string },
  problems: string[],
): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  recordPageProblems(page, problems);
  await page.goto(`${bridge.url}/?token=${bridge.token}`);
  await page.locator("#host option").first().waitFor({ state: "attached" });
  return page;
}

/** Sends a message from the chat panel's box, as a person pressing Enter. */
export async function sayInPanel(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}
