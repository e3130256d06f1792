// Following an agent session over the bridge's HTTP API: start one, send a follow-up, and read
// its SSE events up to the turn's end (done or error), as a client does. Works on a bridge in
// the test's process (BridgeFixture) and on a served one (ServeProcess.info) alike.
import type { SessionEvent } from "../../bridge/agent/events.js";
import { readSse } from "../../bridge/client/sse.js";

/** Where the bridge is: its URL and token. */
export interface SessionBridge {
  url: string;
  token: string;
}

export interface FollowedTurn {
  id: string;
  events: SessionEvent[];
}

/** Acts on each event as it arrives (answers an approval, say); the next waits for it. */
export type EventHandler = (event: SessionEvent, id: string) => void | Promise<void>;

function call(bridge: SessionBridge, path: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, headers, ...rest } = init;
  return fetch(`${bridge.url}${path}`, {
    ...rest,
    ...(json === undefined ? {} : { method: "POST", body: JSON.stringify(json) }),
    headers: {
      authorization: `Bearer ${bridge.token}`,
      ...(json === undefined ? {} : { "content-type": "application/json" }),
      ...(headers as Record<string, string> | undefined),
    },
  });
}

/** Starts a session (201) and follows its first turn. */
export async function startSession(
  bridge: SessionBridge,
  body: Record<string, unknown>,
  onEvent?: EventHandler,
): Promise<FollowedTurn> {
  const res = await call(bridge, "/api/sessions", { json: body });
  if (res.status !== 201) throw new Error(`POST /api/sessions answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return { id, events: await untilTurnEnds(bridge, id, 0, onEvent) };
}

/** Sends a follow-up (202) and follows that turn. */
export async function followUp(
  bridge: SessionBridge,
  id: string,
  body: { text: string; model?: string },
  onEvent?: EventHandler,
): Promise<SessionEvent[]> {
  const res = await call(bridge, `/api/sessions/${id}/messages`, { json: body });
  if (res.status !== 202) throw new Error(`POST messages answered ${res.status}: ${await res.text()}`);
  const { after } = (await res.json()) as { after: number };
  return untilTurnEnds(bridge, id, after, onEvent);
}

/** The events after `after` until done or error. */
export async function untilTurnEnds(
  bridge: SessionBridge,
  id: string,
  after: number,
  onEvent?: EventHandler,
): Promise<SessionEvent[]> {
  const stop = new AbortController();
  const res = await call(bridge, `/api/sessions/${id}/events`, {
    signal: stop.signal,
    headers: { "last-event-id": String(after) },
  });
  if (res.status !== 200) throw new Error(`GET events answered ${res.status}: ${await res.text()}`);
  const events: SessionEvent[] = [];
  try {
    for await (const raw of readSse(res.body!)) {
      const event = raw as SessionEvent;
      events.push(event);
      await onEvent?.(event, id);
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
