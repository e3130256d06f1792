// Talking to the bridge: the token, JSON calls, and the SSE event stream (read with fetch,
// because EventSource cannot send the Authorization header).

const TOKEN_KEY = "scriptwright.token";

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    /** The bridge's error code (e.g. "state-unknown"), when it gave one. */
    this.code = code;
  }
}

/** Takes `?token=` from the address bar into sessionStorage and removes it from the URL. */
export function takeToken() {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete("token");
    history.replaceState(history.state, "", `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

export function createApi(token, onUnauthorized) {
  const auth = { Authorization: `Bearer ${token}` };

  async function call(method, path, body) {
    const headers = { ...auth };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(path, {
      method,
      headers,
      body: body !== undefined ? JSON.stringify(body) : undefined,
      cache: "no-store",
    });
    if (res.status === 401) onUnauthorized();
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!res.ok) {
      const message = data?.error?.message ?? `${method} ${path} answered ${res.status}`;
      throw new ApiError(res.status, message, data?.error?.code);
    }
    return data;
  }

  return {
    get: (path) => call("GET", path),
    post: (path, body = {}) => call("POST", path, body),
    /**
     * Follows a session's events from `after` until `onEvent` returns true (end of the turn) or
     * `signal` aborts. Reconnects with backoff when the stream drops, sending Last-Event-ID so
     * nothing arrives twice. `onStatus` hears "connected" / "reconnecting" / "gone".
     */
    async follow(sessionId, after, { signal, onEvent, onStatus }) {
      let last = after;
      let delay = 500;
      while (!signal.aborted) {
        let res;
        try {
          res = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/events`, {
            headers: { ...auth, "Last-Event-ID": String(last) },
            signal,
            cache: "no-store",
          });
        } catch {
          res = null;
        }
        if (signal.aborted) return;
        if (res?.status === 401) {
          onUnauthorized();
          return onStatus("gone", "the bridge no longer accepts this page's token");
        }
        if (res?.status === 404) {
          const body = await res.json().catch(() => null);
          return onStatus("gone", body?.error?.message ?? "the session is not running on this bridge");
        }
        if (res?.ok && res.body) {
          onStatus("connected");
          delay = 500;
          try {
            for await (const frame of frames(res.body)) {
              if (frame.id === null || frame.id <= last || frame.data === null) continue;
              last = frame.id;
              if (onEvent(frame.data, frame.id)) return;
            }
          } catch {
            // dropped mid-stream: reconnect below
          }
          if (signal.aborted) return;
        }
        onStatus("reconnecting");
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 8000);
      }
    },
  };
}

/** Parses an SSE body into {id, event, data} frames. */
async function* frames(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, "\n");
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        const frame = { id: null, event: "message", data: null };
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") frame.id = Number(value);
          else if (field === "event") frame.event = value;
          else if (field === "data") data.push(value);
        }
        if (data.length === 0) continue;
        try {
          frame.data = JSON.parse(data.join("\n"));
        } catch {
          frame.data = null;
        }
        yield frame;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
