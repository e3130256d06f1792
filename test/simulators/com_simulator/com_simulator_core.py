"""COM simulator core: what the fake pywin32 modules share. Never proof that a real app works.

- `com_error` has pywin32's shape: args (hresult, text, excepinfo, argerror).
- Apartments: CoInitialize marks a thread; a simulated object answers only on an initialised
  thread that is the one that made it (RPC_E_WRONG_THREAD otherwise), as STA proxies do.
- State: the test drives the simulated apps through a JSON file
  ($SCRIPTWRIGHT_COM_SIMULATOR_STATE), read again on each check, so it can close an app or
  turn a setting off between two runs.
- Journal: every call that matters is appended as a JSON line to
  $SCRIPTWRIGHT_COM_SIMULATOR_JOURNAL, for the test to read back.
"""

import json
import os
import threading


def _signed(code):
    return code - (1 << 32)


MK_E_UNAVAILABLE = _signed(0x800401E3)
CO_E_CLASSSTRING = _signed(0x800401F3)
CO_E_NOTINITIALIZED = _signed(0x800401F0)
RPC_E_WRONG_THREAD = _signed(0x8001010E)
RPC_E_CALL_REJECTED = _signed(0x80010001)
RPC_S_SERVER_UNAVAILABLE = _signed(0x800706BA)
DISP_E_EXCEPTION = _signed(0x80020009)
XL_E_AUTOMATION = _signed(0x800A03EC)


class com_error(Exception):  # noqa: N801  (pywin32's name)
    def __init__(self, hresult, strerror, excepinfo, argerror):
        super().__init__(hresult, strerror, excepinfo, argerror)
        self.hresult = hresult
        self.strerror = strerror
        self.excepinfo = excepinfo
        self.argerror = argerror


def app_error(source, description, scode=XL_E_AUTOMATION):
    """An error the app raised itself (DISP_E_EXCEPTION with excepinfo), as Office apps do."""
    return com_error(DISP_E_EXCEPTION, "Exception occurred.", (0, source, description, None, 0, scode), None)


_initialised = set()


def CoInitialize():  # noqa: N802  (pywin32's name)
    _initialised.add(threading.get_ident())
    journal("CoInitialize", thread=threading.current_thread().name)


def CoUninitialize():  # noqa: N802
    _initialised.discard(threading.get_ident())


def check_initialised():
    if threading.get_ident() not in _initialised:
        raise com_error(CO_E_NOTINITIALIZED, "CoInitialize has not been called.", None, None)


def state():
    path = os.environ.get("SCRIPTWRIGHT_COM_SIMULATOR_STATE")
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def journal(event, **details):
    path = os.environ.get("SCRIPTWRIGHT_COM_SIMULATOR_JOURNAL")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"event": event, **details}) + "\n")


class SimulatedObject:
    """A COM object: every public attribute read or write first checks the apartment and
    whatever `_guard` adds (the app still running, not busy)."""

    def __init__(self):
        object.__setattr__(self, "_apartment", threading.get_ident())

    def __getattribute__(self, name):
        if not name.startswith("_"):
            object.__getattribute__(self, "_enter")()
        return object.__getattribute__(self, name)

    def __setattr__(self, name, value):
        if not name.startswith("_"):
            self._enter()
        object.__setattr__(self, name, value)

    def _enter(self):
        check_initialised()
        if threading.get_ident() != self._apartment:
            raise com_error(
                RPC_E_WRONG_THREAD,
                "The application called an interface that was marshalled for a different thread.",
                None,
                None,
            )
        self._guard()

    def _guard(self):
        pass
