// How a script is judged for the approval policy: the language kit's classifier with the
// app's own rules. Every caller (agent tools, MCP gate, `check`, batch) goes through here, so
// an app's rules apply wherever its code is judged.
import type { Adapter, LanguageKit, ReadOnlyRules, RiskFlag } from "./types.js";

export interface Classification {
  risks: RiskFlag[];
  /** True only when the app's read-only list allows everything the script does. */
  readOnly: boolean;
}

/** The app's read-only rules for `language`, when the app and the kit both have a read-only mode. */
export function readOnlyRulesFor(adapter: Adapter | undefined, kit: LanguageKit): ReadOnlyRules | undefined {
  if (!kit.isReadOnly) return undefined;
  return adapter?.rules?.[kit.language]?.readOnly ?? undefined;
}

export function classify(kit: LanguageKit, adapter: Adapter | undefined, code: string): Classification {
  const risks = kit.risk(code, adapter?.rules?.[kit.language]?.risk ?? []);
  const rules = readOnlyRulesFor(adapter, kit);
  // A flagged script is never read-only, whatever the list says.
  const readOnly = rules !== undefined && risks.length === 0 && kit.isReadOnly!(code, rules);
  return { risks, readOnly };
}
