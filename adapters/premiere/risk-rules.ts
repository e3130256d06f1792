// Premiere Pro's own risky API, in each language its hosts speak: UXP (25.6+) and
// ExtendScript (older versions): quitting, closing or saving over projects, exporting and
// encoding to files, removing sequences and project items, running code given as text. The
// languages' own risks (UXP storage and shell, ExtendScript File and Folder) are the kits'.
import { appRulesOfKind as rules } from "../risk-names.js";
import type { AppRiskRule } from "../types.js";

export const premiereUxpJsRiskRules: readonly AppRiskRule[] = [
  ...rules("app-quit", "quits Premiere", ["*.quit"]),
  ...rules("app-quit", "closes a project, unsaved changes lost", ["*.close"]),
  ...rules("file-overwrite", "writes a project or media file", ["*.save", "*.saveAs", "*.exportSequence*"]),
  ...rules("file-delete", "removes items from the project", ["*.createRemoveItemAction", "*.deleteSequence"]),
];

export const premiereExtendscriptRiskRules: readonly AppRiskRule[] = [
  ...rules("app-quit", "quits Premiere", ["app.quit"]),
  ...rules("app-quit", "closes or replaces a project, unsaved changes lost", [
    "*.closeDocument",
    "app.openDocument",
    "app.newProject",
  ]),
  ...rules("file-overwrite", "writes a project or media file", [
    "*.save",
    "*.saveAs",
    "*.export*",
    "*.encode*",
  ]),
  ...rules("file-delete", "removes items from the project", ["*.deleteSequence", "*.deleteBin"]),
  ...rules("dynamic-code", "runs a command or code chosen at run time", ["*.executeCommand", "*.doScript"]),
];
