"""SolidWorks through COM, for scripts written in Python.

Scripts are the Python kit's wrapped code, run by the runner's Python evaluator. The
SolidWorks adapter's prelude binds `swApp` with `__import__("scriptwright_solidworks").application()`,
so every run gets the running SolidWorks (attached once, re-attached after it restarted),
or a clear error when there is none. The runner calls `use(session)` once at start.
"""

import inspect

from scriptwright_com_errors import (
    BUSY,
    MK_E_UNAVAILABLE,
    NOT_INSTALLED,
    AppNotRunning,
    ComFailure,
    busy_message,
    describe,
    hresult,
)

PROG_ID = "SldWorks.Application"

NOT_RUNNING = (
    "SolidWorks is not running, or not reachable through COM: start SolidWorks, or start the runner "
    "with --start to launch it. A SolidWorks running as administrator cannot be reached from a runner "
    "that is not (nor the reverse)."
)
NOT_INSTALLED_MESSAGE = "SolidWorks is not installed on this machine (SldWorks.Application is not registered)."


def member(obj, name):
    """A zero-argument member's value. Late binding without type information invokes some
    methods (GetTitle, GetType) on access, so their value arrives as if from a property; with
    type information they stay bound methods. Not `callable()`: COM objects are callable too."""
    value = getattr(obj, name)
    return value() if inspect.ismethod(value) else value


class SolidWorksSession:
    def __init__(self, client, com_error, start=False, log=lambda message: None):
        self._client = client
        self._com_error = com_error
        self._start = start
        self._log = log
        self._app = None

    def application(self):
        if self._app is not None:
            try:
                self._app.Visible  # one cheap round trip: fails once SolidWorks was closed
                return self._app
            except self._com_error as error:
                if hresult(error) in BUSY:
                    raise ComFailure(busy_message("SolidWorks")) from None
                self._app = None
        try:
            self._app = self._client.GetActiveObject(PROG_ID)
        except self._com_error as error:
            if hresult(error) != MK_E_UNAVAILABLE:
                raise self._attach_failure(error) from None
            if not self._start:
                raise AppNotRunning(NOT_RUNNING) from None
            self._app = self._launch()
        return self._app

    def _launch(self):
        try:
            app = self._client.Dispatch(PROG_ID)
            app.Visible = True
        except self._com_error as error:
            raise self._attach_failure(error) from None
        self._log("launched SolidWorks")
        return app

    def _attach_failure(self, error):
        if hresult(error) in NOT_INSTALLED:
            return ComFailure(NOT_INSTALLED_MESSAGE)
        return ComFailure(f"cannot reach SolidWorks through COM: {describe(error)}")

    def version(self):
        return str(member(self.application(), "RevisionNumber"))

    def current_document(self):
        try:
            document = self.application().ActiveDoc
            if document is None:
                return None
            return str(member(document, "GetPathName") or member(document, "GetTitle"))
        except (ComFailure, self._com_error):
            return None


_session = None


def use(session):
    global _session
    _session = session


def application():
    """What the SolidWorks adapter's prelude binds to `swApp`."""
    if _session is None:
        raise ComFailure("the SolidWorks session is not set up: scripts must run in scriptwright_com.py solidworks")
    return _session.application()
