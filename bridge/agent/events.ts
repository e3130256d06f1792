// What a session tells its watchers (terminal, chat panel over SSE or WebSocket).
import type { RunResponse } from "../runs/outcome.js";
import type { ProposedScript } from "./approval.js";
import type { PictureRef } from "./pictures.js";

export interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export type SessionEvent =
  | { type: "text"; delta: string }
  | { type: "tool"; name: string; input: unknown }
  | { type: "script-proposed"; script: ProposedScript }
  | { type: "approval-needed"; script: ProposedScript }
  | { type: "approval-resolved"; scriptId: string; approved: boolean; reason?: string }
  | { type: "script-result"; scriptId: string; result: RunResponse }
  /** A picture of the app (capture, or run_script's capture for `scriptId`): files under the session. */
  | { type: "pictures"; hostId: string; scriptId?: string; pictures: PictureRef[]; notes: string[] }
  | { type: "usage"; turn: Usage; total: Usage; modelCalls: number }
  | { type: "done"; stopReason: string }
  | { type: "error"; kind: string; message: string };

export const zeroUsage = (): Usage => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
