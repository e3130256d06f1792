' Scriptwright runtime for VBA (Excel) and LibreOffice Basic in VBA mode.
' The VBA kit (adapters/vba) builds one module per run: host options, the user's Option
' lines, the declarations below, the user's code, the procedures below, then the generated
' loaders and `Public Function ScriptwrightRun() As String`, which returns the JSON envelope.
' Everything here is declared explicitly (the user's Option Explicit applies to it) and
' never relies on Option Base or Option Compare. Names start with Swrt_ so they do not
' clash with user code; Log, JsonObject and params are the user-facing ones.
' Portability notes (LibreOffice 7.4): UBound on an unallocated array returns -1 instead of
' raising; TypeName of a Collection is "Object"; a Collection cannot hold an array; ReDim
' Preserve in a one-line If loses the array's contents (so it is always in a block If here);
' Str() and Val() ignore the locale, as in VBA.

' Line of the user's code being run, set by the tracking lines the kit inserts.
Private Swrt_Line As Long
' 0 setup, 1 the user's code, 2 encoding the value.
Private Swrt_Phase As Long
Private Swrt_Logs As String
Private Swrt_LogRoom As Long
Private Swrt_LogDropped As Long
Private Swrt_MaxItems As Long
Private Swrt_Budget As Long
' Strings the kit moved out of the code (non-ASCII text, the params JSON at index 0).
Private Swrt_S() As String
' JSON parser state.
Private Swrt_Src As String
Private Swrt_Pos As Long
' Macro parameters (a JsonObject for a JSON object), read through params().
Private Swrt_Params As Variant

' ==== procedures ====

' Writes one line to the run's logs: the parts joined by spaces (VBA has no stdout).
Private Sub Log(ParamArray parts())
    Dim i As Long, msg As String
    For i = LBound(parts) To UBound(parts)
        If i > LBound(parts) Then msg = msg & " "
        msg = msg & Swrt_Text(parts(i))
    Next i
    Swrt_AppendLog msg & vbLf
End Sub

' A JSON object for Result: JsonObject("name", value, "count", n, ...).
Private Function JsonObject(ParamArray pairs()) As Variant
    Dim out() As Variant, i As Long, n As Long
    n = UBound(pairs) - LBound(pairs) + 1
    ReDim out(0 To n)
    out(0) = Swrt_ObjectMarker()
    For i = 0 To n - 1
        If IsObject(pairs(LBound(pairs) + i)) Then
            Set out(i + 1) = pairs(LBound(pairs) + i)
        Else
            out(i + 1) = pairs(LBound(pairs) + i)
        End If
    Next i
    JsonObject = out
End Function

Private Function Swrt_ObjectMarker() As String
    Swrt_ObjectMarker = ChrW(1) & "Scriptwright.JsonObject"
End Function

Private Sub Swrt_Begin(ByVal maxLog As Long, ByVal maxValue As Long, ByVal maxItems As Long)
    Swrt_Line = 0
    Swrt_Phase = 0
    Swrt_Logs = ""
    Swrt_LogRoom = maxLog
    Swrt_LogDropped = 0
    Swrt_Budget = maxValue
    Swrt_MaxItems = maxItems
End Sub

Private Sub Swrt_AppendLog(ByVal t As String)
    If Len(t) <= Swrt_LogRoom Then
        Swrt_Logs = Swrt_Logs & t
        Swrt_LogRoom = Swrt_LogRoom - Len(t)
    Else
        If Swrt_LogRoom > 0 Then Swrt_Logs = Swrt_Logs & Left$(t, Swrt_LogRoom)
        Swrt_LogDropped = Swrt_LogDropped + Len(t) - Swrt_LogRoom
        Swrt_LogRoom = 0
    End If
End Sub

' Copies v into target whether it is an object reference or a value.
Private Sub Swrt_Store(ByRef target As Variant, ByVal v As Variant)
    If IsObject(v) Then
        Set target = v
    Else
        target = v
    End If
End Sub

Private Sub Swrt_BindParams()
    Dim parsed As Variant
    Swrt_ParseJson Swrt_S(0), parsed
    If IsNull(parsed) Then parsed = JsonObject()
    Swrt_Store Swrt_Params, parsed
