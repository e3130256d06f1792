// The one collector every language kit's risk classifier reports into: the same wording
// (KIND_VERBS) and the same dedupe rule in every language, so a script's flags read alike
// whichever kit judged it.
import type { RiskFlag, RiskKind } from "./types.js";

/** How a flag of each kind starts, e.g. "deletes files: shutil.rmtree". */
export const KIND_VERBS: Readonly<Record<RiskKind, string>> = {
  "file-delete": "deletes files",
  "file-overwrite": "writes files",
  process: "runs processes",
  network: "uses the network",
  registry: "edits the Windows registry",
  "app-quit": "quits the app",
  "dynamic-code": "runs dynamic code",
  "native-code": "loads native code",
};

/** "<verb>: <what>", the reason of a flag that has no wording of its own. */
export function kindReason(kind: RiskKind, what: string): string {
  return `${KIND_VERBS[kind]}: ${what}`;
}

/**
 * Flags in line order, one per kind and line: the first reason found for a line is the one
 * shown (a person approves the line, not each call on it).
 */
export class RiskFlags {
  private readonly flags = new Map<string, RiskFlag>();

  add(kind: RiskKind, reason: string, line?: number, savesDocument?: boolean): void {
    const key = `${kind}\u0000${line ?? 0}`;
    const known = this.flags.get(key);
    if (known) {
      // The line's reason stays the first one; that it saves the document is never lost.
      if (savesDocument) known.savesDocument = true;
      return;
    }
    const flag: RiskFlag = line === undefined ? { kind, reason } : { kind, reason, line };
    if (savesDocument) flag.savesDocument = true;
    this.flags.set(key, flag);
  }

  /** Sorted by line; flags of one line keep the order they were found in. */
  list(): RiskFlag[] {
    return [...this.flags.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  }
}
