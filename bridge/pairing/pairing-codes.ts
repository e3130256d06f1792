// Short pairing codes (`scriptwright panel pair`): what a person types into a panel that cannot
// read bridge.json, instead of pasting the URL with the token. A code only bootstraps a pairing,
// so it is short and readable, but it works once, for a few minutes, and a few wrong guesses
// burn it: 8 characters of 30 give ~39 bits against at most 5 tries.
import { randomInt } from "node:crypto";
import { tokenMatches } from "../security/token.js";

/** No 0/O, 1/I/L or U: nothing a person can misread. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH = 8;

export interface IssuedCode {
  /** As shown: "ABCD-EFGH". */
  code: string;
  expiresAt: string;
  expiresInSeconds: number;
}

export type CodeCheck = "ok" | "wrong" | "expired" | "none";

/** What a person may type for a code: any case, with or without the dash or spaces. */
export function normalizeCode(text: string): string {
  return text.replace(/[\s-]+/g, "").toUpperCase();
}

/** Whether the text is shaped like a code (the panel tells a code from a URL with this). */
export function looksLikeCode(text: string): boolean {
  const code = normalizeCode(text);
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c));
}

export class PairingCodes {
  private current: { code: string; expires: number; wrong: number } | null = null;

  constructor(private readonly options: { ttlMs?: number; maxWrong?: number; now?: () => number } = {}) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** A new code; the one before it stops working. */
  issue(): IssuedCode {
    let code = "";
    for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    const ttlMs = this.options.ttlMs ?? 5 * 60_000;
    this.current = { code, expires: this.now + ttlMs, wrong: 0 };
    return {
      code: `${code.slice(0, 4)}-${code.slice(4)}`,
      expiresAt: new Date(this.current.expires).toISOString(),
      expiresInSeconds: Math.round(ttlMs / 1000),
    };
  }

  /** Checks a typed code (constant time); a right one is used up, wrong ones count against it. */
  consume(given: unknown): CodeCheck {
    const current = this.current;
    if (current === null) return "none";
    if (this.now > current.expires) {
      this.current = null;
      return "expired";
    }
    if (typeof given === "string" && tokenMatches(current.code, normalizeCode(given))) {
      this.current = null;
      return "ok";
    }
    current.wrong += 1;
    if (current.wrong >= (this.options.maxWrong ?? 5)) this.current = null;
    return "wrong";
  }
}