End Sub

' Macro parameters: params("count"); params("outer", "inner") or params("list", 0) for nested
' values; params() for all of them. A function rather than a variable: LibreOffice 7.4 cannot
' index a module-level Collection variable (params("x") fails) nor a call's result (f("a")("b")).
Private Function params(ParamArray path()) As Variant
    Dim v As Variant, found As Variant, i As Long, ok As Boolean
    Swrt_Store v, Swrt_Params
    For i = LBound(path) To UBound(path)
        Swrt_Lookup v, path(i), found, ok
        If Not ok Then Err.Raise 9, "Scriptwright", "params has no value at " & Swrt_Text(path(i))
        Swrt_Store v, found
    Next i
    If IsObject(v) Then Set params = v Else params = v
End Function

Private Sub Swrt_Lookup(v As Variant, key As Variant, ByRef found As Variant, ByRef ok As Boolean)
    Dim i As Long
    ok = False
    On Error GoTo Failed
    If IsObject(v) Then
        Swrt_Store found, v.Item(key)
        ok = True
    ElseIf Not IsArray(v) Then
        Exit Sub
    ElseIf Swrt_IsJsonObject(v) Then
        For i = LBound(v) + 1 To UBound(v) - 1 Step 2
            If StrComp(v(i), CStr(key), vbBinaryCompare) = 0 Then
                Swrt_Store found, v(i + 1)
                ok = True
                Exit Sub
            End If
        Next i
    Else
        Swrt_Store found, v(key)
        ok = True
    End If
Failed:
End Sub

' ---- envelope ----

Private Function Swrt_Succeed(v As Variant) As String
    Swrt_Phase = 2
    Swrt_Succeed = "{""$scriptwright"":1,""ok"":true,""value"":" & Swrt_Encode(v, 0) & Swrt_LogsField() & "}"
End Function

