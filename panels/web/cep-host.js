// Inside an Adobe CEP panel (window.__adobe_cep__) this page is also the app's host
// runtime: it connects to the bridge's /ws/host like any panel, evaluates each (already
// wrapped) script with evalScript on the app's main thread, one at a time, and returns the
// string the evaluation produced. It never parses or rewrites code.

const APP_IDS = {
  AEFT: "aftereffects",
  PPRO: "premiere",
  PHXS: "photoshop",
  ILST: "illustrator",
  IDSN: "indesign",
};
const BARE_FAILURE = "EvalScript error.";

export function cepEnvironment(cep) {
  try {
    return JSON.parse(cep.getHostEnvironment()) ?? {};
  } catch {
    return {};
  }
}

export function startCepHost(cep, token, onStatus = () => {}) {
  const env = cepEnvironment(cep);
  const code = String(env.appName ?? env.appId ?? "");
  const app = APP_IDS[code] ?? (code.toLowerCase() || "adobe");
  const queue = [];
  let running = false;
  let stopped = false;
  let delay = 500;

  const evaluate = (script) =>
    new Promise((resolve) => {
      cep.evalScript(script, (output) => resolve(output));
    });

  async function pump(ws) {
    if (running) return;
    running = true;
    while (queue.length) {
      const run = queue.shift();
      const started = performance.now();
      let output;
      try {
        output = await evaluate(run.code);
      } catch (error) {
        output = null;
        send(ws, { type: "result", id: run.id, ok: false, error: { message: String(error) }, durationMs: 0 });
        continue;
      }
      const durationMs = performance.now() - started;
      // CEP's only word for an uncaught error: the wrapper never returns it, so it failed outside its reach.
      if (output === BARE_FAILURE) {
        send(ws, {
          type: "result",
          id: run.id,
          ok: false,
          error: { message: BARE_FAILURE, raw: output },
          durationMs,
        });
      } else {
        send(ws, {
          type: "result",
          id: run.id,
          ok: true,
          output: typeof output === "string" ? output : "",
          durationMs,
        });
      }
    }
    running = false;
  }

  function send(ws, message) {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }

  function connect() {
    const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/host`);
    ws.addEventListener("open", () => {
      delay = 500;
      send(ws, {
        type: "hello",
        protocol: 1,
        token,
        app,
        appVersion: String(env.appVersion ?? ""),
        language: "extendscript",
        name: `${app} panel`,
        document: null,
        capabilities: ["extendscript"],
      });
    });
    ws.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === "welcome") onStatus(`connected to the bridge as ${message.hostId}`);
      else if (message.type === "run") {
        queue.push(message);
        pump(ws);
      } else if (message.type === "error") {
        onStatus(`the bridge refused this panel: ${message.message}`);
        if (message.code === "unauthorized" || message.code === "protocol-mismatch") stopped = true;
      }
    });
    ws.addEventListener("close", () => {
      if (stopped) return;
      onStatus("reconnecting to the bridge…");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10_000);
    });
  }

  connect();
  return { app };
}
