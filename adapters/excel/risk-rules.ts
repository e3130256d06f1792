// Excel's own risky API, for VBA: its object model (Application, Workbook), which
// LibreOffice's VBA support emulates under the same names (its rules include these). Members
// are named on any object, since workbooks and the application are reached through
// variables and With blocks as often as by name. The language's own risks (Shell, Kill,
// FileSystemObject, CreateObject of shells) are the VBA kit's.
import { documentSaves, appRulesOfKind as rules } from "../risk-names.js";
import type { AppRiskRule } from "../types.js";

export const excelObjectModelRiskRules: readonly AppRiskRule[] = [
  ...rules("app-quit", "quits the application", ["*.Quit"]),
  ...rules("app-quit", "closes a workbook, unsaved changes lost", ["*.Close"]),
  ...documentSaves("saves the workbook", ["*.Save"]),
  ...rules("file-overwrite", "writes a workbook's file", [
    "*.SaveAs*",
    "*.SaveCopyAs",
    "*.ExportAsFixedFormat",
    "*.Export",
  ]),
  ...rules("dynamic-code", "runs a macro chosen by name", ["Run", "*.Run", "*.OnTime", "*.OnKey"]),
  ...rules("dynamic-code", "evaluates text as a formula or macro", [
    "Evaluate",
    "*.Evaluate",
    "ExecuteExcel4Macro",
    "*.ExecuteExcel4Macro",
  ]),
  ...rules("dynamic-code", "edits VBA code", ["*.VBProject", "*.VBE"]),
  ...rules("network", "opens a link or sends mail", ["*.FollowHyperlink", "*.SendMail"]),
];

export const excelVbaRiskRules: readonly AppRiskRule[] = excelObjectModelRiskRules;
