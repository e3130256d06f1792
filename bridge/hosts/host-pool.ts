// Every connected host, and how a run picks one.
import { EventEmitter } from "node:events";
import type { Host, HostInfo } from "./host.js";

export interface HostSelector {
  host?: string;
  app?: string;
}

export type Selection = { ok: true; host: Host } | { ok: false; message: string };

export class HostPool extends EventEmitter<{ added: [host: Host]; removed: [host: Host] }> {
  private readonly hosts = new Map<string, Host>();
  private readonly counters = new Map<string, number>();

  /** Readable ids (`blender-1`, `blender-2`, …), never reused while the bridge runs. */
  nextId(app: string): string {
    const slug =
      app
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "") || "host";
    const n = (this.counters.get(slug) ?? 0) + 1;
    this.counters.set(slug, n);
    return `${slug}-${n}`;
  }

  add(host: Host): void {
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

  all(): Host[] {
    return [...this.hosts.values()];
  }

  list(): HostInfo[] {
    return this.all().map((host) => host.info());
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
    const candidates = selector.app ? this.all().filter((host) => host.app === selector.app) : this.all();
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
    // Least loaded first; among equals the longest connected, so choice is stable.
    const best = candidates.reduce((a, b) => (b.load < a.load ? b : a));
    return { ok: true, host: best };
  }

  private connectedSummary(): string {
    const ids = this.all().map((host) => host.id);
    return ids.length ? `; connected: ${ids.join(", ")}` : "; no host is connected";
  }
}
