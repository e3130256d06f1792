// The second wall around the bridge's secrets (its token, the model keys): whatever a script
// prints or returns, and whatever the model writes, passes through here before it leaves the
// bridge (tool results, transcripts, logs, MCP results, HTTP answers, batch reports). The first
// wall is that hosts never hand the token to user code; this one catches what got through
// anyway, in its plain, base64 and hex spellings. It cannot catch a secret a script transformed
// on purpose (reversed, split): the README says so.

const secrets = new Map<string, string>();

/** Secrets shorter than this are not worth matching (and would match ordinary text). */
const MIN_SECRET_LENGTH = 12;

/** Spellings of a secret that a script may print without meaning to hide it. */
function spellings(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  return [secret, bytes.toString("base64"), bytes.toString("base64url"), bytes.toString("hex")].map((s) =>
    s.replace(/=+$/, ""),
  );
}

/**
 * Registers a secret for the rest of the process: every later `redact` replaces it with
 * `[redacted: <label>]`. Several bridges in one process (tests) register their own tokens.
 */
export function registerSecret(secret: string | undefined, label: string): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return;
  for (const spelling of spellings(secret)) secrets.set(spelling, label);
}

/** The text with every registered secret replaced. */
export function redact(text: string): string {
  if (secrets.size === 0) return text;
  let out = text;
  for (const [secret, label] of secrets) {
    if (out.includes(secret)) out = out.replaceAll(secret, `[redacted: ${label}]`);
  }
  return out;
}

/** The same value with every string in it (keys included) redacted; other values unchanged. */
export function redactDeep<T>(value: T): T {
  if (secrets.size === 0) return value;
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = walk(item);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const safeKey = redact(key);
      const next = walk(item);
      if (next !== item || safeKey !== key) changed = true;
      out[safeKey] = next;
    }
    return changed ? out : value;
  }
  return value;
}
