// Scriptwright host runtime for the Premiere Pro UXP plugin: connects to the bridge's
// /ws/host, says hello (protocol v1), runs the code the bridge sends one run at a time and
// answers with its result. Plain CommonJS with no dependencies, so UXP loads it with
// require() and Node tests load it too (the WebSocket class, the premierepro module and the
// pairing storage are passed in). The panel is thin: it evaluates the already wrapped code
//   const output = await (new Function(code))();
// and sends `output`, which must be a string. It never parses or rewrites code.
//
// A plugin cannot read bridge.json, and the bridge's token changes each time it starts, so the
// plugin pairs once (with the URL and token the person pasted, or a short code from
// `scriptwright panel pair`), keeps the pairing in its storage, and says hello with it from
// then on: it reconnects by itself after the bridge restarts.
"use strict";

const PROTOCOL_VERSION = 1;
const LANGUAGE = "uxp-js";
const APP = "premiere";
const HELLO_TIMEOUT_MS = 10000;
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10000;
/** The bridge's default WebSocket maxPayload is 32 MiB; stay well under it (UTF-8 may triple). */
const MAX_OUTPUT_CHARS = 8 * 1024 * 1024;
const MAX_RAW_CHARS = 4000;
const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];
/** Close codes the bridge never sends for a refusal: a plain close means "try again". */
const FINAL_ERRORS = ["unauthorized", "protocol-mismatch"];
const PAIR_HINT =
  "paste the URL `scriptwright serve` prints, or run `scriptwright panel pair` and type the code it shows";

/**
 * Reads what the bridge prints (`http://127.0.0.1:PORT/?token=…`, or a ws:// URL) into the
 * host socket URL and the token. Only loopback addresses: the manifest allows no others; with
 * `allowedPort` (the port the plugin was built for), only that port, which is all UXP lets it reach.
 */
function parseBridgeUrl(text, allowedPort) {
  const trimmed = String(text || "").trim();
  if (trimmed === "")
    throw new Error("paste the URL the bridge printed, e.g. http://127.0.0.1:7821/?token=…");
  // A regex, not URL: it is the same in every UXP version and in Node.
  const match =
    /^([a-z]+):\/\/(\[[0-9a-f:.]+\]|[^/:?#\s]+)(?::(\d{1,5}))?(\/[^?#\s]*)?(?:\?([^#\s]*))?(?:#\S*)?$/i.exec(
      trimmed,
    );
  if (!match) throw new Error(`not a URL: ${trimmed}`);
  const scheme = match[1].toLowerCase();
  const hostname = match[2].toLowerCase();
  if (!["http", "https", "ws", "wss"].includes(scheme)) throw new Error(`unsupported scheme: ${scheme}`);
  if (!LOOPBACK_HOSTS.includes(hostname)) {
    throw new Error(`the bridge must be on this computer (127.0.0.1 or localhost), not ${hostname}`);
  }
  const wsScheme = scheme === "https" || scheme === "wss" ? "wss" : "ws";
  const port = match[3] ? Number(match[3]) : wsScheme === "wss" ? 443 : 80;
  if (allowedPort !== undefined && port !== allowedPort) {
    throw new Error(
      `this plugin reaches only port ${allowedPort}, the one it was built for, but the bridge is on ${port}: rebuild it with \`scriptwright panel install premiere --port ${port}\` and install the new .ccx, or start the bridge with --port ${allowedPort}`,
    );
  }
  const hostPart = match[3] ? `${hostname}:${match[3]}` : hostname;
  let token = "";
  for (const pair of (match[5] || "").split("&")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq) === "token") {
      try {
        token = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
      } catch (_e) {
        token = pair.slice(eq + 1);
      }
    }
  }
  return { socketUrl: `${wsScheme}://${hostPart}/ws/host`, token };
}

function errorMessage(error) {
  if (error && typeof error === "object" && typeof error.message === "string") return error.message;
  try {
    return String(error);
  } catch (_e) {
    return "unknown error";
  }
}

