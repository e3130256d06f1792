// Host protocol v1 (panel ⇄ bridge over WebSocket /ws/host, JSON text frames).
// These zod schemas are the single source: types, validation and the JSON Schema
// committed at panels/protocol.schema.json all derive from them.
import { z } from "zod";

export const PROTOCOL_VERSION = 1 as const;

const id = z.string().min(1).max(128);

/** A pairing: what a paired panel says hello with instead of the token (see hello.pairing). */
export const PairingCredentials = z.object({
  id: z.string().min(1).max(64),
  secret: z.string().min(1).max(512),
});

// ── panel → bridge ────────────────────────────────────────────────────────────
export const Hello = z.object({
  type: z.literal("hello"),
  protocol: z.number().int(),
  token: z.string().max(512),
  app: z.string().min(1).max(64),
  appVersion: z.string().max(128),
  language: z.string().min(1).max(32),
  name: z.string().min(1).max(128),
  document: z.string().max(4096).nullable().optional(),
  capabilities: z.array(z.string().max(64)).max(64),
  // Set by hosts the bridge launched itself, so it can tie the socket to its process.
  instance: z.string().max(128).optional(),
  // Panels that cannot read bridge.json pair once, then keep working across bridge restarts
  // (the token changes with each start). Any one of token, pairing and pairingCode is enough:
  // `pairing` is a stored pairing (token may then be ""); `pairingCode` is a short code the
  // bridge showed (`scriptwright panel pair`) and always makes a pairing; `pair: true` with the
  // token makes one too. A pairing made is returned in `welcome.pairing`.
  pairing: PairingCredentials.optional(),
  pairingCode: z.string().max(32).optional(),
  pair: z.boolean().optional(),
});

export const ResultOk = z.object({
  type: z.literal("result"),
  id,
  ok: z.literal(true),
  output: z.string(),
  durationMs: z.number().nonnegative(),
});

export const ResultFailed = z.object({
  type: z.literal("result"),
  id,
  ok: z.literal(false),
  error: z.object({ message: z.string(), raw: z.string().optional() }),
  durationMs: z.number().nonnegative().optional(),
});

export const Result = z.discriminatedUnion("ok", [ResultOk, ResultFailed]);

export const HostEvent = z.looseObject({
  type: z.literal("event"),
  name: z.string().min(1).max(64),
});

/** Any frame a panel may send after `hello` was accepted. */
export const PanelMessage = z.union([Result, HostEvent]);

// ── bridge → panel ────────────────────────────────────────────────────────────
export const Welcome = z.object({
  type: z.literal("welcome"),
  hostId: z.string(),
  protocol: z.literal(PROTOCOL_VERSION),
  // A pairing made for this panel (hello.pair or hello.pairingCode): it stores it and says
  // hello with it from then on.
  pairing: PairingCredentials.optional(),
});

export const ErrorCode = z.enum(["unauthorized", "protocol-mismatch", "bad-message", "hello-timeout"]);

export const ErrorMessage = z.object({
  type: z.literal("error"),
  code: ErrorCode,
  message: z.string(),
});

export const Run = z.object({
  type: z.literal("run"),
  id,
  language: z.string(),
  code: z.string(),
  timeoutMs: z.number().int().positive(),
});

export const Cancel = z.object({ type: z.literal("cancel"), id });

export const BridgeMessage = z.discriminatedUnion("type", [Welcome, ErrorMessage, Run, Cancel]);

export type Hello = z.infer<typeof Hello>;
export type PairingCredentials = z.infer<typeof PairingCredentials>;
export type Result = z.infer<typeof Result>;
export type HostEvent = z.infer<typeof HostEvent>;
export type PanelMessage = z.infer<typeof PanelMessage>;
export type Welcome = z.infer<typeof Welcome>;
export type ErrorMessage = z.infer<typeof ErrorMessage>;
export type ErrorCode = z.infer<typeof ErrorCode>;
export type Run = z.infer<typeof Run>;
export type Cancel = z.infer<typeof Cancel>;
export type BridgeMessage = z.infer<typeof BridgeMessage>;

/** Every message of the protocol by name, for the generated JSON Schema. */
export const protocolSchemas = {
  panelToBridge: { hello: Hello, result: Result, event: HostEvent },
  bridgeToPanel: { welcome: Welcome, error: ErrorMessage, run: Run, cancel: Cancel },
} as const;
