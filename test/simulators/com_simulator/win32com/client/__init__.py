"""COM simulator: stands in for win32com.client in tests (GetActiveObject, Dispatch).

Knows two ProgIDs, Excel.Application and SldWorks.Application, modelled in
com_simulator_excel and com_simulator_solidworks. Not pywin32, not Windows.
"""

from com_simulator_core import (
    CO_E_CLASSSTRING,
    MK_E_UNAVAILABLE,
    check_initialised,
    com_error,
    journal,
)
from com_simulator_excel import excel_dispatch, excel_running_instance
from com_simulator_solidworks import solidworks_dispatch, solidworks_running_instance

_RUNNING = {"Excel.Application": excel_running_instance, "SldWorks.Application": solidworks_running_instance}
_LAUNCH = {"Excel.Application": excel_dispatch, "SldWorks.Application": solidworks_dispatch}


def GetActiveObject(prog_id):
    check_initialised()
    journal("GetActiveObject", progId=prog_id)
    if prog_id not in _RUNNING:
        raise com_error(CO_E_CLASSSTRING, "Invalid class string", None, None)
    app = _RUNNING[prog_id]()
    if app is None:
        raise com_error(MK_E_UNAVAILABLE, "Operation unavailable", None, None)
    return app


def Dispatch(prog_id):
    check_initialised()
    journal("Dispatch", progId=prog_id)
    if prog_id not in _LAUNCH:
        raise com_error(CO_E_CLASSSTRING, "Invalid class string", None, None)
    return _LAUNCH[prog_id]()


class VARIANT:
    def __init__(self, vt, value):
        self.varianttype = vt
        self.value = value