Private Function Swrt_Fail(ByVal number As Long, ByVal description As String) As String
    Dim message As String, e As String
    message = description
    If message = "" Then message = "error " & number
    If Swrt_Phase = 0 Then message = "the Scriptwright wrapper failed before your code ran: " & message
    If Swrt_Phase = 2 Then message = "your code ran, but its value could not be encoded: " & message
    e = """message"":" & Swrt_Quote(message) & ",""type"":" & Swrt_Quote("VBA error " & number)
    If Swrt_Phase = 1 And Swrt_Line > 0 Then e = e & ",""line"":" & Swrt_Line
    Swrt_Fail = "{""$scriptwright"":1,""ok"":false,""error"":{" & e & "}" & Swrt_LogsField() & "}"
End Function

Private Function Swrt_LogsField() As String
    Dim t As String
    t = Swrt_Logs
    If Swrt_LogDropped > 0 Then
        t = t & vbLf & "[scriptwright: " & Swrt_LogDropped & " more characters of output were dropped]" & vbLf
    End If
    If t <> "" Then Swrt_LogsField = ",""logs"":" & Swrt_Quote(t)
End Function

' ---- JSON encoding ----

Private Function Swrt_Encode(v As Variant, ByVal depth As Long) As String
    Dim s As String
    If IsObject(v) Then
        Swrt_Encode = Swrt_EncodeObject(v, depth)
        Exit Function
    End If
    If IsArray(v) Then
        Swrt_Encode = Swrt_EncodeArray(v, depth)
        Exit Function
    End If
    Select Case VarType(v)
    Case 0, 1 ' Empty, Null
        s = "null"
    Case 11 ' Boolean
        If v Then s = "true" Else s = "false"
    Case 8 ' String
        s = Swrt_EncodeString(CStr(v))
    Case 7 ' Date
        s = """" & Swrt_IsoDate(v) & """"
    Case 10 ' Error value such as a cell's #DIV/0!
        s = "{""$type"":""Error"",""$repr"":" & Swrt_Quote(CStr(v)) & "}"
    Case 2, 3, 4, 5, 6, 14, 17, 20 ' Integer, Long, Single, Double, Currency, Decimal, Byte, LongLong
        s = Swrt_Number(v)
    Case Else
        s = "{""$type"":" & Swrt_Quote(TypeName(v)) & "}"
    End Select
    Swrt_Budget = Swrt_Budget - Len(s)
    Swrt_Encode = s
End Function

Private Function Swrt_EncodeString(ByVal t As String) As String
    Dim room As Long
    If Len(t) + 2 <= Swrt_Budget Then
        Swrt_EncodeString = Swrt_Quote(t)
        Exit Function
    End If
    room = Swrt_Budget
    If room < 0 Then room = 0
    Swrt_EncodeString = "{""$truncated"":""size"",""head"":" & Swrt_Quote(Left$(t, room)) & ",""length"":" & Len(t) & "}"
End Function

Private Function Swrt_Quote(ByVal t As String) As String
    Dim c As Long
    t = Replace(t, "\", "\\", 1, -1, vbBinaryCompare)
    t = Replace(t, """", "\""", 1, -1, vbBinaryCompare)
    t = Replace(t, vbLf, "\n", 1, -1, vbBinaryCompare)
    t = Replace(t, vbCr, "\r", 1, -1, vbBinaryCompare)
    t = Replace(t, vbTab, "\t", 1, -1, vbBinaryCompare)
    For c = 0 To 31
        If InStr(1, t, Chr$(c), vbBinaryCompare) > 0 Then
            t = Replace(t, Chr$(c), "\u" & Right$("000" & Hex$(c), 4), 1, -1, vbBinaryCompare)
        End If
    Next c
    Swrt_Quote = """" & t & """"
End Function

Private Function Swrt_Number(v As Variant) As String
    Dim s As String
    ' Str always writes "." as the decimal separator, whatever the locale (CStr does not).
    s = Trim$(Str$(v))
    If Left$(s, 1) = "." Then s = "0" & s
    If Left$(s, 2) = "-." Then s = "-0" & Mid$(s, 2)
    ' JSON has no infinities or NaN: keep whatever text VBA gave them.
    If s = "" Or s Like "*[!0-9.E+-]*" Then s = "{""$float"":" & Swrt_Quote(s) & "}"
    Swrt_Number = s
End Function

Private Function Swrt_IsoDate(d As Variant) As String
    Dim s As String
    s = Right$("000" & Year(d), 4) & "-" & Right$("0" & Month(d), 2) & "-" & Right$("0" & Day(d), 2)
    If Hour(d) <> 0 Or Minute(d) <> 0 Or Second(d) <> 0 Then
        s = s & "T" & Right$("0" & Hour(d), 2) & ":" & Right$("0" & Minute(d), 2) & ":" & Right$("0" & Second(d), 2)
    End If
    Swrt_IsoDate = s
End Function

Private Function Swrt_DepthMarker(ByVal kind As String) As String
    Swrt_DepthMarker = "{""$truncated"":""depth"",""$type"":" & Swrt_Quote(kind) & "}"
    Swrt_Budget = Swrt_Budget - 40
End Function

Private Function Swrt_More(ByVal count As Long) As String
    Swrt_More = "{""$more"":" & count & "}"
End Function

' Number of dimensions of an array; 0 for an unallocated dynamic array in Excel.
Private Function Swrt_Dims(v As Variant) As Long
    Dim d As Long, bound As Long
    On Error GoTo Done
    For d = 1 To 60
        bound = UBound(v, d)
    Next d
Done:
    Swrt_Dims = d - 1
End Function

Private Function Swrt_EncodeArray(v As Variant, ByVal depth As Long) As String
    Dim dims As Long
    dims = Swrt_Dims(v)
    If dims = 0 Then
        Swrt_EncodeArray = "[]"
    ElseIf depth >= 8 Then
        Swrt_EncodeArray = Swrt_DepthMarker("Array")
    ElseIf dims = 1 Then
        If Swrt_IsJsonObject(v) Then
            Swrt_EncodeArray = Swrt_EncodePairs(v, depth)
        Else
            Swrt_EncodeArray = Swrt_EncodeList(v, depth)
        End If
    ElseIf dims = 2 Then
        Swrt_EncodeArray = Swrt_EncodeRows(v, depth)
    Else
        Swrt_EncodeArray = "{""$type"":""Array"",""$repr"":""array with " & dims & " dimensions""}"
    End If
End Function

Private Function Swrt_IsJsonObject(v As Variant) As Boolean
    If UBound(v) < LBound(v) Then Exit Function
    If IsObject(v(LBound(v))) Or IsArray(v(LBound(v))) Then Exit Function
    If VarType(v(LBound(v))) <> 8 Then Exit Function
    Swrt_IsJsonObject = (StrComp(v(LBound(v)), Swrt_ObjectMarker(), vbBinaryCompare) = 0)
End Function

Private Function Swrt_EncodeList(v As Variant, ByVal depth As Long) As String
    Dim lb As Long, count As Long, i As Long, n As Long, parts() As String
    lb = LBound(v)
    count = UBound(v) - lb + 1
    If count <= 0 Then
        Swrt_EncodeList = "[]"
        Exit Function
    End If
    ReDim parts(0 To count)
    For i = 0 To count - 1
        If i >= Swrt_MaxItems Or Swrt_Budget <= 0 Then
            parts(n) = Swrt_More(count - i)
            n = n + 1
            Exit For
        End If
        parts(n) = Swrt_Encode(v(lb + i), depth + 1)
        n = n + 1
        Swrt_Budget = Swrt_Budget - 1
    Next i
    ReDim Preserve parts(0 To n - 1)
    Swrt_EncodeList = "[" & Join(parts, ",") & "]"
End Function

' A 2-D array (a range's .Value) as a list of rows.
Private Function Swrt_EncodeRows(v As Variant, ByVal depth As Long) As String
    Dim r0 As Long, c0 As Long, rows As Long, cols As Long, r As Long, c As Long
    Dim n As Long, m As Long, out() As String, cells() As String
    r0 = LBound(v, 1)
    c0 = LBound(v, 2)
    rows = UBound(v, 1) - r0 + 1
    cols = UBound(v, 2) - c0 + 1
    If rows <= 0 Then
        Swrt_EncodeRows = "[]"
        Exit Function
    End If
    ReDim out(0 To rows)
    For r = 0 To rows - 1
        If r >= Swrt_MaxItems Or Swrt_Budget <= 0 Then
            out(n) = Swrt_More(rows - r)
            n = n + 1
            Exit For
        End If
        If cols <= 0 Then
            out(n) = "[]"
        Else
            ReDim cells(0 To cols)
            m = 0
            For c = 0 To cols - 1
                If c >= Swrt_MaxItems Or Swrt_Budget <= 0 Then
                    cells(m) = Swrt_More(cols - c)
                    m = m + 1
                    Exit For
                End If
                cells(m) = Swrt_Encode(v(r0 + r, c0 + c), depth + 2)
                m = m + 1
                Swrt_Budget = Swrt_Budget - 1
            Next c
            ReDim Preserve cells(0 To m - 1)
            out(n) = "[" & Join(cells, ",") & "]"
        End If
        n = n + 1
        Swrt_Budget = Swrt_Budget - 2
    Next r
    ReDim Preserve out(0 To n - 1)
    Swrt_EncodeRows = "[" & Join(out, ",") & "]"
End Function

Private Function Swrt_EncodePairs(v As Variant, ByVal depth As Long) As String
    Dim lb As Long, count As Long, i As Long, n As Long, parts() As String
    lb = LBound(v)
    count = (UBound(v) - lb) \ 2
    If count <= 0 Then
        Swrt_EncodePairs = "{}"
        Exit Function
    End If
    ReDim parts(0 To count)
    For i = 0 To count - 1
        If i >= Swrt_MaxItems Or Swrt_Budget <= 0 Then
            parts(n) = """$more"":" & (count - i)
            n = n + 1
            Exit For
        End If
        parts(n) = Swrt_Quote(Swrt_Text(v(lb + 1 + 2 * i))) & ":" & Swrt_Encode(v(lb + 2 + 2 * i), depth + 1)
        n = n + 1
        Swrt_Budget = Swrt_Budget - 4
    Next i
    ReDim Preserve parts(0 To n - 1)
    Swrt_EncodePairs = "{" & Join(parts, ",") & "}"
