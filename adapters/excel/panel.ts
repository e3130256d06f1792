// Excel is driven by the Windows COM runner, which imports each script into the active workbook
// as a temporary VBA module: Excel allows that only with trust access to the VBA project
// object model (AccessVBOM), per Office version, unless a group policy says otherwise.
import type { ComRunnerPanelSpec } from "../panel-spec.js";

/** Office 2016 and later (365, 2019, 2021, 2024) are all 16.0; 15.0 = 2013, 14.0 = 2010. */
export const OFFICE_VERSIONS = ["16.0", "15.0", "14.0"] as const;

export function excelKey(version: string): string {
  return `HKCU\\Software\\Microsoft\\Office\\${version}\\Excel`;
}

export const TRUST_SETTING =
  'File › Options › Trust Center › Trust Center Settings › Macro Settings › "Trust access to the VBA project object model"';

export const excelPanel: ComRunnerPanelSpec = {
  kind: "com-runner",
  progId: "Excel.Application",
  notes: [
    "Excel must be running with a workbook open when the runner starts (or add --start to launch it). Each run imports a temporary module into the active workbook and removes it afterwards.",
  ],
  startHint: "start Excel and open a workbook",
  vbaTrust: {
    officeVersions: OFFICE_VERSIONS,
    settingsKey: excelKey,
    userKey: (version) => `${excelKey(version)}\\Security`,
    policyKey: (version) => `HKCU\\Software\\Policies\\Microsoft\\Office\\${version}\\Excel\\Security`,
    processImage: "EXCEL.EXE",
    setting: TRUST_SETTING,
    explanation:
      "The runner imports each script into the active workbook as a temporary VBA module, which Excel " +
      `allows only with ${TRUST_SETTING} turned on. It lets any program running as you change VBA code in ` +
      "open workbooks, so it is yours to turn on: in Excel, or here with --trust-vba-access (with Excel closed; " +
      "Excel reads it at start and was reported to write its own value back when it exits).",
    withoutIt: "Excel refuses to let the runner import each script as a temporary module",
    underPolicy: "Excel will not let the runner import scripts as modules",
  },
};
