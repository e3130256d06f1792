// /ws/client: the same session events as SSE, for clients that prefer a WebSocket (the chat
// panel inside an app). First frame: {type:"subscribe", token, sessionId, after?}; then
// {type:"event", id, event} frames until the client closes.
import type WebSocket from "ws";
import { z } from "zod";
import type { SessionManager } from "../agent/session-manager.js";
import { tokenMatches } from "../security/token.js";

const Subscribe = z.object({
  type: z.literal("subscribe"),
  token: z.string().max(512),
  sessionId: z.string().max(64),
  after: z.number().int().nonnegative().optional(),
});

export function acceptClientSocket(
  socket: WebSocket,
  options: { token: string; sessions: SessionManager },
): void {
  const send = (message: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const refuse = (code: string, message: string, closeCode = 1008) => {
    send({ type: "error", code, message });
    socket.close(closeCode, code);
  };
  const timer = setTimeout(() => refuse("subscribe-timeout", "no subscribe message within 10 s"), 10_000);
  let unsubscribe: (() => void) | null = null;

  socket.once("message", (data) => {
    clearTimeout(timer);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      parsed = undefined;
    }
    if (!tokenMatches(options.token, (parsed as { token?: unknown } | undefined)?.token)) {
      refuse("unauthorized", "missing or wrong token");
      return;
    }
    const subscribe = Subscribe.safeParse(parsed);
    if (!subscribe.success) {
      refuse("bad-message", "expected {type: 'subscribe', token, sessionId, after?}", 1002);
      return;
    }
    try {
      unsubscribe = options.sessions.watch(
        subscribe.data.sessionId,
        (event, id) => send({ type: "event", id, event }),
        subscribe.data.after,
      );
    } catch (error) {
      refuse("not-found", (error as Error).message, 1000);
    }
  });
  socket.on("close", () => {
    clearTimeout(timer);
    unsubscribe?.();
  });
  socket.on("error", () => undefined);
}