End Function

Private Function Swrt_EncodeObject(o As Variant, ByVal depth As Long) As String
    Dim t As String, ok As Boolean, s As String, prop As String
    If o Is Nothing Then
        Swrt_EncodeObject = "null"
        Exit Function
    End If
    t = TypeName(o)
    If depth >= 8 Then
        Swrt_EncodeObject = Swrt_DepthMarker(t)
        Exit Function
    End If
    If t = "Dictionary" Then
        s = Swrt_EncodeDictionary(o, depth, ok)
    ElseIf t = "Collection" Or t = "Object" Then
        ' LibreOffice names a Collection "Object"; UNO objects that cannot be enumerated fall through.
        s = Swrt_EncodeItems(o, depth, ok)
    End If
    If ok Then
        Swrt_EncodeObject = s
        Exit Function
    End If
    If t = "Object" Then
        prop = Swrt_Prop(o, 4, ok)
        If ok And prop <> "" Then t = prop
    End If
    s = "{""$ref"":" & Swrt_Quote(t)
    If TypeName(o) = "Range" Then
        prop = Swrt_Prop(o, 2, ok)
        If ok Then s = s & ",""address"":" & Swrt_Quote(prop)
        prop = Swrt_Prop(o, 3, ok)
        If ok Then s = s & ",""sheet"":" & Swrt_Quote(prop)
    Else
        prop = Swrt_Prop(o, 1, ok)
        If ok Then s = s & ",""name"":" & Swrt_Quote(prop)
    End If
    s = s & "}"
    Swrt_Budget = Swrt_Budget - Len(s)
    Swrt_EncodeObject = s
