// Following an agent session over the bridge's HTTP API: start one, send a follow-up, and read
// its SSE events up to the turn's end (done or error), as a client does.
import type { SessionEvent } from "../../bridge/agent/events.js";
import { readSse } from "../../bridge/client/sse.js";
import type { BridgeFixture } from "./bridge-fixture.js";

export interface FollowedTurn {
  id: string;
  events: SessionEvent[];
}

/** Starts a session (201) and follows its first turn; `onEvent` may answer approvals. */
export async function startSession(
  fx: BridgeFixture,
  body: Record<string, unknown>,
  onEvent?: (event: SessionEvent, id: string) => void,
): Promise<FollowedTurn> {
  const res = await fx.api("/api/sessions", { method: "POST", json: body });
  if (res.status !== 201) throw new Error(`POST /api/sessions answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return { id, events: await untilTurnEnds(fx, id, 0, onEvent) };
}

/** Sends a follow-up (202) and follows that turn. */
export async function followUp(
  fx: BridgeFixture,
  id: string,
  body: { text: string; model?: string },
  onEvent?: (event: SessionEvent, id: string) => void,
): Promise<SessionEvent[]> {
  const res = await fx.api(`/api/sessions/${id}/messages`, { method: "POST", json: body });
  if (res.status !== 202) throw new Error(`POST messages answered ${res.status}: ${await res.text()}`);
  const { after } = (await res.json()) as { after: number };
  return untilTurnEnds(fx, id, after, onEvent);
}

/** The events after `after` until done or error. */
export async function untilTurnEnds(
  fx: BridgeFixture,
  id: string,
  after: number,
  onEvent?: (event: SessionEvent, id: string) => void,
): Promise<SessionEvent[]> {
  const stop = new AbortController();
  const res = await fx.api(`/api/sessions/${id}/events`, {
    signal: stop.signal,
    headers: { "last-event-id": String(after) },
  });
  const events: SessionEvent[] = [];
  try {
    for await (const raw of readSse(res.body!)) {
      const event = raw as SessionEvent;
      events.push(event);
      onEvent?.(event, id);
      if (event.type === "done" || event.type === "error") break;
    }
  } finally {
    stop.abort();
  }
  return events;
}

/** The model's text in these events. */
export const textOf = (events: SessionEvent[]) =>
  events.flatMap((event) => (event.type === "text" ? [event.delta] : [])).join("");
