// What counts as a pure read in Excel's VBA, for the read-only approval mode: VBA's pure
// functions and the reads of Excel's object model below. LibreOffice implements the same
// object model under the same names, so its list starts from excelObjectModelReads.
// In VBA a member needs no parentheses to be called, so every member a script names must be
// here, and a name that reads on one object must not write on another it can reach: `Text`
// reads a cell but Comment.Text writes, so Comment and Comments are not here.
import type { ReadOnlyRules } from "../types.js";
import { vbaPureReads } from "../vba/pure-reads.js";

/** Reads of the Excel object model, shared with LibreOffice's VBA support. */
export const excelObjectModelReads: Pick<ReadOnlyRules, "functions" | "methods"> = {
  // Globals: the Application's members a script uses without a qualifier.
  functions: [
    "ActiveCell",
    "ActiveSheet",
    "ActiveWorkbook",
    "Application",
    "Cells",
    "Columns",
    "Intersect",
    "Range",
    "Rows",
    "Selection",
    "Sheets",
    "ThisWorkbook",
    "Union",
    "Workbooks",
    "WorksheetFunction",
    "Worksheets",
    "xlDown",
    "xlToLeft",
    "xlToRight",
    "xlUp",
  ],
  methods: [
    // Application, workbooks, sheets.
    "ActiveCell",
    "ActiveSheet",
    "ActiveWorkbook",
    "Count",
    "FullName",
    "Index",
    "Item",
    "Name",
    "Parent",
    "Path",
    "Saved",
    "Sheets",
    "Version",
    "Visible",
    "Workbooks",
    "WorksheetFunction",
    "Worksheets",
    // Ranges.
    "Address",
    "Areas",
    "Cells",
    "Column",
    "Columns",
    "CountLarge",
    "CurrentRegion",
    "End",
    "EntireColumn",
    "EntireRow",
    "Find",
    "Formula",
    "FormulaR1C1",
    "HasFormula",
    "NumberFormat",
    "Offset",
    "Range",
    "Resize",
    "Row",
    "Rows",
    "Text",
    "UsedRange",
    "Value",
    "Value2",
    // WorksheetFunction's pure functions.
    "Average",
    "AverageIf",
    "CountA",
    "CountBlank",
    "CountIf",
    "CountIfs",
    "HLookup",
    "Large",
    "Match",
    "Max",
    "Median",
    "Min",
    "Product",
    "Small",
    "StDev",
    "Sum",
    "SumIf",
    "SumIfs",
    "SumProduct",
    "VLookup",
  ],
};

export const excelVbaReadOnly: ReadOnlyRules = {
  functions: [...vbaPureReads.functions, ...excelObjectModelReads.functions],
  methods: [...vbaPureReads.methods, ...excelObjectModelReads.methods],
};
