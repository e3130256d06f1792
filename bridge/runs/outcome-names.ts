// The outcomes every run ends in (DESIGN.md, Outcomes of a run), without zod: the CLI reads
// them from the bridge's answers and would otherwise load zod for this list alone.
export const OUTCOMES = ["ok", "error", "rejected", "not-dispatched", "timeout", "host-lost"] as const;
export type OutcomeName = (typeof OUTCOMES)[number];
