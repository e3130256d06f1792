// Pairings: a panel that cannot read bridge.json (a UXP plugin) is paired once and then says
// hello with its pairing {id, secret} instead of the token, which changes each time the bridge
// starts. The bridge keeps them in <data-dir>/pairings.json (0600, written atomically); the
// secret is as strong as the token (32 random bytes), compared in constant time, redacted like
// the token and never logged. Revoking one closes the connections that used it.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import { ensurePrivateDir } from "../data-dir.js";
import { writePrivateFile } from "../private-file.js";
import { registerSecret } from "../security/redact.js";
import { newToken, tokenMatches } from "../security/token.js";

export class PairingError extends ScriptwrightError {
  override name = "PairingError";
}

const Stamp = z.string().max(64);

const PairingRecord = z.object({
  id: z.string().regex(/^[a-z0-9-]{4,64}$/),
  secret: z.string().min(43).max(512),
  app: z.string().min(1).max(64),
  name: z.string().min(1).max(128),
  createdAt: Stamp,
  lastUsedAt: Stamp.nullable(),
});

const PairingFile = z.object({ version: z.literal(1), pairings: z.array(PairingRecord) });

export type Pairing = z.infer<typeof PairingRecord>;
/** A pairing as lists show it: never its secret. */
export type PairingView = Omit<Pairing, "secret"> & { connected: boolean };

export function pairingsPath(dataDir: string): string {
  return join(dataDir, "pairings.json");
}

/** The pairings in the data dir ([] when there is no file); a file that is not ours to read throws, naming it. */
export function readPairings(dataDir: string): Pairing[] {
  const path = pairingsPath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new PairingError("pairings-unreadable", `cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PairingError(
      "pairings-unreadable",
      `${path} is not valid JSON (${(error as Error).message}); fix it, or remove it and pair the panels again`,
    );
  }
  const parsed = PairingFile.safeParse(json);
  if (!parsed.success) {
    throw new PairingError(
      "pairings-unreadable",
      `${path} is not a pairings file (${parsed.error.issues[0]?.path.join(".") || "top level"}: ${parsed.error.issues[0]?.message}); fix it, or remove it and pair the panels again`,
    );
  }
  return parsed.data.pairings;
}

/** The id people type to revoke one: short, readable, not secret. */
function newPairingId(): string {
  return `pair-${randomBytes(4).toString("hex")}`;
}

export class PairingStore {
  private pairings: Pairing[] = [];
  /** Why the file could not be read: no pairing is checked, made or revoked until it is fixed (nothing is overwritten). */
  readonly problem: string | null = null;
  /** Connections authenticated by each pairing, closed when it is revoked. */
  private readonly live = new Map<string, Set<() => void>>();

  constructor(private readonly dataDir: string) {
    try {
      this.pairings = readPairings(dataDir);
    } catch (error) {
      this.problem = (error as Error).message;
    }
    for (const pairing of this.pairings) registerSecret(pairing.secret, "pairing secret");
  }

  list(): PairingView[] {
    return this.pairings.map(({ secret: _secret, ...rest }) => ({
      ...rest,
      connected: this.connected(rest.id),
    }));
  }

  /** A new pairing for the panel that said hello as `app`/`name`, stored before it is returned. */
  create(panel: { app: string; name: string }): Pairing {
    this.assertUsable();
    const pairing: Pairing = {
      id: newPairingId(),
      secret: newToken(),
      app: panel.app,
      name: panel.name,
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
    };
    registerSecret(pairing.secret, "pairing secret");
    this.save([...this.pairings, pairing]);
    return pairing;
  }

  /**
   * The pairing these credentials prove, or null. The secret is compared in constant time;
   * `touch` records the use (a hello), which a mere check (a malformed hello) does not.
   */
  verify(id: unknown, secret: unknown, touch = true): Pairing | null {
    if (this.problem !== null || typeof id !== "string") return null;
    const pairing = this.pairings.find((p) => p.id === id);
    // Compare against something even for an unknown id, so both take the same time.
    const ok = tokenMatches(pairing?.secret ?? newToken(), secret) && pairing !== undefined;
    if (!ok || !pairing) return null;
    if (touch) {
      pairing.lastUsedAt = new Date().toISOString();
      this.save(this.pairings);
    }
    return pairing;
  }

  /** Ties a connection to its pairing: `close` runs if the pairing is revoked. Returns the release. */
  watch(id: string, close: () => void): () => void {
    let set = this.live.get(id);
    if (!set) {
      set = new Set();
      this.live.set(id, set);
    }
    set.add(close);
    return () => {
      set.delete(close);
      if (set.size === 0 && this.live.get(id) === set) this.live.delete(id);
    };
  }

  connected(id: string): boolean {
    return (this.live.get(id)?.size ?? 0) > 0;
  }

  /** Revokes the pairings with these ids (all of them when absent); closes their connections. */
  revoke(ids?: readonly string[]): { revoked: string[]; closed: number } {
    this.assertUsable();
    const unknown = (ids ?? []).filter((id) => !this.pairings.some((p) => p.id === id));
    if (unknown.length) {
      throw new PairingError(
        "not-found",
        `no pairing ${unknown.join(", ")}${this.pairings.length ? ` (pairings: ${this.pairings.map((p) => p.id).join(", ")})` : " (there are none)"}`,
        { status: 404 },
      );
    }
    const revoked = this.pairings.filter((p) => ids === undefined || ids.includes(p.id)).map((p) => p.id);
    this.save(this.pairings.filter((p) => !revoked.includes(p.id)));
    let closed = 0;
    for (const id of revoked) {
      for (const close of [...(this.live.get(id) ?? [])]) {
        closed += 1;
        close();
      }
      this.live.delete(id);
    }
    return { revoked, closed };
  }

  /** Throws when the file could not be read: pairing more panels would overwrite it. */
  assertUsable(): void {
    if (this.problem !== null) throw new PairingError("pairings-unreadable", this.problem, { status: 409 });
  }

  private save(pairings: Pairing[]): void {
    ensurePrivateDir(this.dataDir);
    const path = pairingsPath(this.dataDir);
    try {
      writePrivateFile(path, `${JSON.stringify({ version: 1, pairings }, null, 2)}\n`);
    } catch (error) {
      throw new PairingError("pairings-unwritable", `cannot write ${path}: ${(error as Error).message}`);
    }
    this.pairings = pairings;
  }
}
