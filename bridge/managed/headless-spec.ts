// Parses `--headless blender[:N]` (repeatable) and `--headless auto`.
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import type { Adapter } from "../../adapters/types.js";

export interface HeadlessSpec {
  adapter: Adapter;
  executable: string;
  count: number;
}

/** A `--headless` value that names no app, too many hosts, or an app not installed here. */
export class HeadlessSpecError extends ScriptwrightError {
  override name = "HeadlessSpecError";
  constructor(message: string) {
    super("bad-headless", message, { status: 400 });
  }
}

export const MAX_HEADLESS_PER_APP = 16;

export function parseHeadlessSpecs(
  values: readonly string[],
  adapters: ReadonlyMap<string, Adapter>,
): { specs: HeadlessSpec[]; notes: string[] } {
  const specs: HeadlessSpec[] = [];
  const notes: string[] = [];
  for (const value of values) {
    if (value === "auto") {
      for (const adapter of adapters.values()) {
        const executable = adapter.headless?.find();
        if (executable) specs.push({ adapter, executable, count: 1 });
        else if (adapter.headless)
          notes.push(`${adapter.displayName} not found; no headless ${adapter.app} host`);
      }
      continue;
    }
    const match = /^([a-z0-9-]+)(?::(\d+))?$/i.exec(value);
    if (!match) throw new HeadlessSpecError(`--headless takes APP[:N] or auto, got "${value}"`);
    const app = match[1]!.toLowerCase();
    const count = match[2] ? Number(match[2]) : 1;
    const adapter = adapters.get(app);
    if (!adapter?.headless) {
      const known = [...adapters.values()].filter((a) => a.headless).map((a) => a.app);
      throw new HeadlessSpecError(
        `no headless support for "${app}" (available: ${known.join(", ") || "none"})`,
      );
    }
    if (count < 1 || count > MAX_HEADLESS_PER_APP) {
      throw new HeadlessSpecError(
        `--headless ${app}:N takes N from 1 to ${MAX_HEADLESS_PER_APP}, got ${count}`,
      );
    }
    const executable = adapter.headless.find();
    if (!executable)
      throw new HeadlessSpecError(`${adapter.displayName} is not installed (not found on PATH)`);
    specs.push({ adapter, executable, count });
  }
  return { specs, notes };
}
