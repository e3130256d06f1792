"""COM simulator: stands in for pywin32's win32com package in tests. Not pywin32, not Windows."""