End Function

' One property of an object, or ok = False when it has none.
Private Function Swrt_Prop(o As Variant, ByVal which As Long, ByRef ok As Boolean) As String
    ok = False
    On Error GoTo Failed
    Select Case which
    Case 1
        Swrt_Prop = CStr(o.Name)
    Case 2
        Swrt_Prop = CStr(o.Address)
    Case 3
        Swrt_Prop = CStr(o.Worksheet.Name)
    Case 4
        Swrt_Prop = CStr(o.ImplementationName)
    End Select
    ok = True
Failed:
End Function

Private Function Swrt_EncodeItems(o As Variant, ByVal depth As Long, ByRef ok As Boolean) As String
    Dim parts() As String, n As Long, element As Variant, more As Long
    ok = False
    On Error GoTo Failed
    ReDim parts(0 To 15)
    For Each element In o
        If n >= Swrt_MaxItems Or Swrt_Budget <= 0 Then
            more = 1
            Exit For
        End If
        If n > UBound(parts) - 1 Then
            ReDim Preserve parts(0 To 2 * n + 1)
        End If
        parts(n) = Swrt_Encode(element, depth + 1)
        n = n + 1
        Swrt_Budget = Swrt_Budget - 1
    Next element
    If more > 0 Then
        more = Swrt_CountOr(o, n + 1) - n
        parts(n) = Swrt_More(more)
        n = n + 1
    End If
    If n = 0 Then
        Swrt_EncodeItems = "[]"
    Else
        ReDim Preserve parts(0 To n - 1)
        Swrt_EncodeItems = "[" & Join(parts, ",") & "]"
    End If
    ok = True
Failed:
End Function

Private Function Swrt_CountOr(o As Variant, ByVal fallback As Long) As Long
    Swrt_CountOr = fallback
    On Error GoTo Failed
    Swrt_CountOr = o.Count
Failed:
End Function

