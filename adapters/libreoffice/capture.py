# LibreOffice Calc's capture (Adapter.capture, adapters/types.ts): a range of a sheet as a
# picture, drawn by Calc itself. Runs in the LibreOffice runner's Python (`doc`, `ctx` predefined).
#
# The nogui LibreOffice has no graphic export filters (calc_png_Export fails there), but Calc
# prints: XRenderable.render draws the range as a printed page (fills, fonts, borders, charts
# and other drawings) onto a virtual device, whose pixels come back as a bitmap. For the picture
# to look like the sheet on screen, the sheet's page style is set for the drawing (no margins,
# header or footer, the grid and the row and column headers shown, 100 %, one big page) and put
# back at once; the document's modified flag is kept. The pixels are written raw (RGB) for the
# bridge to encode.
#
# params["range"]: "Sheet1!A1:D10", "A1:D10" (the active sheet), "Sheet1" or nothing (the
# sheet's used range, charts included), or a named range.

import re

# Screen pixels per metre (96 dpi): the drawing is the sheet at 100 % zoom.
_PIXELS_PER_METRE = 3779.5
# Longest side drawn at 100 %; a larger range is drawn smaller (the bridge makes it smaller still).
_MAX_SIDE = 4096
# Room for the row and column headers beyond the cells' own size, in 1/100 mm.
_HEADER_ROOM = 3000
_CELLS = re.compile(r"^\$?[A-Za-z]{1,3}\$?[0-9]{1,7}(:\$?[A-Za-z]{1,3}\$?[0-9]{1,7})?$")


def _scriptwright_capture(params):
    import os

    found = _resolve(params.get("range"))
    if isinstance(found, str):
        return {"refused": found}
    sheet, cells, label = found
    path = os.path.join(params["dir"], "range.rgb")
    width, height, scale = _draw(sheet, cells, path)
    notes = []
    if scale < 100:
        notes.append("%s is large: drawn at %d %% of its size" % (label, scale))
    return {
        "pictures": [{"file": "range.rgb", "label": label, "raw": {"width": width, "height": height, "channels": 3}}],
        "notes": notes,
    }


def _resolve(text):
    """(sheet, cell range, label) for the request, or why there is none (text)."""
    sheets = doc.Sheets  # noqa: F821 - the runner's prelude defines doc
    names = list(sheets.ElementNames)
    text = (text or "").strip()
    if not text:
        sheet = doc.CurrentController.ActiveSheet if doc.CurrentController else sheets.getByIndex(0)  # noqa: F821
        return _used(sheet)
    if doc.NamedRanges.hasByName(text):  # noqa: F821
        cells = doc.NamedRanges.getByName(text).ReferredCells  # noqa: F821
        if cells is None:
            return "the named range %s refers to no cells" % text
        sheet = sheets.getByIndex(cells.RangeAddress.Sheet)
        return sheet, cells, "%s (%s!%s)" % (text, sheet.Name, _address(cells))
    sheet_name, _, cells_text = text.rpartition("!")
    if not sheet_name and text in names:
        return _used(sheets.getByName(text))
    if sheet_name:
        if sheet_name.startswith("'") and sheet_name.endswith("'") and len(sheet_name) > 1:
            sheet_name = sheet_name[1:-1].replace("''", "'")
        if sheet_name not in names:
            return "no sheet named %r in %s (its sheets: %s)" % (sheet_name, doc.Title, ", ".join(names))  # noqa: F821
        sheet = sheets.getByName(sheet_name)
    else:
        sheet = doc.CurrentController.ActiveSheet if doc.CurrentController else sheets.getByIndex(0)  # noqa: F821
    if not _CELLS.match(cells_text):
        return (
            "%r is not a range: write it like Sheet1!A1:D10, A1:D10 (the active sheet), a sheet's name "
            "(its used range) or a named range" % text
        )
    try:
        cells = sheet.getCellRangeByName(cells_text.replace("$", ""))
    except Exception:
        return "%r is outside the sheet (its last cell is %s)" % (text, _last_cell(sheet))
    return sheet, cells, "%s!%s" % (sheet.Name, _address(cells))


def _used(sheet):
    """The sheet's used cells, widened to take in its drawings (charts, pictures)."""
    cursor = sheet.createCursor()
    cursor.gotoStartOfUsedArea(False)
    cursor.gotoEndOfUsedArea(True)
    area = cursor.RangeAddress
    has_cells = sheet.getCellByPosition(area.StartColumn, area.StartRow).Type.value != "EMPTY" or (
        area.EndColumn > area.StartColumn or area.EndRow > area.StartRow
    )
    bounds = [area.StartColumn, area.StartRow, area.EndColumn, area.EndRow] if has_cells else None
    page = sheet.DrawPage
    for i in range(page.Count):
        shape = page.getByIndex(i)
        first = _cell_at(sheet, shape.Position.X, shape.Position.Y)
        last = _cell_at(sheet, shape.Position.X + shape.Size.Width, shape.Position.Y + shape.Size.Height)
        box = [first[0], first[1], last[0], last[1]]
        bounds = box if bounds is None else [min(bounds[0], box[0]), min(bounds[1], box[1]), max(bounds[2], box[2]), max(bounds[3], box[3])]
    if bounds is None:
        return "%s is empty: nothing to show" % sheet.Name
    cells = sheet.getCellRangeByPosition(*bounds)
    return sheet, cells, "%s!%s" % (sheet.Name, _address(cells))


