"""Spreadsheet file formats for the LibreOffice runner: save filters, and reading CSV."""

import csv
import re

# Save filters by extension (the names LibreOffice's storeToURL takes).
FILTERS = {
    ".xlsx": "Calc MS Excel 2007 XML",
    ".xlsm": "Calc MS Excel 2007 VBA XML",
    ".xls": "MS Excel 97",
    ".ods": "calc8",
    ".csv": "Text - txt - csv (StarCalc)",
    ".pdf": "calc_pdf_Export",
    ".html": "HTML (StarCalc)",
}
# Formats a document saved under these extensions must be in: the filter that writes it first,
# then others that read and write that same format.
DOCUMENT_FORMATS = {
    ".xlsx": ("Calc MS Excel 2007 XML", "Calc Office Open XML"),
    ".xlsm": ("Calc MS Excel 2007 VBA XML",),
    ".xls": ("MS Excel 97",),
    ".ods": ("calc8",),
    ".fods": ("OpenDocument Spreadsheet Flat XML",),
    ".csv": ("Text - txt - csv (StarCalc)",),
}
# Comma separated, double quotes, UTF-8 (76), from line 1.
CSV_OPTIONS = "44,34,76,1"


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def read_csv(path):
    """Rows of a CSV file as Calc cell values (numbers where the text is one), padded to one width.

    Parsed here rather than by LibreOffice's CSV filter: in the headless nogui build that filter
    loads nothing (loadComponentFromURL answers None) and its dialog can crash soffice.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except UnicodeDecodeError:
        with open(path, newline="", encoding="latin-1") as handle:
            rows = list(csv.reader(handle))
    width = max((len(row) for row in rows), default=0)
    return tuple(tuple(_cell(text) for text in row + [""] * (width - len(row))) for row in rows)


def _cell(text):
    return float(text) if _NUMBER.match(text.strip()) else text
