// After Effects's own risky API, for ExtendScript: quitting, closing or replacing the
// project, saving over files, removing project items, rendering to files, and running
// commands or code by number or text. The language's own risks (File and Folder, the
// system shell, sockets, $.evalFile, eval) are the ExtendScript kit's.
import { appRulesOfKind as rules } from "../risk-names.js";
import type { AppRiskRule } from "../types.js";

export const afterEffectsExtendscriptRiskRules: readonly AppRiskRule[] = [
  ...rules("app-quit", "quits After Effects", ["app.quit"]),
  ...rules("app-quit", "closes or replaces the open project, unsaved changes lost", [
    "*.project.close",
    "app.newProject",
    "app.open",
  ]),
  ...rules("file-overwrite", "writes files", ["*.save", "*.saveFrameToPng", "*.renderQueue.render"]),
  ...rules("file-delete", "removes items from the project", [
    "*.item.remove",
    "*.items.remove",
    "*.activeItem.remove",
    "*.selection.remove",
    "*.removeUnusedFootage",
    "*.reduceProject",
    "*.consolidateFootage",
  ]),
  ...rules("dynamic-code", "runs a menu command chosen by number", ["*.executeCommand"]),
  ...rules("dynamic-code", "runs code given as text", ["*.scheduleTask", "*.doScript"]),
];
