// The life of one /ws/host connection: hello and auth, then result/event frames, with a
// ping/pong heartbeat. A host that answers pings while a script runs is busy, not lost.
import type WebSocket from "ws";
import type { Logger } from "../logger.js";
import { authenticateHello, carriesCredentials, PAIRING_REVOKED } from "../pairing/hello-auth.js";
import type { PairingCodes } from "../pairing/pairing-codes.js";
import type { PairingStore } from "../pairing/pairing-store.js";
import {
  type BridgeMessage,
  type ErrorCode,
  Hello,
  PanelMessage,
  PROTOCOL_VERSION,
} from "../protocol/messages.js";
import { firstIssueText } from "../zod-issue.js";
import { Host } from "./host.js";
import type { HostPool } from "./host-pool.js";

export interface HostSocketOptions {
  token: string;
  /** Panels that pair once say hello with their pairing instead of the token. */
  pairings: PairingStore;
  codes: PairingCodes;
  pool: HostPool;
  logger: Logger;
  heartbeatMs: number;
  helloTimeoutMs: number;
  maxQueue: number;
  /** Largest frame once the hello is authenticated (the server's own limit is HELLO_MAX_PAYLOAD). */
  maxPayloadBytes: number;
}

/** Largest frame before the hello is authenticated: a hello is a few hundred bytes. */
export const HELLO_MAX_PAYLOAD = 64 * 1024;

/** Close codes: 1008 policy violation (auth), 1002 protocol error, 1011 internal error. */
const CLOSE_POLICY = 1008;
const CLOSE_PROTOCOL = 1002;
const CLOSE_INTERNAL = 1011;

/**
 * ws has one maxPayload per WebSocketServer and no public way to change it for one socket.
 * The server keeps the small pre-hello limit; an authenticated host gets the normal one by
 * setting the private `_maxPayload` of its socket's Receiver, which ws 8 (websocket.js
 * setSocket) creates with the server's maxPayload and checks against each frame's header.
 * Throws when ws no longer has that field; test/protocol.test.ts then fails too.
 */
export function raiseFrameLimit(socket: WebSocket, maxPayload: number): void {
  const receiver = (socket as unknown as { _receiver?: { _maxPayload?: unknown } })._receiver;
  if (typeof receiver?._maxPayload !== "number")
    throw new Error("this version of ws keeps no Receiver._maxPayload: the frame limit cannot be raised");
  receiver._maxPayload = maxPayload;
}

export function acceptHostSocket(socket: WebSocket, options: HostSocketOptions): void {
  const { logger, pool } = options;
  let host: Host | null = null;
  let alive = true;
  /** Ends this connection's tie to its pairing (revoking the pairing closes the connection). */
  let releasePairing: (() => void) | null = null;

  const sendRaw = (message: BridgeMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const refuse = (code: ErrorCode, message: string, closeCode: number) => {
    sendRaw({ type: "error", code, message });
    socket.close(closeCode, code);
  };

  const helloTimer = setTimeout(
    () => refuse("hello-timeout", `no hello within ${options.helloTimeoutMs} ms`, CLOSE_POLICY),
    options.helloTimeoutMs,
  );

  const heartbeat = setInterval(() => {
    if (!alive) {
      logger.warn({ host: host?.id }, "host missed a heartbeat; dropping the connection");
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, options.heartbeatMs);
  socket.on("pong", () => {
    alive = true;
  });

  socket.on("message", (data, isBinary) => {
    alive = true;
    if (isBinary) {
      sendRaw({ type: "error", code: "bad-message", message: "frames must be JSON text" });
      return;
    }
    const parsed = parseJson(data.toString());
    if (parsed === undefined) {
      sendRaw({ type: "error", code: "bad-message", message: "frame is not valid JSON" });
      return;
    }
    if (!host) {
      handleHello(parsed);
      return;
    }
    const message = PanelMessage.safeParse(parsed);
    if (!message.success) {
      sendRaw({ type: "error", code: "bad-message", message: firstIssueText(message.error, "message") });
      return;
    }
    if (message.data.type === "result") {
      host.handleResult(message.data);
      return;
    }
    host.touch(); // an event is the app in use: see Host.activeAt
    if (message.data.name === "document-changed") {
      const document = message.data.document;
      host.document = typeof document === "string" ? document : null;
    }
  });

  function handleHello(parsed: unknown): void {
    const hello = Hello.safeParse(parsed);
    if (!hello.success) {
      // Wrong credentials must win over a malformed hello, or the schema error would leak what a valid one looks like.
      if (!carriesCredentials(parsed, options)) {
        refuse("unauthorized", "missing or wrong token", CLOSE_POLICY);
        return;
      }
      sendRaw({
        type: "error",
        code: "bad-message",
        message: `expected hello: ${firstIssueText(hello.error, "message")}`,
      });
      return;
    }
    const auth = authenticateHello(hello.data, options);
    if (!auth.ok) {
      // The pairing's id is not secret; its secret and any code never reach the log.
      logger.warn({ app: hello.data.app, pairing: hello.data.pairing?.id }, `host refused: ${auth.reason}`);
      refuse("unauthorized", auth.message, CLOSE_POLICY);
      return;
    }
    if (hello.data.protocol !== PROTOCOL_VERSION) {
      refuse(
        "protocol-mismatch",
        `this bridge speaks protocol ${PROTOCOL_VERSION}, the panel speaks ${hello.data.protocol}: update the panel`,
        CLOSE_PROTOCOL,
      );
      return;
    }
    try {
      raiseFrameLimit(socket, options.maxPayloadBytes);
    } catch (error) {
      logger.error({ err: (error as Error).message }, "host refused: cannot raise its frame limit");
      socket.close(CLOSE_INTERNAL, "internal error");
      return;
    }
    clearTimeout(helloTimer);
    const { token: _token, pairing: _pairing, pairingCode: _code, pair: _pair, ...described } = hello.data;
    // The host keeps what the panel said about itself, never its credentials.
    const about = { ...described, token: "" };
    host = new Host(pool.assignId(about), about, socket, { maxQueue: options.maxQueue, logger });
    const made = auth.made ? { pairing: { id: auth.made.id, secret: auth.made.secret } } : {};
    sendRaw({ type: "welcome", hostId: host.id, protocol: PROTOCOL_VERSION, ...made });
    if (auth.pairing) {
      releasePairing = options.pairings.watch(auth.pairing.id, () =>
        refuse("unauthorized", PAIRING_REVOKED, CLOSE_POLICY),
      );
    }
    pool.add(host);
    if (auth.warning) logger.warn({ host: host.id, err: auth.warning }, "host not paired");
    logger.info(
      {
        host: host.id,
        app: hello.data.app,
        appVersion: hello.data.appVersion,
        name: hello.data.name,
        via: auth.via,
        ...(auth.pairing ? { pairing: auth.pairing.id } : {}),
        ...(auth.made ? { paired: true } : {}),
      },
      "host connected",
    );
  }

  socket.on("close", (code) => {
    clearTimeout(helloTimer);
    clearInterval(heartbeat);
    releasePairing?.();
    if (host) {
      logger.info({ host: host.id, code }, "host disconnected");
      host.handleClose(code === 1009 ? "frame too large" : `close code ${code}`);
    }
  });
  socket.on("error", (error) => {
    logger.warn({ host: host?.id, err: error.message }, "host socket error");
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
