"""SolidWorks through COM, for scripts written in Python.

Scripts are the Python kit's wrapped code, run by the runner's Python evaluator. The
SolidWorks adapter's prelude binds `swApp` with `__import__("scriptwright_solidworks").application()`,
so every run gets the running SolidWorks (attached once, re-attached after it restarted),
or a clear error when there is none. The runner calls `use(session)` once at start.
"""

import inspect

from scriptwright_com_attach import ComAttachment
from scriptwright_com_errors import ComFailure

PROG_ID = "SldWorks.Application"

NOT_RUNNING = (
    "SolidWorks is not running, or not reachable through COM: start SolidWorks, or start the runner "
    "with --start to launch it. A SolidWorks running as administrator cannot be reached from a runner "
    "that is not (nor the reverse)."
)
NOT_INSTALLED_MESSAGE = "SolidWorks is not installed on this machine (SldWorks.Application is not registered)."

SOLIDWORKS = {
    "prog_id": PROG_ID,
    "name": "SolidWorks",
    "probe": "Visible",
    "not_running": NOT_RUNNING,
    "not_installed": NOT_INSTALLED_MESSAGE,
}


def member(obj, name):
    """A zero-argument member's value. Late binding without type information invokes some
    methods (GetTitle, GetType) on access, so their value arrives as if from a property; with
    type information they stay bound methods. Not `callable()`: COM objects are callable too."""
    value = getattr(obj, name)
    return value() if inspect.ismethod(value) else value


class SolidWorksSession:
    def __init__(self, client, com_error, start=False, log=lambda message: None):
        self._com_error = com_error
        self._attachment = ComAttachment(client, com_error, SOLIDWORKS, start, log)

    def application(self):
        """The running SolidWorks; launched when the runner was told --start."""
        return self._attachment.get()

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
