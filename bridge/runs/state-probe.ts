// The adapter's state probe on one host: a bounded summary of what is open in the app.
// GET /api/hosts/:id/state, the MCP tool and the agent's get_app_state all run it here.
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

/** A probe only reads, but an app busy with a large document may take a while to answer. */
export const STATE_PROBE_TIMEOUT_MS = 15_000;

/** Runs the adapter's probe for `language` on a host; null when the adapter has none. */
export function probeState(
  dispatcher: Dispatcher,
  target: { hostId: string; adapter: Adapter | undefined; language: string },
  signal?: AbortSignal,
): Promise<RunResponse> | null {
  const probe = stateProbeFor(target.adapter, target.language);
  if (!probe) return null;
  return dispatcher.run({ host: target.hostId, code: probe, timeoutMs: STATE_PROBE_TIMEOUT_MS, signal });
}

/** The probe of a connected host's own app and language; a StateProbeError when it cannot run. */
export function runStateProbe(
  parts: { pool: HostPool; adapters: ReadonlyMap<string, Adapter>; dispatcher: Dispatcher },
  hostId: string,
  signal?: AbortSignal,
): Promise<RunResponse> {
  const host = parts.pool.get(hostId);
  if (!host) throw new StateProbeError(404, "no-host", `no connected host with id "${hostId}"`);
  const target = { hostId: host.id, adapter: parts.adapters.get(host.app), language: host.language };
  const run = probeState(parts.dispatcher, target, signal);
  if (!run) throw new StateProbeError(501, "no-state-probe", `no state probe for ${host.app}`);
  return run;
}
