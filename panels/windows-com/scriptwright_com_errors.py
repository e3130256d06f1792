"""COM failures in words a user can act on.

pywin32 raises `pywintypes.com_error(hresult, text, excepinfo, argerror)`; excepinfo is
`(wcode, source, description, help_file, help_context, scode)` when the app raised the
error itself (DISP_E_EXCEPTION), else None. Nothing here imports pywin32: the error is read
through its args, so the same code runs against the COM simulator used in tests.
"""


def _signed(code):
    """HRESULTs as pywin32 reports them: signed 32-bit ints."""
    return code - (1 << 32) if code >= (1 << 31) else code


MK_E_UNAVAILABLE = _signed(0x800401E3)  # GetActiveObject: nothing registered under that ProgID
REGDB_E_CLASSNOTREG = _signed(0x80040154)  # the app is not installed (class not registered)
CO_E_CLASSSTRING = _signed(0x800401F3)  # unknown ProgID
RPC_E_CALL_REJECTED = _signed(0x80010001)  # the app is busy: cell edit mode, a modal dialog
RPC_E_SERVERCALL_RETRYLATER = _signed(0x8001010A)
RPC_S_SERVER_UNAVAILABLE = _signed(0x800706BA)  # the app's process is gone
RPC_E_DISCONNECTED = _signed(0x80010108)
DISP_E_EXCEPTION = _signed(0x80020009)  # the app raised an error: details in excepinfo
# Excel's generic automation error; touching VBProject without trust access raises it too.
XL_E_AUTOMATION = _signed(0x800A03EC)

BUSY = frozenset((RPC_E_CALL_REJECTED, RPC_E_SERVERCALL_RETRYLATER))
GONE = frozenset((RPC_S_SERVER_UNAVAILABLE, RPC_E_DISCONNECTED))
NOT_INSTALLED = frozenset((REGDB_E_CLASSNOTREG, CO_E_CLASSSTRING))


class ComFailure(Exception):
    """A failure the runner explains itself; the message goes back to the bridge as is."""


class AppNotRunning(ComFailure):
    pass


def hresult(error):
    args = getattr(error, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def scode(error):
    """The app's own error code (excepinfo[5]), when it raised one."""
    excepinfo = _excepinfo(error)
    return excepinfo[5] if excepinfo and len(excepinfo) > 5 and isinstance(excepinfo[5], int) else None


def codes(error):
    return {code for code in (hresult(error), scode(error)) if code is not None}


def _excepinfo(error):
    args = getattr(error, "args", ())
    return args[2] if len(args) > 2 and isinstance(args[2], tuple) else None


def describe(error):
    """The app's own description when it gave one, else the system text, with the code in hex."""
    excepinfo = _excepinfo(error)
    text = None
    if excepinfo and len(excepinfo) > 2 and excepinfo[2]:
        text = str(excepinfo[2]).strip()
    if not text:
        args = getattr(error, "args", ())
        text = str(args[1]).strip() if len(args) > 1 and args[1] else type(error).__name__
    code = scode(error) or hresult(error)
    return f"{text} (0x{code & 0xFFFFFFFF:08X})" if code is not None else text


def busy_message(app_name):
    return (
        f"{app_name} is busy and refused the call: a cell is being edited, a dialog is open, or a "
        f"command is still running in {app_name}. Finish it (Enter or Esc) and run again."
    )


def gone_message(app_name):
    return f"{app_name} was closed or stopped answering during the run; the effect of the script is unknown."