function cap(text, limit) {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** Runs wrapped code exactly as the panel contract says. */
async function evaluateCode(code) {
  return await new Function(code)();
}

async function activeProjectPath(premierepro) {
  try {
    const project = premierepro?.Project ? await premierepro.Project.getActiveProject() : null;
    return project && typeof project.path === "string" && project.path !== "" ? project.path : null;
  } catch (_e) {
    return null;
  }
}

function appVersionOf(options) {
  if (typeof options.appVersion === "string" && options.appVersion !== "") return options.appVersion;
  try {
    const version = options.premierepro?.Application?.version;
    if (typeof version === "string" && version !== "") return version;
  } catch (_e) {}
  return "unknown";
}

/** What a person typed into the panel: a URL (with the token) or a pairing code. */
function parsePanelInput(text, allowedPort) {
  const trimmed = String(text || "").trim();
  if (trimmed === "") throw new Error(PAIR_HINT);
  if (trimmed.includes("://")) return Object.assign({ kind: "url" }, parseBridgeUrl(trimmed, allowedPort));
  const code = trimmed.replace(/[\s-]+/g, "").toUpperCase();
  if (!/^[A-Z0-9]{6,12}$/.test(code)) throw new Error(`neither a URL nor a pairing code: ${trimmed}`);
  return { kind: "code", code };
}

/**
 * createHost({ WebSocket, premierepro, url, token, pairingCode, port, store, name, onStatus,
 * appVersion, evaluate, reconnectFirstMs, reconnectMaxMs }) → { start(), stop(), status, hostId,
 * paired }.
 * `url` is the /ws/host URL or anything parseBridgeUrl reads (its token is used when `token` is
 * not given); `pairingCode` a code from `scriptwright panel pair`, sent to the bridge on `port`.
 * With `store` (see pairing-store.js) the plugin asks to be paired, keeps the pairing and says
 * hello with it from then on; with neither a URL nor a code it uses the stored pairing.
 * onStatus(state, detail) gets "connecting", "connected", "running", "disconnected" (a retry is
 * scheduled), "refused" (final), "unpaired" (nothing to connect with) and "stopped".
 */
function createHost(options) {
  const WebSocketClass = options.WebSocket;
  if (typeof WebSocketClass !== "function") throw new Error("createHost needs a WebSocket class");
  const allowedPort = typeof options.port === "number" ? options.port : undefined;
  const store = options.store || null;
  // The credentials the person just gave (used until a pairing replaces them), and the pairing.
  let fresh = null;
  let target = null;
  if (options.url) {
    target = parseBridgeUrl(options.url, allowedPort);
    const token = typeof options.token === "string" && options.token !== "" ? options.token : target.token;
    fresh = { token };
  } else if (options.pairingCode) {
    if (allowedPort === undefined) throw new Error("a pairing code needs the bridge's port");
    target = { socketUrl: `ws://127.0.0.1:${allowedPort}/ws/host`, token: "" };
    fresh = {
      code: String(options.pairingCode)
        .replace(/[\s-]+/g, "")
        .toUpperCase(),
    };
  }
  let pairing = null;
  let pairingLoaded = false;
  const name = options.name || "premiere";
  const evaluate = options.evaluate || evaluateCode;
  const firstDelay = options.reconnectFirstMs ?? RECONNECT_FIRST_MS;
  const maxDelay = options.reconnectMaxMs ?? RECONNECT_MAX_MS;
  const onStatus = typeof options.onStatus === "function" ? options.onStatus : () => {};

  let socket = null;
  let stopped = true;
  let delay = firstDelay;
  let retryTimer = null;
  let helloTimer = null;
  const queue = [];
  let running = null;
  const host = { status: "stopped", hostId: null, paired: false, start, stop };

  function report(state, detail) {
    host.status = state;
    try {
      onStatus(state, detail || "");
    } catch (_e) {}
  }

  function send(ws, message) {
    if (ws.readyState !== 1) return false; // OPEN
    ws.send(JSON.stringify(message));
    return true;
  }

  function scheduleReconnect(reason) {
    if (stopped) return;
    report("disconnected", `${reason}; retrying in ${Math.round(delay / 100) / 10} s`);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
    delay = Math.min(delay * 2, maxDelay);
  }

  /** What this hello authenticates with: the fresh credentials, else the stored pairing. */
  function credentials() {
    if (fresh && fresh.token !== undefined)
      return store ? { token: fresh.token, pair: true } : { token: fresh.token };
    if (fresh && fresh.code !== undefined) return { token: "", pairingCode: fresh.code };
    if (pairing) return { token: "", pairing: { id: pairing.id, secret: pairing.secret } };
    return null;
  }

  async function connect() {
    if (stopped) return;
    if (!fresh && store && !pairingLoaded) {
      pairingLoaded = true;
      pairing = await store.load();
      host.paired = pairing !== null;
    }
    const auth = credentials();
    const socketUrl = fresh || !pairing ? target?.socketUrl : pairing.socketUrl;
    if (!auth || !socketUrl) {
      stopped = true;
      report("unpaired", `not paired with a bridge yet: ${PAIR_HINT}`);
      return;
    }
    report("connecting", socketUrl);
    const document = await activeProjectPath(options.premierepro);
    if (stopped) return;
    let ws;
    try {
      ws = new WebSocketClass(socketUrl);
    } catch (error) {
      scheduleReconnect(`cannot open ${socketUrl}: ${errorMessage(error)}`);
      return;
    }
    socket = ws;
    let refused = false;
    let welcomed = false;

    ws.onopen = () => {
      send(
        ws,
        Object.assign(
          {
            type: "hello",
            protocol: PROTOCOL_VERSION,
            app: APP,
            appVersion: appVersionOf(options),
            language: LANGUAGE,
            name,
            document,
            capabilities: [LANGUAGE],
          },
          auth,
        ),
      );
      helloTimer = setTimeout(() => {
        if (!welcomed) ws.close();
      }, HELLO_TIMEOUT_MS);
    };

    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(typeof event.data === "string" ? event.data : String(event.data));
      } catch (_e) {
        return; // not ours to answer: the bridge only sends JSON
      }
      if (!message || typeof message !== "object") return;
      if (message.type === "welcome") {
        welcomed = true;
        clearTimeout(helloTimer);
        delay = firstDelay;
        host.hostId = message.hostId;
        void onWelcome(message, socketUrl);
      } else if (message.type === "error") {
        if (FINAL_ERRORS.includes(message.code)) {
          refused = true;
          stopped = true;
          // A pairing the bridge no longer knows is of no use: the person pairs again.
          if (message.code === "unauthorized" && pairing) void forgetPairing();
        }
        report(refused ? "refused" : "disconnected", `${message.code}: ${message.message}`);
      } else if (message.type === "run") {
        queue.push({ run: message, ws });
        void drain();
      } else if (message.type === "cancel") {
        // Best effort: a queued run is dropped unanswered (the bridge already settled it);
        // JavaScript cannot interrupt a running one, so it finishes and its result is sent.
        const index = queue.findIndex((item) => item.run.id === message.id);
        if (index >= 0) queue.splice(index, 1);
      }
    };

    ws.onerror = () => {}; // onclose follows and decides

    ws.onclose = (event) => {
      clearTimeout(helloTimer);
      if (socket === ws) socket = null;
      host.hostId = null;
      // Runs still queued for this connection can no longer be answered.
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i].ws === ws) queue.splice(i, 1);
      if (refused) return;
      if (stopped) {
        report("stopped", "");
        return;
      }
      const code = event && typeof event.code === "number" ? event.code : 1006;
      scheduleReconnect(welcomed ? `connection closed (${code})` : `could not connect (${code})`);
    };
  }

  async function onWelcome(message, socketUrl) {
    const made = message.pairing;
    if (store && made && typeof made.id === "string" && typeof made.secret === "string") {
      pairing = { socketUrl, id: made.id, secret: made.secret };
      // A code works once and the token changes: from now on the pairing is what says hello.
      fresh = null;
      try {
        await store.save(pairing);
        host.paired = true;
      } catch (error) {
        report(
          "connected",
          `connected as ${message.hostId}, but the pairing could not be kept: ${errorMessage(error)}`,
        );
        return;
      }
    } else if (fresh && fresh.code !== undefined) {
      fresh = null; // used up, paired or not
    }
    const note = host.paired ? " (paired: it reconnects by itself, also after the bridge restarts)" : "";
    report("connected", `connected as ${message.hostId}${note}`);
  }

  async function forgetPairing() {
    pairing = null;
    host.paired = false;
    if (store) {
      try {
        await store.clear();
      } catch (_e) {}
    }
  }

  async function drain() {
    if (running) return;
    while (queue.length > 0) {
      const item = queue.shift();
      running = item.run.id;
      report("running", item.run.id);
      const result = await execute(item.run);
      running = null;
      send(item.ws, result);
      if (socket === item.ws && item.ws.readyState === 1) report("connected", `connected as ${host.hostId}`);
    }
  }

  async function execute(run) {
    const started = Date.now();
    const elapsed = () => Math.max(0, Date.now() - started);
    if (run.language !== LANGUAGE) {
      return failed(run.id, `this panel runs ${LANGUAGE}, not ${run.language}`, undefined, elapsed());
    }
    let output;
    try {
      output = await evaluate(run.code);
    } catch (error) {
      const stack = error && typeof error.stack === "string" ? error.stack : undefined;
      return failed(run.id, errorMessage(error), stack, elapsed());
    }
    if (typeof output !== "string") {
      return failed(
        run.id,
        `the script's result is ${output === null ? "null" : typeof output}, not a string`,
        undefined,
        elapsed(),
      );
    }
    if (output.length > MAX_OUTPUT_CHARS) {
      return failed(
        run.id,
        `the result has ${output.length} characters, more than the ${MAX_OUTPUT_CHARS} this panel sends`,
        undefined,
        elapsed(),
      );
    }
    return { type: "result", id: run.id, ok: true, output, durationMs: elapsed() };
  }

  function failed(id, message, raw, durationMs) {
    const error = { message: cap(message || "the script failed", MAX_RAW_CHARS) };
    if (raw) error.raw = cap(raw, MAX_RAW_CHARS);
    return { type: "result", id, ok: false, error, durationMs };
  }

  function start() {
    if (!stopped) return host;
    stopped = false;
    delay = firstDelay;
    void connect();
    return host;
  }

  function stop() {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    if (socket) socket.close(1000, "stopped by the user");
    else report("stopped", "");
  }

  return host;
}

module.exports = { createHost, parseBridgeUrl, parsePanelInput, PROTOCOL_VERSION, LANGUAGE, APP };
