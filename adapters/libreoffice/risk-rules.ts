// LibreOffice's own risky API: UNO (in Python and in Basic/VBA) and, for VBA, the Excel object
// model its VBA support emulates (Excel's rules). UNO services are judged by the name given
// to createUnoService / createInstance*, so SystemShellExecute is flagged however it is
// reached; members are named on any object. The languages' own risks (files, processes,
// Shell, Kill, reflection) are the kits'.
import { excelObjectModelRiskRules } from "../excel/risk-rules.js";
import { documentSaves, appRulesOfKind as rules } from "../risk-names.js";
import type { AppRiskRule } from "../types.js";

const unoRiskRules: readonly AppRiskRule[] = [
  ...rules("process", "runs programs", [
    "com.sun.star.system.SystemShellExecute",
    "com.sun.star.system.SimpleCommandMail",
  ]),
  ...rules("network", "sends mail or connects to other offices", [
    "com.sun.star.system.SimpleSystemMail",
    "com.sun.star.system.SystemMailProvider",
    "com.sun.star.bridge.UnoUrlResolver",
    "com.sun.star.connection",
  ]),
  ...rules("file-delete", "deletes, moves and writes any file", [
    "com.sun.star.ucb.SimpleFileAccess",
    "*.kill",
  ]),
  ...documentSaves("saves the document", ["*.store"]),
  ...rules("file-overwrite", "writes files", ["*.writeFile", "*.storeToURL", "*.storeAsURL"]),
  ...rules("app-quit", "quits LibreOffice", ["*.terminate", "com.sun.star.task.OfficeRestartManager"]),
  ...rules("app-quit", "closes the document, unsaved changes lost", [
    "*.dispose",
    "ThisComponent.close",
    "doc.close",
    "*.CurrentComponent.close",
    "*.getCurrentComponent.close",
  ]),
  ...rules("dynamic-code", "runs any .uno: command", ["*.executeDispatch", "*.queryDispatch"]),
  ...rules("dynamic-code", "runs other macros", [
    "com.sun.star.script.provider",
    "*.getScriptProvider",
    "*.getScript",
  ]),
];

export const libreOfficeVbaRiskRules: readonly AppRiskRule[] = [
  ...excelObjectModelRiskRules,
  ...unoRiskRules,
  ...rules("dynamic-code", "edits Basic code", ["BasicLibraries", "*.BasicLibraries"]),
];

export const libreOfficePythonRiskRules: readonly AppRiskRule[] = unoRiskRules;
