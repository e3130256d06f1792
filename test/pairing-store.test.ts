// The bridge's side of pairing, piece by piece: pairings.json (0600, secrets never listed,
// a file it cannot read left as it is), the short codes (once, for minutes, a few wrong tries),
// and who may say hello (token, pairing or code). End to end with the plugin: uxp-pairing.test.ts.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { authenticateHello, PAIRING_REFUSED } from "../bridge/pairing/hello-auth.js";
import { looksLikeCode, normalizeCode, PairingCodes } from "../bridge/pairing/pairing-codes.js";
import { PairingStore, pairingsPath } from "../bridge/pairing/pairing-store.js";
import type { Hello } from "../bridge/protocol/messages.js";
import { redact } from "../bridge/security/redact.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sw-pairings-"));
  dirs.push(dir);
  return dir;
}

describe("pairings.json", () => {
  it("keeps each pairing with a 32-byte secret, 0600, and lists them without it", () => {
    const dir = dataDir();
    const store = new PairingStore(dir);
    const pairing = store.create({ app: "premiere", name: "premiere" });
    expect(pairing.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(pairing.secret, "base64url")).toHaveLength(32);
    expect(statSync(pairingsPath(dir)).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(store.list())).not.toContain(pairing.secret);
    expect(store.list()).toEqual([
      {
        id: pairing.id,
        app: "premiere",
        name: "premiere",
        createdAt: pairing.createdAt,
        lastUsedAt: null,
        connected: false,
      },
    ]);
    // Redacted like the token from the moment it exists.
    expect(redact(`x ${pairing.secret} y`)).toBe("x [redacted: pairing secret] y");
    // Another bridge on the same data dir (a restart) knows it.
    const again = new PairingStore(dir);
    expect(again.verify(pairing.id, pairing.secret)?.id).toBe(pairing.id);
    expect(again.list()[0]!.lastUsedAt).not.toBeNull();
  });

  it("verifies only the right secret for the right id", () => {
    const store = new PairingStore(dataDir());
    const a = store.create({ app: "premiere", name: "a" });
    const b = store.create({ app: "premiere", name: "b" });
    expect(store.verify(a.id, a.secret)?.name).toBe("a");
    expect(store.verify(a.id, b.secret)).toBeNull();
    expect(store.verify("pair-00000000", a.secret)).toBeNull();
    expect(store.verify(a.id, undefined)).toBeNull();
    expect(store.verify(42, a.secret)).toBeNull();
  });

  it("revoking one closes its connections only; an unknown id names the ones there are", () => {
    const store = new PairingStore(dataDir());
    const a = store.create({ app: "premiere", name: "a" });
    const b = store.create({ app: "premiere", name: "b" });
    const closed: string[] = [];
    store.watch(a.id, () => closed.push("a1"));
    const release = store.watch(a.id, () => closed.push("a2"));
    store.watch(b.id, () => closed.push("b"));
    release();
    expect(store.connected(a.id)).toBe(true);
    expect(store.revoke([a.id])).toEqual({ revoked: [a.id], closed: 1 });
    expect(closed).toEqual(["a1"]);
    expect(store.verify(a.id, a.secret)).toBeNull();
    expect(() => store.revoke([a.id])).toThrow(`no pairing ${a.id} (pairings: ${b.id})`);
    expect(store.revoke()).toEqual({ revoked: [b.id], closed: 1 });
    expect(store.revoke()).toEqual({ revoked: [], closed: 0 });
  });

  it("a file it cannot read is named and left as it is; no pairing is checked or made", () => {
    const dir = dataDir();
    writeFileSync(pairingsPath(dir), '{"version": 1, "pairings": [{"id": "x"}]}');
    chmodSync(pairingsPath(dir), 0o600);
    const store = new PairingStore(dir);
    expect(store.problem).toMatch(
      /pairings\.json is not a pairings file \(pairings\.0\.id: .*\); fix it, or remove it/,
    );
    expect(store.verify("x", "y")).toBeNull();
    expect(() => store.create({ app: "premiere", name: "p" })).toThrow(store.problem!);
    expect(() => store.revoke()).toThrow(store.problem!);
    expect(readFileSync(pairingsPath(dir), "utf8")).toBe('{"version": 1, "pairings": [{"id": "x"}]}');
  });
});

describe("pairing codes", () => {
  it("look like ABCD-EFGH, are typed any way, and work once", () => {
    const codes = new PairingCodes();
    const { code, expiresInSeconds } = codes.issue();
    expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(expiresInSeconds).toBe(300);
    expect(looksLikeCode(code.toLowerCase())).toBe(true);
    expect(normalizeCode(` ${code.toLowerCase()} `)).toBe(code.replace("-", ""));
    expect(codes.consume(code.replace("-", " ").toLowerCase())).toBe("ok");
    expect(codes.consume(code)).toBe("none");
  });

  it("a new code ends the last one; five wrong tries burn it; it expires", () => {
    let now = 1_000_000;
    const codes = new PairingCodes({ now: () => now, ttlMs: 60_000, maxWrong: 5 });
    const old = codes.issue().code;
    const current = codes.issue().code;
    if (old !== current) expect(codes.consume(old)).toBe("wrong");
    for (let i = 0; i < 4; i++) expect(codes.consume("2222-2222")).toBe("wrong");
    expect(codes.consume(current)).toBe("none");
    const later = codes.issue().code;
    now += 60_001;
    expect(codes.consume(later)).toBe("expired");
    expect(codes.consume(later)).toBe("none");
  });
});

describe("who may say hello", () => {
  const token = "t".repeat(43);
  const hello = (extra: Partial<Hello>): Hello => ({
    type: "hello",
    protocol: 1,
    token: "",
    app: "premiere",
    appVersion: "25.6",
    language: "uxp-js",
    name: "p",
    capabilities: [],
    ...extra,
  });

  it("the token (pairing only when asked), a pairing, or a code (always pairing)", () => {
    const ctx = { token, pairings: new PairingStore(dataDir()), codes: new PairingCodes() };
    expect(authenticateHello(hello({ token }), ctx)).toEqual({ ok: true, via: "token" });
    const paired = authenticateHello(hello({ token, pair: true }), ctx);
    expect(paired).toMatchObject({ ok: true, via: "token", made: { app: "premiere", name: "p" } });
    const made = (paired as { made: { id: string; secret: string } }).made;
    expect(authenticateHello(hello({ pairing: { id: made.id, secret: made.secret } }), ctx)).toMatchObject({
      ok: true,
      via: "pairing",
      pairing: { id: made.id },
    });
    expect(authenticateHello(hello({ pairing: { id: made.id, secret: token } }), ctx)).toEqual({
      ok: false,
      message: PAIRING_REFUSED,
      reason: "unknown or revoked pairing",
    });
    const { code } = ctx.codes.issue();
    expect(authenticateHello(hello({ pairingCode: code }), ctx)).toMatchObject({
      ok: true,
      via: "code",
      made: {},
    });
    expect(authenticateHello(hello({ pairingCode: code }), ctx)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^wrong or expired pairing code/),
      reason: "pairing code none",
    });
    expect(authenticateHello(hello({ token: "wrong" }), ctx)).toMatchObject({
      ok: false,
      message: "missing or wrong token",
    });
    expect(ctx.pairings.list()).toHaveLength(2);
  });
});
