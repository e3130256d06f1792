// `scriptwright panel pair | pairings | unpair`: pairing panels that cannot read bridge.json (a
// UXP plugin). `pair` asks the running bridge for a short code; `pairings` and `unpair` go
// through the running bridge (so a revoked panel is disconnected at once) or, with none
// running, read and change pairings.json themselves. Secrets are never printed.
import { BridgeClient, BridgeHttpError } from "../client/bridge-client.js";
import { runningBridgeFile } from "../discovery.js";
import type { IssuedCode } from "../pairing/pairing-codes.js";
import { PairingStore, type PairingView, readPairings } from "../pairing/pairing-store.js";
import { hasBuiltInPort, panelTargets } from "../panels/panel-apps.js";
import { CliError, EXIT } from "./exit-codes.js";

interface PairingOptions {
  dataDir: string;
  json?: boolean;
}

const out = (text: string) => process.stdout.write(`${text}\n`);

/** Where a person types the code: each panel that pairs, by the app's name and where the panel is. */
function whereToType(): string {
  const places = panelTargets()
    .filter(hasBuiltInPort)
    .map((target) => `${target.label}: ${target.spec.openHint}`);
  return places.length ? ` (${places.join("; ")})` : "";
}

export async function panelPair(options: PairingOptions): Promise<number> {
  const issued = await BridgeClient.fromDataDir(options.dataDir).post<IssuedCode>("/api/pairings/code", {});
  if (options.json) {
    out(JSON.stringify(issued));
    return EXIT.ok;
  }
  out(
    [
      `Pairing code: ${issued.code}`,
      `Type it into the Scriptwright panel${whereToType()} and press Connect. It works once, for the next ${Math.round(issued.expiresInSeconds / 60)} minutes; asking for another code ends this one.`,
      "Once paired, the panel reconnects by itself, also after the bridge restarts. `scriptwright panel pairings` lists pairings.",
    ].join("\n"),
  );
  return EXIT.ok;
}

function client(dataDir: string): BridgeClient | null {
  const running = runningBridgeFile(dataDir);
  return running ? new BridgeClient(running) : null;
}

function formatPairings(list: readonly PairingView[], live: boolean): string {
  if (list.length === 0) return "No panels are paired. Pair one with: scriptwright panel pair";
  const stamp = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "never");
  const rows = list.map((p) => [
    p.id,
    p.app,
    p.name,
    stamp(p.createdAt),
    stamp(p.lastUsedAt),
    live ? (p.connected ? "yes" : "no") : "?",
  ]);
  const header = ["ID", "APP", "NAME", "PAIRED", "LAST USED", "CONNECTED"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    line(header),
    ...rows.map(line),
    ...(live ? [] : ["(no bridge is running: CONNECTED is unknown)"]),
  ].join("\n");
}

export async function panelPairings(options: PairingOptions): Promise<number> {
  const bridge = client(options.dataDir);
  const list = bridge
    ? await bridge.get<PairingView[]>("/api/pairings")
    : readPairings(options.dataDir).map(({ secret: _secret, ...rest }) => ({ ...rest, connected: false }));
  out(options.json ? JSON.stringify(list) : formatPairings(list, bridge !== null));
  return EXIT.ok;
}

export async function panelUnpair(
  id: string | undefined,
  options: PairingOptions & { all?: boolean },
): Promise<number> {
  if ((id === undefined) === (options.all !== true)) {
    throw new CliError(
      "name one pairing (`scriptwright panel pairings` lists them) or give --all, not both",
      EXIT.usage,
    );
  }
  const bridge = client(options.dataDir);
  let result: { revoked: string[]; closed: number };
  if (bridge) {
    try {
      result = await bridge.delete(
        id === undefined ? "/api/pairings" : `/api/pairings/${encodeURIComponent(id)}`,
      );
    } catch (error) {
      // An id that names no pairing is the caller's mistake, not a missing bridge.
      if (error instanceof BridgeHttpError && error.status === 404)
        throw new CliError(error.message, EXIT.usage);
      throw error;
    }
  } else {
    result = new PairingStore(options.dataDir).revoke(id === undefined ? undefined : [id]);
  }
  if (options.json) {
    out(JSON.stringify(result));
    return EXIT.ok;
  }
  if (result.revoked.length === 0) {
    out("No panels were paired: nothing to revoke.");
    return EXIT.ok;
  }
  const closed = bridge ? ` ${result.closed} connection${result.closed === 1 ? "" : "s"} closed.` : "";
  out(
    `Revoked ${result.revoked.join(", ")}.${closed} A panel that used ${result.revoked.length === 1 ? "it" : "one"} must pair again: scriptwright panel pair`,
  );
  return EXIT.ok;
}
