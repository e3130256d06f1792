// Test reports kept per macro version: one JSON line per run in <data-dir>/macro-tests/<name>.jsonl
// (0600), appended, so every result of every version stays; the last one of a version is its
// result. Kept apart from the macro folder: results are not versions.
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ensurePrivateDir } from "../data-dir.js";
import type { TestReport } from "./run-cases.js";

export class TestResults {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, "macro-tests");
  }

  add(report: TestReport): void {
    ensurePrivateDir(this.dir);
    appendFileSync(this.file(report.macro), `${JSON.stringify(report)}\n`, { mode: 0o600 });
  }

  /** Every report of the macro, oldest first. */
  all(name: string): TestReport[] {
    let text: string;
    try {
      text = readFileSync(this.file(name), "utf8");
    } catch {
      return [];
    }
    const reports: TestReport[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        reports.push(JSON.parse(line) as TestReport);
      } catch {
        // A line cut short by a crash: the others are still good.
      }
    }
    return reports;
  }

  /** The last report of that version (by its hash when given), else of any version. */
  last(name: string, version?: { version: number; hash: string }): TestReport | null {
    const reports = this.all(name);
    const mine = version
      ? reports.filter((r) => r.version === version.version && r.hash === version.hash)
      : reports;
    return mine.at(-1) ?? null;
  }

  private file(name: string): string {
    // Macro names are checked (a-z 0-9 . _ -, never starting with a dot) before they get here.
    return join(this.dir, `${name}.jsonl`);
  }
}
