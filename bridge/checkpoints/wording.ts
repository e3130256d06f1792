// How undo names what it took back: a run by its time and first line, a document by its name.
import { redact } from "../security/redact.js";
import type { Checkpoint } from "./store.js";

const MAX_SCRIPT_CHARS = 60;

/** The script's first line, short (a comment there is the best name a run has): `# add a red cube`. */
export function scriptLine(code: string): string {
  const line =
    code
      .split("\n")
      .map((text) => text.trim())
      .find((text) => text) ?? "";
  const short = line.length > MAX_SCRIPT_CHARS ? `${line.slice(0, MAX_SCRIPT_CHARS - 1)}…` : line;
  // It reaches every client: the bridge's secrets never do.
  return redact(short);
}

/** The time of day, local, to the second. */
export function clock(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
}

/** "the run of 10:02:11 (`D.objects.new(…)`, ok)" */
export function runLabel(checkpoint: Checkpoint): string {
  const outcome = checkpoint.outcome === "running" ? "still running" : checkpoint.outcome;
  const script = checkpoint.script ? `\`${checkpoint.script}\`, ` : "";
  return `the run of ${clock(checkpoint.takenAt)} (${script}${outcome})`;
}
