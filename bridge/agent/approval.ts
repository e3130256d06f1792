// Who decides whether a script runs. `ask`: a person approves each script (the default for
// chat); `auto`: everything runs; `read-only`: only scripts the language kit is sure only
// read. Risk flags are always shown with the script, whatever the mode.
import type { RiskFlag } from "../../adapters/types.js";

export const APPROVAL_MODES = ["ask", "auto", "read-only"] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

export interface ProposedScript {
  id: string;
  code: string;
  description: string;
  language: string;
  hostId: string;
  risks: RiskFlag[];
  readOnly: boolean;
}

export type ApprovalDecision = { approved: true; code?: string } | { approved: false; reason: string };

/** Asks a person (terminal prompt, chat panel button). */
export type Approver = (script: ProposedScript, signal: AbortSignal) => Promise<ApprovalDecision>;

/**
 * What the policy says before anyone is asked. `reviewed`: the code is a macro a person made
 * or approved (this exact version), which in `ask` mode runs unasked unless the kit flags a
 * risk. A macro an agent saved and nobody approved is judged like any script.
 */
export function policyVerdict(
  mode: ApprovalMode,
  script: ProposedScript,
  options: { reviewed?: boolean } = {},
): "run" | "ask" | ApprovalDecision {
  if (mode === "auto") return "run";
  if (mode === "read-only") {
    if (script.readOnly) return "run";
    const why = script.risks.length
      ? script.risks.map((risk) => risk.reason).join("; ")
      : "it does something this app's list of pure reads does not cover";
    return { approved: false, reason: `read-only mode: the script was not run because ${why}` };
  }
  if (options.reviewed && script.risks.length === 0) return "run";
  return "ask";
}

/** For runs with nobody to ask (CLI without a TTY and without --yes). */
export const denyNonInteractive: Approver = async () => ({
  approved: false,
  reason: "not approved: this is a non-interactive run and --yes was not given",
});
