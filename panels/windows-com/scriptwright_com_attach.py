"""The running app behind a ProgID, for the runner's sessions (Excel, SolidWorks)."""

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


class ComAttachment:
    """Attached once and checked with one cheap call before each use (it fails once the app
    was closed), attached again after the app restarted, launched when the runner was told
    --start. All calls on the thread that called CoInitialize."""

    def __init__(self, client, com_error, app, start=False, log=lambda message: None):
        # app: prog_id, name, probe (a cheap property), not_running and not_installed messages,
        # and prepare(app_object), called once on an app the runner launched.
        self._client = client
        self._com_error = com_error
        self._app_info = app
        self._start = start
        self._log = log
        self._app = None

    def get(self):
        info = self._app_info
        if self._app is not None:
            try:
                getattr(self._app, info["probe"])
                return self._app
            except self._com_error as error:
                if hresult(error) in BUSY:
                    raise ComFailure(busy_message(info["name"])) from None
                self._app = None
        try:
            self._app = self._client.GetActiveObject(info["prog_id"])
        except self._com_error as error:
            if hresult(error) != MK_E_UNAVAILABLE:
                raise self._failure(error) from None
            if not self._start:
                raise AppNotRunning(info["not_running"]) from None
            self._app = self._launch()
        return self._app

    def forget(self):
        """The app went away mid-call: attach again next time."""
        self._app = None

    def _launch(self):
        info = self._app_info
        try:
            app = self._client.Dispatch(info["prog_id"])
            app.Visible = True
            info.get("prepare", lambda _app: None)(app)
        except self._com_error as error:
            raise self._failure(error) from None
        self._log(f"launched {info['name']}")
        return app

    def _failure(self, error):
        if hresult(error) in NOT_INSTALLED:
            return ComFailure(self._app_info["not_installed"])
        return ComFailure(f"cannot reach {self._app_info['name']} through COM: {describe(error)}")
