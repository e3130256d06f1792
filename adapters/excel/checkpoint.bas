' Excel's checkpoints (Adapter.checkpoint, adapters/types.ts): a copy of the active workbook.
' Excel's own undo history is cleared by any macro, so before a run the workbook is saved as a
' copy (Workbook.SaveCopyAs: the open workbook keeps its name, file and Saved flag) in its own
' format, into the bridge's data dir. Taking the run back opens the copy read-only and puts its
' sheets in place of the workbook's (cells, formats, charts and sheet names as they were), in
' the same workbook window, file and VBA project; workbook-level names that pointed into the
' replaced sheets are not restored, which the answer says.
'
' The bridge appends a Main per script (see checkpoint.ts) that returns SaveCheckpoint() or
' RestoreCheckpoint(); params are CheckpointParams, bound as data.

' Workbook.FileFormat (XlFileFormat) to the extension its copy is named with.
Private Function BookExtension(book As Object) As String
    Select Case book.FileFormat
        Case 51: BookExtension = ".xlsx"
        Case 52: BookExtension = ".xlsm"
        Case 50: BookExtension = ".xlsb"
        Case 56: BookExtension = ".xls"
        Case Else: BookExtension = ""
    End Select
End Function

Private Function SaveCheckpoint() As Variant
    Dim book As Object, ext As String, staged As String
    Set book = ActiveWorkbook
    If book Is Nothing Then Err.Raise 1004, "Scriptwright", "Excel has no workbook open: there is nothing to keep"
    ext = BookExtension(book)
    If ext = "" Then Err.Raise 1004, "Scriptwright", "a workbook in file format " & book.FileFormat & " keeps no checkpoint"
    ' SaveCopyAs writes the workbook's own format, whatever the name: name it for what it is.
    staged = params("path") & ext
    book.SaveCopyAs staged
    Name staged As params("path")
    SaveCheckpoint = JsonObject("document", book.FullName, "state", JsonObject("book", book.FullName, "ext", ext, "active", ActiveSheet.Name))
End Function

Private Function RestoreCheckpoint() As Variant
    Dim book As Object, saved As Object, staged As String, kept As Long, i As Long, names() As String
    Set book = ActiveWorkbook
    If book Is Nothing Then Err.Raise 1004, "Scriptwright", "Excel has no workbook open to restore"
    If book.FullName <> params("state", "book") And Not params("force") Then
        RestoreCheckpoint = JsonObject("refused", "the active workbook is " & book.FullName & ", not " & params("state", "book") & ", which the run changed")
        Exit Function
    End If
    staged = params("path") & params("state", "ext")
    FileCopy params("path"), staged
    Set saved = Workbooks.Open(staged, 0, True)
    kept = book.Sheets.Count
    ReDim names(1 To saved.Sheets.Count)
    For i = 1 To saved.Sheets.Count
        names(i) = saved.Sheets(i).Name
    Next i
    ' Copied together, the sheets' formulas and charts keep pointing at each other.
    saved.Sheets.Copy After:=book.Sheets(kept)
    saved.Close False
    Kill staged
    For i = kept To 1 Step -1
        book.Sheets(i).Delete
    Next i
    For i = 1 To UBound(names)
        book.Sheets(i).Name = names(i)
    Next i
    book.Sheets(params("state", "active")).Activate
    RestoreCheckpoint = JsonObject("document", book.FullName, "notes", Array("the workbook's sheets were put back from the copy; workbook-level names that pointed into them may need redefining"))
End Function
