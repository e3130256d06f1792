// What counts as a pure read in LibreOffice Calc, for the read-only approval mode. VBA: the
// Excel object model LibreOffice implements (excelObjectModelReads) plus UNO reads on
// ThisComponent. Python: plain Python's reads plus UNO reads on `doc`, `desktop` and the
// objects they return. UNO getters that only query are here; never createInstance* (services
// such as SystemShellExecute), dispatch helpers (queryDispatch, executeDispatch), store*,
// set*, insert*, remove*, dispose or close; nor the runner's helpers (open_document,
// new_document, save_as): a script may read `ctx` or `smgr`, not create or run anything with them.
import { excelObjectModelReads } from "../excel/read-only.js";
import { pythonPureReads } from "../python/pure-reads.js";
import type { ReadOnlyRules } from "../types.js";
import { vbaPureReads } from "../vba/pure-reads.js";

/** UNO interface methods that return a value and change nothing. */
const UNO_READS = [
  // Documents, controllers, frames.
  "getArgs",
  "getCurrentComponent",
  "getCurrentController",
  "getLocation",
  "getTitle",
  "getURL",
  "hasLocation",
  "isModified",
  "isReadonly",
  // Spreadsheets and ranges.
  "getActiveSheet",
  "getCellAddress",
  "getCellByPosition",
  "getCellRangeByName",
  "getCellRangeByPosition",
  "getColumns",
  "getDataArray",
  "getError",
  "getFormula",
  "getFormulaArray",
  "getRangeAddress",
  "getRows",
  "getSelection",
  "getSheets",
  "getSpreadsheet",
  "getString",
  "getType",
  "getValue",
  // A cursor is the script's own object: moving it changes nothing in the document.
  "createCursorByRange",
  "gotoEndOfUsedArea",
  "gotoStartOfUsedArea",
  // Containers and properties.
  "getByIndex",
  "getByName",
  "getCount",
  "getElementNames",
  "getName",
  "getPropertySetInfo",
  "getPropertyValue",
  "hasByName",
  "hasElements",
  "hasPropertyByName",
  // Services.
  "getImplementationName",
  "getSupportedServiceNames",
  "supportsService",
];

export const libreOfficeVbaReadOnly: ReadOnlyRules = {
  functions: [
    ...vbaPureReads.functions,
    ...excelObjectModelReads.functions,
    "ThisComponent",
    "ConvertFromURL",
  ],
  methods: [...vbaPureReads.methods, ...excelObjectModelReads.methods, ...UNO_READS],
};

export const libreOfficePythonReadOnly: ReadOnlyRules = {
  imports: [...pythonPureReads.imports, "uno"],
  functions: pythonPureReads.functions,
  methods: [...pythonPureReads.methods, ...UNO_READS, "fileUrlToSystemPath", "systemPathToFileUrl"],
  keywords: pythonPureReads.keywords,
};
