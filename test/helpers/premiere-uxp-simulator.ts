// A simulator of Premiere's UXP runtime for the plugin in panels/uxp-premiere, run in Node:
// a `premierepro` module of a few classes shaped like the UXP DOM, UXP's secureStorage and
// localStorage, and the plugin's own CommonJS files loaded as UXP loads them. The WebSocket is
// the `ws` package's, which has the browser API UXP has. Premiere cannot run here: what passes
// against this simulator proves the plugin's side of the protocol, never that Premiere works.
import { createRequire } from "node:module";

export interface PairingRecord {
  socketUrl: string;
  id: string;
  secret: string;
}

export interface PairingStore {
  load(): Promise<PairingRecord | null>;
  save(pairing: PairingRecord): Promise<void>;
  clear(): Promise<void>;
}

export interface HostOptions {
  WebSocket: unknown;
  premierepro?: unknown;
  url?: string;
  token?: string;
  pairingCode?: string;
  port?: number;
  store?: PairingStore;
  name?: string;
  appVersion?: string;
  onStatus?: (state: string, detail: string) => void;
  reconnectFirstMs?: number;
  reconnectMaxMs?: number;
}

export interface PluginHost {
  status: string;
  hostId: string | null;
  paired: boolean;
  start(): PluginHost;
  stop(): void;
}

export interface HostRuntime {
  createHost(options: HostOptions): PluginHost;
  parseBridgeUrl(text: string, allowedPort?: number): { socketUrl: string; token: string };
  parsePanelInput(
    text: string,
    allowedPort?: number,
  ): { kind: "url"; socketUrl: string; token: string } | { kind: "code"; code: string };
}

const require = createRequire(import.meta.url);
export const runtime = require("../../panels/uxp-premiere/host-runtime.js") as HostRuntime;
export const { createPairingStore } = require("../../panels/uxp-premiere/pairing-store.js") as {
  createPairingStore(storages: { secureStorage?: unknown; localStorage?: unknown }): PairingStore;
};

// ── the premierepro module ────────────────────────────────────────────────────────────────────
class Guid {
  constructor(private readonly id: string) {}
  toString() {
    return this.id;
  }
}

export class SimulatedSequence {
  name: string;
  guid: Guid;
  constructor(name: string, id: string) {
    this.name = name;
    this.guid = new Guid(id);
  }
}
Object.defineProperty(SimulatedSequence, "name", { value: "Sequence" });

export class SimulatedProject {
  readonly name = "Edit";
  readonly path = "/Users/editor/Edit.prproj";
  readonly sequences = [new SimulatedSequence("Seq 1", "guid-1"), new SimulatedSequence("Seq 2", "guid-2")];
  readonly undoStack: string[] = [];
  private locked = false;
  async getActiveSequence() {
    return this.sequences[0];
  }
  async getSequences() {
    return [...this.sequences];
  }
  lockedAccess(callback: () => void) {
    this.locked = true;
    try {
      callback();
    } finally {
      this.locked = false;
    }
  }
  executeTransaction(callback: (action: { addAction(a: () => void): void }) => void, undoName: string) {
    if (!this.locked) throw new Error("executeTransaction must run inside lockedAccess");
    const actions: (() => void)[] = [];
    callback({ addAction: (a) => actions.push(a) });
    for (const action of actions) action();
    this.undoStack.push(undoName);
    return true;
  }
  createRenameAction(sequence: SimulatedSequence, name: string) {
    if (!this.locked) throw new Error("create*Action must run inside lockedAccess since 26.3");
    return () => {
      sequence.name = name;
    };
  }
}
Object.defineProperty(SimulatedProject, "name", { value: "Project" });

export function premiereSimulator() {
  const project = new SimulatedProject();
  return {
    project,
    module: {
      Application: { version: "25.6.1" },
      Project: { getActiveProject: async () => project },
    },
  };
}

// ── UXP storage ───────────────────────────────────────────────────────────────────────────────
/**
 * UXP's `require("uxp").storage.secureStorage` (async; values come back as Uint8Array) and
 * `window.localStorage` (sync strings), each a Map the test can look into. `secure: false`
 * leaves secureStorage out, as in a UXP version without it.
 */
export function uxpStorageSimulator(options: { secure?: boolean } = {}) {
  const secureItems = new Map<string, Uint8Array>();
  const localItems = new Map<string, string>();
  const secureStorage = {
    async getItem(key: string): Promise<Uint8Array | null> {
      return secureItems.get(key) ?? null;
    },
    async setItem(key: string, value: string): Promise<void> {
      secureItems.set(key, new TextEncoder().encode(value));
    },
    async removeItem(key: string): Promise<void> {
      secureItems.delete(key);
    },
  };
  const localStorage = {
    getItem: (key: string) => localItems.get(key) ?? null,
    setItem: (key: string, value: string) => void localItems.set(key, String(value)),
    removeItem: (key: string) => void localItems.delete(key),
  };
  return {
    storages: { ...(options.secure === false ? {} : { secureStorage }), localStorage },
    secureItems,
    localItems,
  };
}