' Scripting.Dictionary (Excel on Windows; LibreOffice has none).
Private Function Swrt_EncodeDictionary(o As Variant, ByVal depth As Long, ByRef ok As Boolean) As String
    Dim keys As Variant, i As Long, n As Long, count As Long, parts() As String
    ok = False
    On Error GoTo Failed
    keys = o.Keys
    count = UBound(keys) - LBound(keys) + 1
    If count <= 0 Then
        Swrt_EncodeDictionary = "{}"
        ok = True
        Exit Function
    End If
    ReDim parts(0 To count)
    For i = 0 To count - 1
        If i >= Swrt_MaxItems Or Swrt_Budget <= 0 Then
            parts(n) = """$more"":" & (count - i)
            n = n + 1
            Exit For
        End If
        parts(n) = Swrt_Quote(Swrt_Text(keys(LBound(keys) + i))) & ":" & Swrt_Encode(o.Item(keys(LBound(keys) + i)), depth + 1)
        n = n + 1
    Next i
    ReDim Preserve parts(0 To n - 1)
    Swrt_EncodeDictionary = "{" & Join(parts, ",") & "}"
    ok = True
Failed:
End Function

' A value as log text: strings as they are, everything else as its JSON.
Private Function Swrt_Text(v As Variant) As String
    Dim saved As Long
    If Not IsObject(v) And Not IsArray(v) Then
        Select Case VarType(v)
        Case 8
            Swrt_Text = v
            Exit Function
        Case 0
            Exit Function
        Case 11
            If v Then Swrt_Text = "True" Else Swrt_Text = "False"
            Exit Function
        Case 7
            Swrt_Text = Swrt_IsoDate(v)
            Exit Function
        End Select
    End If
    saved = Swrt_Budget
    Swrt_Budget = 4096
    Swrt_Text = Swrt_Encode(v, 0)
    Swrt_Budget = saved
End Function

' ---- JSON parsing (params) ----

Private Sub Swrt_ParseJson(ByVal t As String, ByRef out As Variant)
    Swrt_Src = t
    Swrt_Pos = 1
    Swrt_ParseValue out
    Swrt_SkipSpace
    If Swrt_Pos <= Len(Swrt_Src) Then Swrt_ParseError "unexpected text"
End Sub

Private Sub Swrt_ParseError(ByVal what As String)
    Err.Raise 5, "Scriptwright", "params JSON: " & what & " at character " & Swrt_Pos
End Sub

Private Sub Swrt_SkipSpace()
    Dim c As String
    Do While Swrt_Pos <= Len(Swrt_Src)
        c = Mid$(Swrt_Src, Swrt_Pos, 1)
        If c <> " " And c <> vbTab And c <> vbLf And c <> vbCr Then Exit Do
        Swrt_Pos = Swrt_Pos + 1
    Loop
End Sub

Private Sub Swrt_Expect(ByVal word As String)
    If Mid$(Swrt_Src, Swrt_Pos, Len(word)) <> word Then Swrt_ParseError "expected " & word
    Swrt_Pos = Swrt_Pos + Len(word)
End Sub

Private Sub Swrt_ParseValue(ByRef out As Variant)
    Swrt_SkipSpace
    Select Case Mid$(Swrt_Src, Swrt_Pos, 1)
    Case "{"
        Swrt_ParseObject out
    Case "["
        Swrt_ParseArray out
    Case """"
        out = Swrt_ParseString()
    Case "t"
        Swrt_Expect "true"
        out = True
    Case "f"
        Swrt_Expect "false"
        out = False
    Case "n"
        Swrt_Expect "null"
        out = Null
    Case Else
        out = Swrt_ParseNumber()
    End Select
End Sub

