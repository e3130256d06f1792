// The adapter's state probe on one host: a bounded summary of what is open in the app.
// GET /api/hosts/:id/state and the MCP tool get_app_state run it the same way.
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import { type Adapter, stateProbeFor } from "../../adapters/types.js";
import type { HostPool } from "../hosts/host-pool.js";
import type { Dispatcher } from "./dispatcher.js";
import type { RunResponse } from "./outcome.js";

export class StateProbeError extends ScriptwrightError {
  override name = "StateProbeError";
  constructor(status: number, code: string, message: string) {
    super(code, message, { status });
  }
}

export const STATE_PROBE_TIMEOUT_MS = 10_000;

export function runStateProbe(
  parts: { pool: HostPool; adapters: ReadonlyMap<string, Adapter>; dispatcher: Dispatcher },
  hostId: string,
  signal?: AbortSignal,
): Promise<RunResponse> {
  const host = parts.pool.get(hostId);
  if (!host) throw new StateProbeError(404, "no-host", `no connected host with id "${hostId}"`);
  const probe = stateProbeFor(parts.adapters.get(host.app), host.language);
  if (!probe) throw new StateProbeError(501, "no-state-probe", `no state probe for ${host.app}`);
  return parts.dispatcher.run({ host: host.id, code: probe, timeoutMs: STATE_PROBE_TIMEOUT_MS, signal });
}
