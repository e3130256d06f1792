// How a connected host gets its id: one readable id per host (`blender-1`), the same in every
// place that names it (the welcome, the add-on's sidebar, `hosts`, the panel, approvals, MCP).
//
// Managed hosts take the id of their supervisor slot (`blender-1` is the first headless Blender
// slot), so a slot restarted after a crash or hang keeps its id. Interactive hosts (apps a person
// opened with the panel) count up per app past the managed slots' ids; one that reconnects under
// the same name gets its former id back when no live host holds it. No id is ever given to two
// live hosts, and an id is not handed to another interactive host while the bridge runs.
import type { Hello } from "../protocol/messages.js";

/** `After Effects` → `after-effects`: the readable part of an id. */
export function appSlug(app: string): string {
  return (
    app
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "host"
  );
}

/** The id of managed slot `index` (1-based) of `app`. */
export function managedHostId(app: string, index: number): string {
  return `${appSlug(app)}-${index}`;
}

export class HostIds {
  /** Managed slot id → the instance token of the process started for it now. */
  private readonly slots = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  /** `app\0name` → the id an interactive host of that name had. */
  private readonly byName = new Map<string, string>();
  private readonly given = new Set<string>();

  /** A supervisor slot: `id` belongs to whichever process says hello with `instance`. */
  reserve(id: string, instance: string): void {
    this.slots.set(id, instance);
  }

  /** Whether `id` belongs to a supervisor slot: a host that restarts under the same id. */
  isManagedSlot(id: string): boolean {
    return this.slots.has(id);
  }

  /** The managed slot id this hello's instance was started for, if any. */
  managedId(hello: Hello): string | undefined {
    if (!hello.instance) return undefined;
    for (const [id, instance] of this.slots) if (instance === hello.instance) return id;
    return undefined;
  }

  /** An id for a new connection; `live(id)` says whether a connected host holds it. */
  assign(hello: Hello, live: (id: string) => boolean): string {
    const managed = this.managedId(hello);
    // A slot's id is its own even when its previous process still looks connected: the
    // supervisor replaced that process, and the pool drops the stale connection.
    if (managed) return managed;
    const key = `${hello.app}\0${hello.name}`;
    const former = this.byName.get(key);
    if (former && !live(former)) return former;
    const slug = appSlug(hello.app);
    let n = this.counters.get(slug) ?? 0;
    let id: string;
    do {
      n++;
      id = `${slug}-${n}`;
    } while (this.slots.has(id) || this.given.has(id) || live(id));
    this.counters.set(slug, n);
    this.given.add(id);
    if (!former) this.byName.set(key, id);
    return id;
  }
}