' A JSON object becomes what JsonObject returns (LibreOffice's Collection loses arrays).
Private Sub Swrt_ParseObject(ByRef out As Variant)
    Dim pairs() As Variant, n As Long, element As Variant, key As String
    ReDim pairs(0 To 8)
    pairs(0) = Swrt_ObjectMarker()
    n = 1
    Swrt_Pos = Swrt_Pos + 1
    Swrt_SkipSpace
    If Mid$(Swrt_Src, Swrt_Pos, 1) = "}" Then
        Swrt_Pos = Swrt_Pos + 1
        ReDim Preserve pairs(0 To 0)
        out = pairs
        Exit Sub
    End If
    Do
        Swrt_SkipSpace
        If Mid$(Swrt_Src, Swrt_Pos, 1) <> """" Then Swrt_ParseError "expected a key"
        If n + 1 > UBound(pairs) Then
            ReDim Preserve pairs(0 To 2 * n + 1)
        End If
        key = Swrt_ParseString()
        pairs(n) = key
        Swrt_SkipSpace
        Swrt_Expect ":"
        element = Empty
        Swrt_ParseValue element
        Swrt_Store pairs(n + 1), element
        n = n + 2
        Swrt_SkipSpace
        Select Case Mid$(Swrt_Src, Swrt_Pos, 1)
        Case ","
            Swrt_Pos = Swrt_Pos + 1
        Case "}"
            Swrt_Pos = Swrt_Pos + 1
            Exit Do
        Case Else
            Swrt_ParseError "expected , or }"
        End Select
    Loop
    ReDim Preserve pairs(0 To n - 1)
    out = pairs
End Sub

Private Sub Swrt_ParseArray(ByRef out As Variant)
    Dim items() As Variant, n As Long, element As Variant
    ReDim items(0 To 7)
    Swrt_Pos = Swrt_Pos + 1
    Swrt_SkipSpace
    If Mid$(Swrt_Src, Swrt_Pos, 1) = "]" Then
        Swrt_Pos = Swrt_Pos + 1
        out = Array()
        Exit Sub
    End If
    Do
        element = Empty
        Swrt_ParseValue element
        If n > UBound(items) Then
            ReDim Preserve items(0 To 2 * n + 1)
        End If
        Swrt_Store items(n), element
        n = n + 1
        Swrt_SkipSpace
        Select Case Mid$(Swrt_Src, Swrt_Pos, 1)
        Case ","
            Swrt_Pos = Swrt_Pos + 1
        Case "]"
            Swrt_Pos = Swrt_Pos + 1
            Exit Do
        Case Else
            Swrt_ParseError "expected , or ]"
        End Select
    Loop
    ReDim Preserve items(0 To n - 1)
    out = items
End Sub

Private Function Swrt_ParseString() As String
    Dim out As String, start As Long, c As String, code As Long, i As Long
    Swrt_Pos = Swrt_Pos + 1
    start = Swrt_Pos
    Do
        If Swrt_Pos > Len(Swrt_Src) Then Swrt_ParseError "unterminated string"
        c = Mid$(Swrt_Src, Swrt_Pos, 1)
        If c = """" Then
            out = out & Mid$(Swrt_Src, start, Swrt_Pos - start)
            Swrt_Pos = Swrt_Pos + 1
            Exit Do
        ElseIf c = "\" Then
            out = out & Mid$(Swrt_Src, start, Swrt_Pos - start)
            c = Mid$(Swrt_Src, Swrt_Pos + 1, 1)
            Swrt_Pos = Swrt_Pos + 2
            Select Case c
            Case "n"
                out = out & vbLf
            Case "r"
                out = out & vbCr
            Case "t"
                out = out & vbTab
            Case "b"
                out = out & Chr$(8)
            Case "f"
                out = out & Chr$(12)
            Case "u"
                code = 0
                For i = 0 To 3
                    code = code * 16 + InStr(1, "0123456789abcdef", LCase$(Mid$(Swrt_Src, Swrt_Pos + i, 1)), vbBinaryCompare) - 1
                Next i
                out = out & ChrW(code)
                Swrt_Pos = Swrt_Pos + 4
            Case Else
                out = out & c
            End Select
            start = Swrt_Pos
        Else
            Swrt_Pos = Swrt_Pos + 1
        End If
    Loop
    Swrt_ParseString = out
End Function

Private Function Swrt_ParseNumber() As Variant
    Dim start As Long, t As String, v As Double
    start = Swrt_Pos
    Do While Swrt_Pos <= Len(Swrt_Src)
        If InStr(1, "0123456789+-.eE", Mid$(Swrt_Src, Swrt_Pos, 1), vbBinaryCompare) = 0 Then Exit Do
        Swrt_Pos = Swrt_Pos + 1
    Loop
    t = Mid$(Swrt_Src, start, Swrt_Pos - start)
    If t = "" Then Swrt_ParseError "unexpected character"
    ' Val ignores the locale, as JSON requires.
    v = Val(t)
    If InStr(1, t, ".", vbBinaryCompare) = 0 And InStr(1, LCase$(t), "e", vbBinaryCompare) = 0 And v >= -2147483648# And v <= 2147483647# Then
        Swrt_ParseNumber = CLng(v)
    Else
        Swrt_ParseNumber = v
    End If
End Function
