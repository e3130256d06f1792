// Excel's state in VBA, in the VBA kit's bare-body form (the value is what it assigns to
// Result; JsonObject builds a JSON object). Only the Excel object model is used (ActiveWorkbook,
// Worksheets, UsedRange, ActiveSheet, Selection), so LibreOffice in VBA mode can run it too.
// Bounded: at most 50 sheets are listed whatever the workbook holds; moreSheets counts the rest.
export const excelStateProbe = `Dim wb As Object, ws As Object, sheets() As Variant
Dim i As Long, total As Long, shown As Long, selected As Variant, active As Variant
Set wb = ActiveWorkbook
If wb Is Nothing Then
    Result = JsonObject("workbook", Null)
Else
    total = wb.Worksheets.Count
    shown = total
    If shown > 50 Then shown = 50
    If shown > 0 Then
        ReDim sheets(0 To shown - 1)
        For i = 1 To shown
            Set ws = wb.Worksheets(i)
            sheets(i - 1) = JsonObject("name", ws.Name, "usedRange", ws.UsedRange.Address(False, False), "visible", ws.Visible = -1)
        Next i
    Else
        sheets = Array()
    End If
    selected = Null
    active = Null
    ' A chart or a shape can be selected instead of cells: then there is no address.
    On Error Resume Next
    active = ActiveSheet.Name
    selected = Selection.Address(False, False)
    On Error GoTo 0
    Result = JsonObject("workbook", wb.Name, "path", wb.FullName, "unsavedChanges", Not wb.Saved, _
        "sheetCount", total, "sheets", sheets, "moreSheets", total - shown, _
        "activeSheet", active, "selection", selected)
End If`;
