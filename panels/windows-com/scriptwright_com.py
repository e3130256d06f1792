"""Scriptwright runner for Windows COM apps: Excel (VBA) and SolidWorks (Python).

    py -3 scriptwright_com.py excel|solidworks [--start] [--bridge URL] [--name N] [--data-dir D]

Connects to the bridge as a host of the app and runs each script through COM (pywin32):
Excel imports the VBA kit's module into the active workbook and calls it; SolidWorks runs the
Python kit's code here with `swApp` bound. The transport and protocol come from
../python-common/scriptwright_host.py, loaded by its path relative to this file (the layout
`scriptwright panel install` keeps). Exit codes: 0 the bridge closed normally, 1 the
connection failed or was lost, 2 refused, no bridge, no pywin32, or the app is not running.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COMMON = os.path.join(os.path.dirname(HERE), "python-common")
EXIT_REFUSED = 2


def _load_host_runtime():
    path = os.path.join(COMMON, "scriptwright_host.py")
    if not os.path.isfile(path):
        sys.stderr.write(
            f"[scriptwright] {path} is missing: the runner needs python-common next to windows-com. "
            "Reinstall it with: scriptwright panel install excel (or solidworks)\n"
        )
        sys.exit(EXIT_REFUSED)
    for folder in (COMMON, HERE):  # HERE too: the SolidWorks prelude imports scriptwright_solidworks
        if folder not in sys.path:
            sys.path.insert(0, folder)
    import scriptwright_host

    return scriptwright_host


def _load_pywin32(host):
    try:
        import pythoncom
        import pywintypes
        import win32com.client
    except ImportError as error:
        host.log(
            f"pywin32 is not installed for {sys.executable} ({error}). Install it with: "
            f'"{sys.executable}" -m pip install pywin32'
        )
        return None
    return pythoncom, pywintypes.com_error, win32com.client


def _excel(host, client, com_error, options):
    from scriptwright_com_errors import ComFailure
    from scriptwright_excel import ExcelSession

    session = ExcelSession(client, com_error, start=options.start, log=host.log)

    def evaluate_vba(code):
        try:
            return session.run_module(code)
        except ComFailure as failure:
            raise host.EvaluationFailed(str(failure)) from None

    return session.version, session.current_document, "vba", {"vba": evaluate_vba}


def _solidworks(host, client, com_error, options):
    import scriptwright_solidworks

    session = scriptwright_solidworks.SolidWorksSession(client, com_error, start=options.start, log=host.log)
    scriptwright_solidworks.use(session)
    # The Python kit's wrap/unwrap does the rest; the adapter's prelude binds swApp.
    return session.version, session.current_document, "python", {"python": host.evaluate_python}


APPS = {"excel": _excel, "solidworks": _solidworks}


def main(argv=None):
    host = _load_host_runtime()
    # Before anything runs: neither scripts nor an app this runner launches may read it.
    token = host.take_token()
    parser = host.parse_args(argv, "scriptwright_com")
    parser.add_argument("app", choices=sorted(APPS), help="the app to attach to")
    parser.add_argument("--start", action="store_true", help="launch the app when it is not running")
    parser.add_argument(
        "--once", action="store_true", help="exit when the bridge goes away instead of waiting for it to come back"
    )
    options = parser.parse_args(argv)
    com = _load_pywin32(host)
    if com is None:
        return EXIT_REFUSED
    pythoncom, com_error, client = com
    # COM objects belong to the apartment of the thread that made them. This thread attaches
    # and also runs every script: connect_and_serve evaluates runs on the calling thread, and
    # its watcher thread only reads the socket.
    pythoncom.CoInitialize()
    try:
        return _serve(host, options, client, com_error, token)
    except KeyboardInterrupt:
        return 0
    finally:
        pythoncom.CoUninitialize()


def _serve(host, options, client, com_error, token):
    from scriptwright_com_errors import ComFailure, describe

    version, current_document, language, evaluators = APPS[options.app](host, client, com_error, options)
    try:
        app_version = version()
    except ComFailure as failure:
        host.log(str(failure))
        return EXIT_REFUSED
    except com_error as error:
        host.log(f"cannot read the {options.app} version through COM: {describe(error)}")
        return EXIT_REFUSED
    info = host.HostInfo(options.app, app_version, language, [language], current_document)
    if options.once:
        return host.connect_and_serve(options, info, evaluators, token)
    # A person starts this runner next to their app: it outlives bridge restarts.
    return host.keep_serving(options, info, evaluators, token=token)


if __name__ == "__main__":
    sys.exit(main())
