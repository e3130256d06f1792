// DNS-rebinding and cross-site protection, applied to every HTTP request and every
// WebSocket upgrade: the Host must be a loopback name with the bridge's port, and an
// Origin, when present, must be the bridge itself or one the user allow-listed.

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

export interface GuardConfig {
  port: number;
  /** Extra origins the user allowed (panel origins), exact match. */
  allowedOrigins: readonly string[];
}

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

export function ownOrigins(port: number): string[] {
  return LOOPBACK_NAMES.map((name) => `http://${name}:${port}`);
}

export function checkHost(host: string | undefined, port: number): GuardVerdict {
  if (!host) return { ok: false, reason: "missing Host header" };
  const normalized = host.trim().toLowerCase();
  if (LOOPBACK_NAMES.some((name) => normalized === `${name}:${port}`)) return { ok: true };
  return { ok: false, reason: "Host header is not this bridge's loopback address" };
}

export function checkOrigin(origin: string | undefined, config: GuardConfig): GuardVerdict {
  if (origin === undefined) return { ok: true };
  const normalized = origin.trim().toLowerCase();
  if (ownOrigins(config.port).includes(normalized)) return { ok: true };
  if (config.allowedOrigins.some((allowed) => allowed.toLowerCase() === normalized)) return { ok: true };
  return { ok: false, reason: "Origin is not allowed" };
}

export function checkRequest(
  headers: { host?: string; origin?: string | string[] },
  config: GuardConfig,
): GuardVerdict {
  const hostVerdict = checkHost(headers.host, config.port);
  if (!hostVerdict.ok) return hostVerdict;
  const origin = Array.isArray(headers.origin) ? headers.origin.join(",") : headers.origin;
  return checkOrigin(origin, config);
}
