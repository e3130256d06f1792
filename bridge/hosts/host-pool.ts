// Every connected host, and how a run picks one.
import { EventEmitter } from "node:events";
import type { Hello } from "../protocol/messages.js";
import type { Host, HostInfo } from "./host.js";
import { HostIds } from "./host-ids.js";

/**
 * Who a run is for, when it names no host:
 * - `person` (exec, the chat panel, MCP, the agent): an app a person opened (interactive)
 *   before a managed headless one, since that is the app they are looking at; among
 *   interactive hosts the most recently active (Host.activeAt: connected, finished a run, or
 *   reported an event such as a document opened or saved); among managed ones the least
 *   loaded, then the longest connected.
 * - `batch`: managed hosts only, least loaded first. A batch opens its files in the host,
 *   which must never replace a document a person has open.
 */
export type Purpose = "person" | "batch";

/** An explicit `host` always wins; `app` alone picks as Purpose `person` says. */
export interface HostSelector {
  host?: string;
  app?: string;
}

export type Selection = { ok: true; host: Host } | { ok: false; message: string };

export class HostPool extends EventEmitter<{ added: [host: Host]; removed: [host: Host] }> {
  private readonly hosts = new Map<string, Host>();
  /** Ids: managed slots reserve theirs (the supervisor), interactive hosts count up. */
  readonly ids = new HostIds();

  /** The id a host saying this hello gets (see HostIds). */
  assignId(hello: Hello): string {
    return this.ids.assign(hello, (id) => this.hosts.has(id));
  }

  add(host: Host): void {
    // Only a managed slot's id can still be held: its previous process, which the supervisor
    // has replaced. Drop that connection so one id never names two live hosts.
    this.hosts.get(host.id)?.drop("replaced by a new instance of its managed slot");
    if (this.ids.managedId(host.hello) === host.id) host.managed = true;
    this.hosts.set(host.id, host);
    host.on("closed", () => {
      if (this.hosts.get(host.id) === host) {
        this.hosts.delete(host.id);
        this.emit("removed", host);
      }
    });
    this.emit("added", host);
  }

  get(id: string): Host | undefined {
    return this.hosts.get(id);
  }

  /** What the next run on host `id` must tell its caller (its host was restarted: work was lost). */
  private readonly notices = new Map<string, string>();

  addNotice(id: string, notice: string): void {
    this.notices.set(id, notice);
  }

  /** The host's pending notice, once. */
  takeNotice(id: string): string | undefined {
    const notice = this.notices.get(id);
    this.notices.delete(id);
    return notice;
  }

  all(): Host[] {
    return [...this.hosts.values()];
  }

  /**
   * Every host: interactive ones first, the most recently active first (so per app the first
   * listed is where a run by app goes when one is connected), then managed ones by id, an order
   * that does not change with their load.
   */
  list(): HostInfo[] {
    const hosts = this.all();
    const interactive = hosts.filter((host) => !host.managed).sort((a, b) => b.activity - a.activity);
    const managed = hosts
      .filter((host) => host.managed)
      .sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
    return [...interactive, ...managed].map((host) => host.info());
  }

  /** The hosts of `app` a run with this purpose may go to, best first. */
  candidates(app: string, purpose: Purpose = "person"): Host[] {
    return rank(
      this.all().filter((host) => host.app === app),
      purpose,
    );
  }

  select(selector: HostSelector): Selection {
    if (selector.host) {
      const host = this.hosts.get(selector.host);
      if (!host)
        return {
          ok: false,
          message: `no connected host with id "${selector.host}"${this.connectedSummary()}`,
        };
      if (selector.app && host.app !== selector.app) {
        return { ok: false, message: `host "${host.id}" is ${host.app}, not ${selector.app}` };
      }
      return { ok: true, host };
    }
    const candidates = rank(
      selector.app ? this.all().filter((host) => host.app === selector.app) : this.all(),
      "person",
    );
    if (candidates.length === 0) {
      const what = selector.app ? `no connected host for app "${selector.app}"` : "no host is connected";
      return { ok: false, message: `${what}${this.connectedSummary()}` };
    }
    if (!selector.app) {
      const apps = new Set(candidates.map((host) => host.app));
      if (apps.size > 1) {
        return {
          ok: false,
          message: `several apps are connected (${[...apps].join(", ")}): name one with app or host`,
        };
      }
    }
    return { ok: true, host: candidates[0]! };
  }

  private connectedSummary(): string {
    const ids = this.all().map((host) => host.id);
    return ids.length ? `; connected: ${ids.join(", ")}` : "; no host is connected";
  }
}

/** Hosts in the order `purpose` prefers them (see Purpose); batch keeps managed hosts only. */
function rank(hosts: Host[], purpose: Purpose): Host[] {
  const managed = hosts.filter((host) => host.managed);
  // Least loaded first; among equals the longest connected (the pool's order), so choice is stable.
  const byLoad = managed
    .map((host, order) => ({ host, order }))
    .sort((a, b) => a.host.load - b.host.load || a.order - b.order)
    .map(({ host }) => host);
  if (purpose === "batch") return byLoad;
  const interactive = hosts.filter((host) => !host.managed).sort((a, b) => b.activity - a.activity);
  return [...interactive, ...byLoad];
}
