// SolidWorks is driven by the Windows COM runner through SldWorks.Application; scripts are
// Python run by the runner, so no VBA setting is involved.
import type { ComRunnerPanelSpec } from "../panel-spec.js";

export const solidworksPanel: ComRunnerPanelSpec = {
  kind: "com-runner",
  progId: "SldWorks.Application",
  notes: [
    "SolidWorks must be running when the runner starts (or add --start to launch it). Scripts are Python, run by the runner with `swApp` bound; VBA macros (.swp) are not used.",
  ],
  startHint: "start SolidWorks",
};
