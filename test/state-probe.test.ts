// One state probe, one timeout: the HTTP route and MCP (runStateProbe) and the agent's
// get_app_state tool all send the adapter's probe through probeState.
import { describe, expect, it } from "vitest";
import { adapters, languageKits } from "../adapters/registry.js";
import { type Adapter, stateProbeFor } from "../adapters/types.js";
import { runTool, type ToolContext } from "../bridge/agent/tools.js";
import type { HostPool } from "../bridge/hosts/host-pool.js";
import type { Dispatcher, RunCall } from "../bridge/runs/dispatcher.js";
import type { RunResponse } from "../bridge/runs/outcome.js";
import { runStateProbe, STATE_PROBE_TIMEOUT_MS, StateProbeError } from "../bridge/runs/state-probe.js";

/** Records what would be sent to the app; nothing runs. */
function recordingDispatcher(): { dispatcher: Dispatcher; calls: RunCall[] } {
  const calls: RunCall[] = [];
  const run = async (call: RunCall): Promise<RunResponse> => {
    calls.push(call);
    return { outcome: "ok", hostId: call.host ?? null, value: { objects: 0 }, durationMs: 1 };
  };
  return { dispatcher: { run } as unknown as Dispatcher, calls };
}

const blender = adapters.get("blender")!;
const pool = {
  get: (id: string) => (id === "blender-1" ? { id, app: "blender", language: "python" } : undefined),
} as unknown as HostPool;

describe("state probe", () => {
  it("runs a host's own probe with the one timeout (HTTP and MCP)", async () => {
    const { dispatcher, calls } = recordingDispatcher();
    await runStateProbe({ pool, adapters, dispatcher }, "blender-1");
    expect(calls).toEqual([
      expect.objectContaining({
        host: "blender-1",
        code: stateProbeFor(blender, "python"),
        timeoutMs: STATE_PROBE_TIMEOUT_MS,
      }),
    ]);
  });

  it("runs the same probe with the same timeout for the agent's get_app_state", async () => {
    const { dispatcher, calls } = recordingDispatcher();
    const ctx = {
      app: "blender",
      hostId: "blender-1",
      adapter: blender,
      kit: languageKits.get("python")!,
      dispatcher,
      pool,
      signal: new AbortController().signal,
    } as unknown as ToolContext;
    const result = await runTool("get_app_state", {}, ctx);
    expect(result.isError).toBe(false);
    expect(calls).toEqual([
      expect.objectContaining({
        host: "blender-1",
        code: stateProbeFor(blender, "python"),
        timeoutMs: STATE_PROBE_TIMEOUT_MS,
      }),
    ]);
  });

  it("says which host is missing, or which app has no probe, with the HTTP status", () => {
    const { dispatcher } = recordingDispatcher();
    const refusal = (hostId: string, known: ReadonlyMap<string, Adapter>) => {
      try {
        void runStateProbe({ pool, adapters: known, dispatcher }, hostId);
      } catch (error) {
        return error;
      }
      throw new Error("was not refused");
    };
    expect(refusal("nobody", adapters)).toMatchObject({ status: 404, code: "no-host" });
    expect(refusal("blender-1", new Map())).toMatchObject({ status: 501, code: "no-state-probe" });
    expect(refusal("nobody", adapters)).toBeInstanceOf(StateProbeError);
  });
});