def _cell_at(sheet, x, y):
    """The (column, row) whose cell holds the point (x, y), in 1/100 mm from the sheet's corner."""
    column = row = 0
    left = top = 0
    columns, rows = sheet.Columns, sheet.Rows
    while column < columns.Count - 1:
        width = columns.getByIndex(column).Width
        if left + width > x:
            break
        left += width
        column += 1
    while row < rows.Count - 1:
        height = rows.getByIndex(row).Height
        if top + height > y:
            break
        top += height
        row += 1
    return column, row


def _address(cells):
    address = cells.RangeAddress
    start = _column_name(address.StartColumn) + str(address.StartRow + 1)
    end = _column_name(address.EndColumn) + str(address.EndRow + 1)
    return start if start == end else start + ":" + end


def _column_name(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _last_cell(sheet):
    return _column_name(sheet.Columns.Count - 1) + str(sheet.Rows.Count)


def _draw(sheet, cells, path):
    """Draws `cells` as Calc prints them, into `path` as raw RGB; (width, height, scale %)."""
    import uno

    style = doc.StyleFamilies.getByName("PageStyles").getByName(sheet.PageStyle)  # noqa: F821
    settings = {
        "LeftMargin": 0,
        "RightMargin": 0,
        "TopMargin": 0,
        "BottomMargin": 0,
        "HeaderIsOn": False,
        "FooterIsOn": False,
        "ScaleToPages": 0,
        "ScaleToPagesX": 0,
        "ScaleToPagesY": 0,
        "PageScale": 100,
        "PrintGrid": True,
        "PrintHeaders": True,
        "Width": 300000,
        "Height": 300000,
    }
    kept = {name: style.getPropertyValue(name) for name in settings}
    modified = doc.isModified()  # noqa: F821
    toolkit = ctx.ServiceManager.createInstanceWithContext("com.sun.star.awt.Toolkit", ctx)  # noqa: F821

    def value(name, data):
        prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
        prop.Name = name
        prop.Value = data
        return prop

    def content_size(device):
        options = (value("RenderDevice", device),)
        if doc.getRendererCount(cells, options) < 1:  # noqa: F821
            raise RuntimeError("Calc has nothing to draw for this range")
        renderer = {prop.Name: prop.Value for prop in doc.getRenderer(0, cells, options)}  # noqa: F821
        return options, renderer["CalcPageContentSize"]

    try:
        for name, setting in settings.items():
            style.setPropertyValue(name, setting)
        probe = toolkit.createScreenCompatibleDevice(1, 1)
        _, size = content_size(probe)
        longest = max(size.Width, size.Height) * _PIXELS_PER_METRE / 100000
        scale = 100
        if longest > _MAX_SIDE:
            scale = max(10, int(100 * _MAX_SIDE / longest))
            style.setPropertyValue("PageScale", scale)
            _, size = content_size(probe)
        # The cells' size leaves out the headers: draw on more, then cut the blank edge off.
        logical = (size.Width + _HEADER_ROOM, size.Height + _HEADER_ROOM)
        pixels = [int(n * _PIXELS_PER_METRE / 100000) + 2 for n in logical]
        device = toolkit.createScreenCompatibleDevice(pixels[0], pixels[1])
        options, _ = content_size(device)
        doc.render(0, cells, options)  # noqa: F821
        bitmap = device.createBitmap(0, 0, logical[0], logical[1])
        dib = bitmap.getDIB().value
    finally:
        for name, setting in kept.items():
            style.setPropertyValue(name, setting)
        if doc.isModified() != modified:  # noqa: F821
            doc.setModified(modified)  # noqa: F821
    width, height = _write_rgb(dib, path)
    return width, height, scale


def _write_rgb(dib, path):
    """A BMP's pixels as raw RGB rows, top first, without the blank edge right and below."""
    import struct

    if dib[:2] != b"BM":
        raise RuntimeError("Calc's bitmap is not a BMP")
    offset = struct.unpack_from("<I", dib, 10)[0]
    width, height = struct.unpack_from("<ii", dib, 18)
    bits = struct.unpack_from("<H", dib, 28)[0]
    if bits not in (24, 32):
        raise RuntimeError("Calc's bitmap has %d bits per pixel" % bits)
    step = bits // 8
    stride = (width * step + 3) & ~3
    rows = abs(height)
    top_down = height < 0
    lines = []
    for y in range(rows):
        start = offset + (y if top_down else rows - 1 - y) * stride
        line = dib[start : start + width * step]
        if step == 4:
            line = b"".join(line[i : i + 3] for i in range(0, len(line), 4))
        lines.append(line)
    # The drawing ends in grid lines: what is all white past them is the room left for headers.
    used_rows = len(lines)
    while used_rows > 1 and not lines[used_rows - 1].rstrip(b"\xff"):
        used_rows -= 1
    used_width = max(1, max((len(line.rstrip(b"\xff")) + 2) // 3 for line in lines[:used_rows]))
    with open(path, "wb") as out:
        for line in lines[:used_rows]:
            bgr = line[: used_width * 3]
            rgb = bytearray(len(bgr))
            rgb[0::3] = bgr[2::3]
            rgb[1::3] = bgr[1::3]
            rgb[2::3] = bgr[0::3]
            out.write(rgb)
    return used_width, used_rows


_scriptwright_capture(params)  # noqa: F821 - bound as data by the runtime
