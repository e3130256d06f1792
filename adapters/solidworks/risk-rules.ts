// SolidWorks's own risky API, for Python scripts driving it through COM (`swApp`). Its
// objects are always reached through variables (swApp, doc, model.Extension), so each rule
// names the member on any object. The language's own risks (files, processes, pywin32 COM
// classes, reflection) are the Python kit's.
import { documentSaves, appRulesOfKind as rules } from "../risk-names.js";
import type { AppRiskRule } from "../types.js";

export const solidworksPythonRiskRules: readonly AppRiskRule[] = [
  ...rules("app-quit", "quits SolidWorks", ["*.ExitApp"]),
  ...rules("app-quit", "closes documents, unsaved changes lost", [
    "*.CloseDoc",
    "*.CloseAllDocuments",
    "*.QuitDoc",
  ]),
  ...documentSaves("saves the document", ["*.Save", "*.Save2", "*.Save3"]),
  ...rules("file-overwrite", "writes over a document's file", ["*.SaveAs*", "*.SaveBMP", "*.CopyDocument"]),
  ...rules("file-delete", "deletes from the model, with no undo group", [
    "*.DeleteSelection*",
    "*.EditDelete",
    "*.DeleteFeature",
  ]),
  ...rules("dynamic-code", "runs another macro or a command chosen by number", [
    "*.RunMacro*",
    "*.RunCommand",
  ]),
  ...rules("native-code", "loads an add-in", ["*.LoadAddIn"]),
];
