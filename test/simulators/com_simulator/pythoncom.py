"""COM simulator: stands in for pywin32's pythoncom in tests. Not pywin32, not Windows.

CoInitialize marks the calling thread as a COM apartment; simulated objects refuse calls
from threads that did not initialise COM or that did not create them, as real STA objects do.
"""

from com_simulator_core import CoInitialize, CoUninitialize, com_error  # noqa: F401

VT_BOOL = 11
VT_DISPATCH = 9
VT_BYREF = 0x4000
VT_I4 = 3
