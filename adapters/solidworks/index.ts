// SolidWorks is scripted in Python from outside the app: the Windows COM runner
// (panels/windows-com, `scriptwright_com.py solidworks`) runs the Python kit's wrapped code in
// its own Python with pywin32, against the running SldWorks.Application. VBA text cannot be
// written into a .swp macro (a binary VBA project), so SolidWorks scripts are Python only.
import type { Adapter, WrapOptions } from "../types.js";
import { solidworksCapture } from "./capture.js";
import { solidworksCheckpoint } from "./checkpoint.js";
import { solidworksDocs } from "./docs/index.js";
import { solidworksPanel } from "./panel.js";
import { solidworksPythonRiskRules } from "./risk-rules.js";
import { solidworksStateProbe } from "./state-probe.js";

// `scriptwright_solidworks` is the runner's module (panels/windows-com): it attaches to the
// running SolidWorks once per runner and re-attaches after a restart, or raises a message
// saying SolidWorks is not running.
export const solidworksWrapOptions: WrapOptions = {
  prelude: [
    "import pythoncom",
    "import win32com.client",
    'swApp = __import__("scriptwright_solidworks").application()',
  ].join("\n"),
};

export const solidworksAdapter: Adapter = {
  app: "solidworks",
  displayName: "SolidWorks",
  language: "python",
  wrapOptions: solidworksWrapOptions,
  stateProbe: solidworksStateProbe,
  panel: solidworksPanel,
  // Built on the user's machine from their own install's help (docs build --from …).
  docs: solidworksDocs,
  // No read-only list: SolidWorks cannot run here, so no list of its pure reads could be checked
  // against the real API, and an unchecked list would let scripts run unasked.
  rules: { python: { risk: solidworksPythonRiskRules, readOnly: null } },
  // Pictures through its own export in the standard orientations; runs on a part taken back
  // from a copy of it (SolidWorks has no undo a script can drive).
  capture: { python: solidworksCapture },
  checkpoint: { python: solidworksCheckpoint },
  promptNotes: [
    "Scripts are Python run by the Scriptwright COM runner next to SolidWorks (not inside it): `swApp` is the",
    "running SldWorks.Application through pywin32; `win32com` (win32com.client) and `pythoncom` are imported.",
    "Late binding: a zero-argument method may already be called on access (`doc.GetTitle` can be the string),",
    "so read values as `v = doc.GetTitle; v = v() if callable(v) else v`. Optional object arguments:",
    "`win32com.client.VARIANT(pythoncom.VT_DISPATCH, None)`. Lengths are metres, angles radians. Document",
    "types (GetType): 1 part, 2 assembly, 3 drawing. `swApp.ActiveDoc` is None with no document open.",
    "Call `doc.EditRebuild3()` after changing features. There is no undo group: each API call is its own step.",
    "capture (a picture for you): views front, back, left, right, top, bottom, isometric, trimetric, dimetric.",
  ].join("\n"),
};
