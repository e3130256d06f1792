"""COM simulator: stands in for pywin32's pywintypes in tests. Not pywin32, not Windows."""

from com_simulator_core import com_error  # noqa: F401  (re-exported, as pywin32 does)
