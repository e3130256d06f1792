// LibreOffice Calc hosts VBA (its VBA compatibility mode) and Python. Headless instances are
// the runner panels/libreoffice/scriptwright_libreoffice.py, run by a Python that has `uno`;
// it starts its own soffice with a private profile and opens one document.
import { resolve } from "node:path";
import { packagePath } from "../shared/package-path.js";
import {
  type Adapter,
  type HeadlessLaunch,
  type HeadlessLaunchOptions,
  hostArgs,
  hostEnv,
} from "../types.js";
import { libreOfficeCapture } from "./capture.js";
import { libreOfficeCheckpoint } from "./checkpoint.js";
import { libreofficeDocs } from "./docs/index.js";
import { findSoffice, findUnoPython } from "./find.js";
import { libreOfficePythonReadOnly, libreOfficeVbaReadOnly } from "./read-only.js";
import { libreOfficePythonRiskRules, libreOfficeVbaRiskRules } from "./risk-rules.js";
import { libreOfficeStateProbe } from "./state-probe.js";

export const libreOfficeRunnerScript = packagePath("panels", "libreoffice", "scriptwright_libreoffice.py");

/** What every Python run sees; bind() keeps `doc` the open document even after open_document(). */
const PYTHON_PRELUDE = [
  "import uno",
  "import scriptwright_libreoffice_session as _session",
  "from scriptwright_libreoffice_session import ctx, smgr, desktop, open_document, new_document, save_as",
  "doc = _session.bind(globals())",
].join("\n");

export function launchLibreOffice(soffice: string, options: HeadlessLaunchOptions): HeadlessLaunch {
  const python = findUnoPython(soffice);
  if (!python) throw new Error("no Python with the uno module (install python3-uno)");
  const args = [libreOfficeRunnerScript, "--soffice", soffice, ...hostArgs(options)];
  // Absolute, so a file name starting with "-" is never read as an option.
  if (options.file) args.push("--file", resolve(options.file));
  return { command: python, args, env: hostEnv(options) };
}

/** soffice, when a Python that can run the runner exists too. */
function findLibreOffice(): string | null {
  const soffice = findSoffice();
  return soffice && findUnoPython(soffice) ? soffice : null;
}

export const libreOfficeAdapter: Adapter = {
  app: "libreoffice",
  displayName: "LibreOffice Calc",
  language: "vba",
  wrapOptionsByLanguage: {
    // LibreOffice Basic runs VBA only in modules that ask for it.
    vba: { prelude: "Option VBASupport 1" },
    python: { prelude: PYTHON_PRELUDE },
  },
  headless: { find: findLibreOffice, launch: launchLibreOffice },
  stateProbe: { vba: libreOfficeStateProbe },
  // VBA hosts speak Python too: their pictures and checkpoints are made from Python.
  capture: { python: libreOfficeCapture },
  checkpoint: { python: libreOfficeCheckpoint },
  docs: libreofficeDocs,
  rules: {
    vba: { risk: libreOfficeVbaRiskRules, readOnly: libreOfficeVbaReadOnly },
    python: { risk: libreOfficePythonRiskRules, readOnly: libreOfficePythonReadOnly },
  },
  promptNotes: [
    "LibreOffice Calc runs VBA through its VBA compatibility: Workbooks/Worksheets, Range/Cells",
    "(Value, Formula), WorksheetFunction, Worksheets.Add, Collection, arrays, On Error all work. Not",
    "headless: Range.End(xlUp) (use UsedRange), Scripting.Dictionary (use Collection), Debug.Print",
    "(use Log). ThisWorkbook.Save writes the workbook's file in its own format (a new workbook has no",
    "file: SaveAs a full path first); SaveAs writes the format its extension names (.xlsx, .ods,",
    ".csv, .xls); SaveCopyAs writes .xls content whatever the name. Workbooks.Add and Workbooks.Open",
    "work (documents open hidden); wb.Activate switches ActiveWorkbook; each run starts on the host's",
    "document.",
    "Put ReDim Preserve in a block If (a one-line If loses the data); no numeric line labels.",
    "Cells holding dates read back as serial numbers. UNO is there too: ThisComponent is the",
    "document. Python runs as well (run with language python): uno, ctx, desktop and doc (the open",
    "document) are predefined, with open_document(path), new_document() and save_as(path).",
  ].join("\n"),
  // In Python: the runner replaces its document (and closes the old one) only from Python.
  openDocument: { language: "python", code: 'open_document(params["file"])' },
  newDocument: { language: "python", code: "new_document()\nTrue" },
};
