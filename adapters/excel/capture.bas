' Excel's capture (Adapter.capture, adapters/types.ts): a range or a chart as Excel draws it,
' written into params("dir") by Excel's own export. A range is copied as a picture
' (Range.CopyPicture, xlScreen, xlPicture), pasted into a temporary ChartObject and written by
' Chart.Export as PNG;
' a chart (an embedded ChartObject or a chart sheet, by name) is exported directly. `range` is
' "Sheet1!A1:D10", "A1:D10" on the active sheet, or a chart's name; without it, the active
' sheet's used range (or the active chart sheet). The temporary chart is deleted and the
' workbook's Saved flag put back; the copy goes through the clipboard, which it replaces.

Function Main()
    Dim book As Object, target As String, path As String, wasSaved As Boolean
    Set book = ActiveWorkbook
    If book Is Nothing Then
        Main = JsonObject("refused", "Excel has no workbook open")
        Exit Function
    End If
    target = CaptureOption("range")
    path = params("dir") & Application.PathSeparator & "capture.png"

    Dim chartFound As Object
    If target <> "" Then Set chartFound = FindChart(book, target)
    If target = "" And TypeName(ActiveSheet) = "Chart" Then Set chartFound = ActiveSheet
    If Not chartFound Is Nothing Then
        If Not chartFound.Export(path, "PNG") Then Err.Raise 1004, "Scriptwright", "Excel did not export the chart"
        Main = Pictures("capture.png", chartFound.Name)
        Exit Function
    End If

    Dim ws As Object, area As Object, label As String, why As String
    why = ResolveRange(book, target, ws, area, label)
    If why <> "" Then
        Main = JsonObject("refused", why)
        Exit Function
    End If

    wasSaved = book.Saved
    why = ExportPicture(ws, area, path)
    On Error Resume Next
    area.Worksheet.Activate
    book.Saved = wasSaved
    On Error GoTo 0
    If why <> "" Then Err.Raise 1004, "Scriptwright", "Excel did not export a picture of " & label & ": " & why
    Main = Pictures("capture.png", label)
End Function

' Range -> picture -> temporary ChartObject -> PNG; "" when written, else what went wrong.
Private Function ExportPicture(ws As Object, area As Object, path As String) As String
    Dim holder As Object
    On Error GoTo Failed
    area.CopyPicture 1, -4147
    Set holder = ws.ChartObjects.Add(0, 0, area.Width, area.Height)
    ' Pasting into a chart that is not active leaves an empty picture in some Excel versions.
    holder.Activate
    holder.Chart.Paste
    If Not holder.Chart.Export(path, "PNG") Then ExportPicture = "Chart.Export answered False"
    holder.Delete
    Exit Function
Failed:
    ExportPicture = Err.Description
    If Not holder Is Nothing Then holder.Delete
End Function

' The value the bridge reads: one picture with its label.
Private Function Pictures(file As String, label As String) As Variant
    Pictures = JsonObject("pictures", Array(JsonObject("file", file, "label", label)))
End Function

' params(name), or "" when the capture was not given it.
Private Function CaptureOption(name As String) As String
    On Error GoTo Missing
    CaptureOption = CStr(params(name))
    Exit Function
Missing:
    CaptureOption = ""
End Function

' An embedded chart on any worksheet, or a chart sheet, with this name; Nothing when there is none.
Private Function FindChart(book As Object, name As String) As Object
    Dim ws As Object, holder As Object
    On Error Resume Next
    Set FindChart = book.Charts(name)
    If Not FindChart Is Nothing Then Exit Function
    For Each ws In book.Worksheets
        Set holder = Nothing
        Set holder = ws.ChartObjects(name)
        If Not holder Is Nothing Then
            Set FindChart = holder.Chart
            Exit Function
        End If
    Next ws
End Function

' Finds the sheet and range `target` names (the active sheet's used range when empty); the
' reason it cannot, or "".
Private Function ResolveRange(book As Object, target As String, ws As Object, area As Object, label As String) As String
    Dim sheetName As String, address As String, cut As Long
    cut = InStrRev(target, "!")
    If cut > 0 Then
        sheetName = Left(target, cut - 1)
        address = Mid(target, cut + 1)
        If Left(sheetName, 1) = "'" And Right(sheetName, 1) = "'" Then sheetName = Replace(Mid(sheetName, 2, Len(sheetName) - 2), "''", "'")
        On Error Resume Next
        Set ws = book.Worksheets(sheetName)
        On Error GoTo 0
        If ws Is Nothing Then
            ResolveRange = "no worksheet named """ & sheetName & """ in " & book.Name
            Exit Function
        End If
    Else
        address = target
        If TypeName(ActiveSheet) <> "Worksheet" Then
            ResolveRange = "the active sheet is not a worksheet: name one, as Sheet1!A1:D10"
            Exit Function
        End If
        Set ws = ActiveSheet
    End If
    If address = "" Then
        If Application.WorksheetFunction.CountA(ws.UsedRange) = 0 Then
            ResolveRange = "the sheet " & ws.Name & " is empty: nothing to show"
            Exit Function
        End If
        Set area = ws.UsedRange
    Else
        On Error Resume Next
        Set area = ws.Range(address)
        On Error GoTo 0
        If area Is Nothing Then
            ResolveRange = """" & target & """ is neither a range nor a chart's name in " & book.Name
            Exit Function
        End If
    End If
    label = ws.Name & "!" & area.Address(False, False)
End Function
