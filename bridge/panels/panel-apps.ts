// The apps with a panel to install, from the registry (or stand-in adapters a test passes):
// each installer finds its app's spec here by the app's id and reads it, never the app's name.
import type { PanelKind, PanelSpecOf } from "../../adapters/panel-spec.js";
import { adapters as registered } from "../../adapters/registry.js";
import type { Adapter } from "../../adapters/types.js";

export type Adapters = ReadonlyMap<string, Adapter>;

interface Target<K extends PanelKind> {
  app: string;
  /** The app as messages name it ("After Effects"). */
  label: string;
  spec: PanelSpecOf<K>;
}

/** An app with a panel; without K, any kind (narrowed by `spec.kind` or isKind). */
export type PanelTarget<K extends PanelKind = PanelKind> = K extends PanelKind ? Target<K> : never;

/** Every app with a panel, in registry order. */
export function panelTargets(adapters: Adapters = registered): PanelTarget[] {
  return [...adapters.values()].flatMap((adapter) =>
    adapter.panel
      ? [{ app: adapter.app, label: adapter.displayName, spec: adapter.panel } as PanelTarget]
      : [],
  );
}

export function findPanelTarget(app: string, adapters: Adapters = registered): PanelTarget | undefined {
  return panelTargets(adapters).find((target) => target.app === app);
}

export function isKind<K extends PanelKind>(target: PanelTarget, kind: K): target is PanelTarget<K> {
  return target.spec.kind === kind;
}

/** The app's panel, which must be of `kind` (a plan builder asked for the wrong app is a bug). */
export function panelTargetOf<K extends PanelKind>(
  app: string,
  kind: K,
  adapters: Adapters = registered,
): PanelTarget<K> {
  const target = findPanelTarget(app, adapters);
  if (!target || !isKind(target, kind)) throw new Error(`${app} has no ${kind} panel`);
  return target;
}

/** "a, b or c", for messages that list choices. */
export function orList(names: readonly string[]): string {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** Whether the app's panel needs the user's consent to trust access to VBA (--trust-vba-access). */
export function hasVbaTrust(target: PanelTarget): boolean {
  return isKind(target, "com-runner") && target.spec.vbaTrust !== undefined;
}
