// A yes/no question on the terminal (stderr, so stdout stays data). Only asked when a person
// is there to answer: callers check `canAsk()` and refuse otherwise.
import { createInterface } from "node:readline/promises";

export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** True only for an explicit "y" or "yes". */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    return answer === "y" || answer === "yes";
  } finally {
    rl.close();
  }
}
