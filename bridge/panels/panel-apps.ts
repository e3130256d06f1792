// The apps with a panel to install, from the registry (or stand-in adapters a test passes):
// each installer finds its app's spec here by the app's id and reads it, never the app's name.
import { type PanelKind, type PanelSpecOf, panelSpecs } from "../../adapters/panel-spec.js";
import { adapters as registered } from "../../adapters/registry.js";
import type { Adapter } from "../../adapters/types.js";

export type Adapters = ReadonlyMap<string, Adapter>;

interface Target<K extends PanelKind> {
  app: string;
  /** The app as messages name it ("After Effects"). */
  label: string;
  spec: PanelSpecOf<K>;
  /** The first panel its adapter declares: the one commands take without --kind. */
  isDefault: boolean;
}

/** An app with a panel; without K, any kind (narrowed by `spec.kind` or isKind). */
export type PanelTarget<K extends PanelKind = PanelKind> = K extends PanelKind ? Target<K> : never;

/** Every app's panels, in registry order (an app with several has one target per kind, its default first). */
export function panelTargets(adapters: Adapters = registered): PanelTarget[] {
  return [...adapters.values()].flatMap((adapter) =>
    panelSpecs(adapter.panel).map(
      (spec, index) =>
        ({ app: adapter.app, label: adapter.displayName, spec, isDefault: index === 0 }) as PanelTarget,
    ),
  );
}

/** Each app with a panel once, in registry order. */
export function panelApps(adapters: Adapters = registered): string[] {
  return [...new Set(panelTargets(adapters).map((target) => target.app))];
}

/** The app's panel of `kind`, or its default one (the first its adapter declares). */
export function findPanelTarget(
  app: string,
  adapters: Adapters = registered,
  kind?: string,
): PanelTarget | undefined {
  return panelTargets(adapters).find(
    (target) => target.app === app && (kind === undefined || target.spec.kind === kind),
  );
}

/** What panel commands take to mean this panel: `APP`, or `APP --kind K` when it is not the default. */
export function panelArgs(target: PanelTarget): string {
  return target.isDefault ? target.app : `${target.app} --kind ${target.spec.kind}`;
}

/** The other panels of the same app, for "… before 25.6: --kind cep". */
export function otherPanels(target: PanelTarget, adapters: Adapters = registered): PanelTarget[] {
  return panelTargets(adapters).filter((t) => t.app === target.app && t.spec.kind !== target.spec.kind);
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
  const target = findPanelTarget(app, adapters, kind);
  if (!target || !isKind(target, kind)) throw new Error(`${app} has no ${kind} panel`);
  return target;
}

/** "a, b or c", for messages that list choices. */
export function orList(names: readonly string[]): string {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** Whether the panel is built for one bridge port (--port), as UXP's network permissions require. */
export function hasBuiltInPort(target: PanelTarget): target is PanelTarget<"uxp"> {
  return isKind(target, "uxp");
}

/** Whether the app's panel needs the user's consent to trust access to VBA (--trust-vba-access). */
export function hasVbaTrust(target: PanelTarget): boolean {
  return isKind(target, "com-runner") && target.spec.vbaTrust !== undefined;
}
