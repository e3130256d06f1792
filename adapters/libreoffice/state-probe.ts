// The LibreOffice state probe, in VBA (the hosts' own language): workbook, path, sheets with
// their used ranges (at most 50 listed), active sheet and selection. Every part that can fail
// headless (no view, a selection that is not a range) is guarded and becomes null.
export const libreOfficeStateProbe = `Function Main()
    Dim wb As Object, count As Long, shown As Long, i As Long, sheets() As Variant
    Set wb = ThisWorkbook
    count = wb.Worksheets.Count
    shown = count
    If shown > 50 Then shown = 50
    ReDim sheets(0 To shown - 1)
    For i = 1 To shown
        sheets(i - 1) = SheetSummary(wb.Worksheets(i))
    Next i
    Main = JsonObject("workbook", wb.Name, "path", DocumentPath(), "sheetCount", count, "sheets", sheets, _
        "moreSheets", count - shown, "activeSheet", ActiveSheetName(), "selection", SelectionAddress())
End Function

Function SheetSummary(ws As Object) As Variant
    SheetSummary = JsonObject("name", ws.Name, "usedRange", UsedAddress(ws))
End Function

Function UsedAddress(ws As Object) As Variant
    UsedAddress = Null
    On Error GoTo Done
    UsedAddress = ws.UsedRange.Address
Done:
End Function

Function DocumentPath() As Variant
    DocumentPath = Null
    On Error GoTo Done
    If ThisComponent.getURL() <> "" Then DocumentPath = ConvertFromURL(ThisComponent.getURL())
Done:
End Function

Function ActiveSheetName() As Variant
    ActiveSheetName = Null
    On Error GoTo Done
    ActiveSheetName = ActiveSheet.Name
Done:
End Function

Function SelectionAddress() As Variant
    SelectionAddress = Null
    On Error GoTo Done
    SelectionAddress = Selection.Address
Done:
End Function
`;
