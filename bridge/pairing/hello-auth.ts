// Who may say hello on /ws/host: a panel with the token (as always), one with a stored pairing,
// or one with a pairing code the bridge showed. A pairing is made for a hello with a code, or
// with the token and `pair: true`. Every refusal is `unauthorized`; its message says how to pair
// again, the same for a wrong and a revoked secret.
import type { Hello } from "../protocol/messages.js";
import { tokenMatches } from "../security/token.js";
import type { PairingCodes } from "./pairing-codes.js";
import type { Pairing, PairingStore } from "./pairing-store.js";

export interface HelloAuthContext {
  token: string;
  pairings: PairingStore;
  codes: PairingCodes;
}

export type HelloAuth =
  | {
      ok: true;
      via: "token" | "pairing" | "code";
      /** The pairing this connection stands on (used or made): its revocation closes it. */
      pairing?: Pairing;
      /** Made for this hello: sent back in the welcome. */
      made?: Pairing;
      /** Said in the log: why a pairing asked for was not made. */
      warning?: string;
    }
  | { ok: false; message: string; reason: string };

const PAIR_AGAIN =
  "pair it again: run `scriptwright panel pair` and type the code into the panel, or paste the URL `scriptwright serve` prints";

export const PAIRING_REFUSED = `this panel's pairing is not known to the bridge (revoked with \`scriptwright panel unpair\`, or made with another data dir): ${PAIR_AGAIN}`;
export const PAIRING_REVOKED = `this panel's pairing was revoked (scriptwright panel unpair): ${PAIR_AGAIN}`;
const CODE_REFUSED =
  "wrong or expired pairing code: run `scriptwright panel pair` for a new one (a code works once, for 5 minutes)";

/** Whether a frame that is not a valid hello carries credentials, without using any (a code stays unused). */
export function carriesCredentials(frame: unknown, ctx: HelloAuthContext): boolean {
  const { token, pairing } = (frame ?? {}) as {
    token?: unknown;
    pairing?: { id?: unknown; secret?: unknown };
  };
  return tokenMatches(ctx.token, token) || ctx.pairings.verify(pairing?.id, pairing?.secret, false) !== null;
}

export function authenticateHello(hello: Hello, ctx: HelloAuthContext): HelloAuth {
  const panel = { app: hello.app, name: hello.name };
  if (tokenMatches(ctx.token, hello.token)) {
    if (!hello.pair) return { ok: true, via: "token" };
    return withNewPairing("token", panel, ctx);
  }
  if (hello.pairing) {
    const pairing = ctx.pairings.verify(hello.pairing.id, hello.pairing.secret);
    if (pairing) return { ok: true, via: "pairing", pairing };
    const reason = ctx.pairings.problem === null ? "unknown or revoked pairing" : "pairings file unreadable";
    return { ok: false, message: PAIRING_REFUSED, reason };
  }
  if (hello.pairingCode !== undefined) {
    const check = ctx.codes.consume(hello.pairingCode);
    if (check === "ok") return withNewPairing("code", panel, ctx);
    return { ok: false, message: CODE_REFUSED, reason: `pairing code ${check}` };
  }
  return { ok: false, message: "missing or wrong token", reason: "wrong token" };
}

function withNewPairing(
  via: "token" | "code",
  panel: { app: string; name: string },
  ctx: HelloAuthContext,
): HelloAuth {
  try {
    const made = ctx.pairings.create(panel);
    return { ok: true, via, pairing: made, made };
  } catch (error) {
    // The panel still connects this time; it is not paired (the log says why).
    return { ok: true, via, warning: (error as Error).message };
  }
}
