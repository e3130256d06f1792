// Excel hosts VBA through the Windows COM runner (panels/windows-com, `scriptwright_com.py
// excel`): each run is the VBA kit's module, imported into the active workbook, called with
// Application.Run and removed. Excel is attached to, never launched headless: it is the
// user's desktop app (the runner's --start opens a visible one when asked).
import type { Adapter } from "../types.js";
import { excelCapture } from "./capture.js";
import { excelCheckpoint } from "./checkpoint.js";
import { excelPanel } from "./panel.js";
import { excelVbaReadOnly } from "./read-only.js";
import { excelVbaRiskRules } from "./risk-rules.js";
import { excelStateProbe } from "./state-probe.js";

export const excelAdapter: Adapter = {
  app: "excel",
  displayName: "Excel",
  language: "vba",
  stateProbe: excelStateProbe,
  panel: excelPanel,
  // No Microsoft text is shipped or built; LibreOffice's live reference uses Excel's names.
  docs: { readsDocsOf: "libreoffice" },
  rules: { vba: { risk: excelVbaRiskRules, readOnly: excelVbaReadOnly } },
  // A range or a chart through Excel's own picture export; runs taken back from a copy of the
  // workbook (any macro clears Excel's own undo history).
  capture: { vba: excelCapture },
  checkpoint: { vba: excelCheckpoint },
  promptNotes: [
    "Excel on Windows, driven through COM: each run is imported into the active workbook as a temporary",
    "module and removed afterwards, so work on ActiveWorkbook / ActiveSheet (ThisWorkbook is the same",
    "workbook). Alerts are off during a run (Application.DisplayAlerts = False), so Save/Delete do not ask.",
    'Read and write ranges in one go (`Range("A1:C10").Value = arr`) rather than cell by cell; do not',
    "change VBA projects (VBProject) or call Application.Run. Worksheet functions: WorksheetFunction.Sum(...).",
    "The docs are the Excel object model as LibreOffice implements it (same names): a subset of Excel's.",
    'capture (a picture for you): `range` is "Sheet1!A1:D10", a range of the active sheet, or a chart\'s name.',
  ].join("\n"),
};
