"""Scriptwright runner for LibreOffice Calc: VBA and Python against one open document.

Started by the bridge (`scriptwright serve --headless libreoffice`) with a Python that has
the `uno` module (Debian: /usr/bin/python3 with python3-uno; Windows and macOS: LibreOffice's
own program/python):

    SCRIPTWRIGHT_TOKEN=… python3 scriptwright_libreoffice.py --bridge ws://127.0.0.1:7821/ws/host
        [--soffice /usr/bin/soffice | --connect pipe:NAME | --connect 127.0.0.1:2002]
        [--file book.xlsx] [--name N]

It starts a private headless soffice that only this user can connect to (or attaches to one
a person started with --accept=pipe,name=NAME;urp; or --accept=socket,…), opens
--file or a new Calc document, and connects to the bridge as app `libreoffice`, language
`vba`, also running `python`. VBA: the wrapped module goes into the document's Basic library
(Standard, a new module name per run, removed afterwards) and its ScriptwrightRun is called
through the script provider. Python: run in this process; the adapter's prelude takes `uno`,
`ctx`, `desktop`, `doc` (the open document, kept current when a script opens another) and
the helpers open_document / new_document / save_as from `scriptwright_libreoffice_session`.
"""

import os
import signal
import sys
import threading
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python-common"))
sys.path.insert(0, HERE)

import scriptwright_host as host  # noqa: E402
import soffice_process  # noqa: E402
import uno_channel  # noqa: E402
from calc_files import CSV_OPTIONS, FILTERS, read_csv  # noqa: E402

try:
    import uno  # noqa: E402
    from com.sun.star.beans import PropertyValue  # noqa: E402
    from com.sun.star.connection import NoConnectException  # noqa: E402
    from com.sun.star.uno import RuntimeException  # noqa: E402

    import active_workbook  # noqa: E402
    import checkpoints  # noqa: E402
    import hidden_loads  # noqa: E402
    import saving  # noqa: E402
except ImportError:  # pragma: no cover - reported in main()
    uno = None

APP = "libreoffice"
SESSION_MODULE = "scriptwright_libreoffice_session"
ENTRY_POINT = "ScriptwrightRun"
COMPILE_ERROR = (
    "the VBA module did not compile: LibreOffice Basic reports a syntax error only as an empty "
    "result, without its message or line (check the statement syntax; the bridge's preflight "
    "already checked block structure and quotes)"
)

def _property(name, value):
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def connect_office(target, timeout):
    """The remote component context, once the office answers: its pipe or port can exist before
    it accepts a UNO connection, and the connection can come before its desktop answers. A pipe
    is checked to be this user's alone before each attempt (uno_channel.check_private)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            uno_channel.check_private(target)
            ctx = resolver.resolve(target.url)
            ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).getComponents()
            return ctx
        except (NoConnectException, RuntimeException):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def disable_lock_files(ctx):
    """No .~lock files in an office of our own: one stopped with a document open (a restart, a
    kill, the bridge exiting) leaves its lock behind, and a headless office cannot answer the
    "file is locked" question, so that file would never open again. Each batch file goes to one
    host at a time; an office attached with --connect keeps its user's settings."""
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    misc = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (_property("nodepath", "/org.openoffice.Office.Common/Misc"),),
    )
    misc.setPropertyValue("UseDocumentOOoLockFile", False)
    misc.setPropertyValue("UseDocumentSystemFileLocking", False)
    misc.commitChanges()


class Session:
    """The desktop and the one document this runner scripts."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.smgr = ctx.ServiceManager
        self.desktop = self.smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        self.doc = None
        # The CSV file the open (untitled) document was read from.
        self.csv_source = None
        self._runs = 0
        self.module = types.ModuleType(SESSION_MODULE)
        self.module.__doc__ = "What Python scripts in the LibreOffice host see (see the runner)."
        self.module.uno = uno
        self.module.ctx = ctx
        self.module.smgr = self.smgr
        self.module.desktop = self.desktop
        self.module.doc = None
        self.module.open_document = self.open_document
        self.module.new_document = self.new_document
        self.module.save_as = self.save_as
        self.module.save_checkpoint = self.save_checkpoint
        self.module.restore_checkpoint = self.restore_checkpoint
        self.module.bind = self.bind
        sys.modules[SESSION_MODULE] = self.module
        # The running Python script's globals, so that `doc` follows open_document() within the run.
        self._namespace = None
        # Set up by manage_office() in an office of our own: Workbook.Save/SaveAs that write
        # files, and VBA's ActiveWorkbook kept on an open document.
        self.saver = None
        self.active_workbook = None

    def manage_office(self):
        """In an office this runner started: every document opens hidden (a headless office dies
        when one is shown), VBA's Save/SaveAs write their file in its format (saving.py), and
        VBA's ActiveWorkbook is a document that is open (active_workbook.py)."""
        try:
            hidden_loads.install(self.ctx, self.desktop)
        except Exception as error:  # scripts still run; one that shows a document ends the office
            host.log(f"documents scripts open may not be hidden: {error}")
        self.saver = saving.Saver(self.csv_source_of)
        self.saver.install(self.ctx)
        self.active_workbook = active_workbook.ActiveWorkbook(self.ctx)

    def bind(self, namespace):
        """Called by the Python prelude: returns the open document and keeps `doc` in `namespace` current."""
        self._namespace = namespace
        return self.current()

    # ── documents ──────────────────────────────────────────────────────────────────────────

    def _replace(self, doc):
        previous, self.doc = self.doc, doc
        self.csv_source = None
        self.module.doc = doc
        if self._namespace is not None:
            self._namespace["doc"] = doc
        if previous is not None and previous is not doc:
            _close(previous)
        return doc

    def new_document(self):
        """Replaces the open document with a new empty Calc document."""
        doc = self.desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (_property("Hidden", True),))
        self._replace(doc)

    def open_document(self, path):
        """Opens a spreadsheet (xlsx, ods, csv, …) in place of the open document; returns its path.

        A CSV file becomes a new document holding its rows (save it with save_as)."""
        path = os.path.abspath(os.fspath(path))
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no such file: {path}")
        if path.lower().endswith(".csv"):
            rows = read_csv(path)
            self.new_document()
            if rows and rows[0]:
                sheet = self.doc.Sheets.getByIndex(0)
                sheet.getCellRangeByPosition(0, 0, len(rows[0]) - 1, len(rows) - 1).setDataArray(rows)
            self.csv_source = path
            return path
        # MacroExecutionMode 0: macros stored in the file itself never run (ours are inserted per run).
        props = (_property("Hidden", True), _property("MacroExecutionMode", 0))
        doc = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, props)
        if doc is None or not hasattr(doc, "Sheets"):
            if doc is not None:
                _close(doc)
            raise IOError(f"LibreOffice could not open {path} as a spreadsheet")
        self._replace(doc)
        return path

    def save_as(self, path, filter_name=None):
        """Saves the open document at `path` (format from the extension) and keeps working on that file."""
        path = os.path.abspath(os.fspath(path))
        extension = os.path.splitext(path)[1].lower()
        filter_name = filter_name or FILTERS.get(extension)
        if filter_name is None:
            raise ValueError(f"no save filter for {extension!r}; pass filter_name (known: {', '.join(FILTERS)})")
        props = [_property("FilterName", filter_name), _property("Overwrite", True)]
        if extension == ".csv":
            props.append(_property("FilterOptions", CSV_OPTIONS))
        self.current().storeAsURL(uno.systemPathToFileUrl(path), tuple(props))
        return path

    def save_checkpoint(self, path):
        """A copy of the open document at `path`, for the bridge's undo (see checkpoints.py)."""
        doc = self.current()
        return checkpoints.save(doc, path, self.csv_source_of(doc))

    def restore_checkpoint(self, path, state):
        """Puts the copy at `path` in place of the open document, as the document `state` describes."""
        doc, notes = checkpoints.restore(self.ctx, self.desktop, self.doc, path, state)
        self._replace(doc)
        self.csv_source = state.get("csv")
        return {"document": self.document_path(), "notes": notes}

    def csv_source_of(self, doc):
        """The CSV file the open document was read from, when `doc` is that document and has no file."""
        if self.csv_source and self.doc is not None and doc == self.doc and not doc.hasLocation():
            return self.csv_source
        return None

    def current(self):
        """The open document; a new one if a script closed it."""
        doc = self.doc
        if doc is not None:
            try:
                doc.getURL()
                return doc
            except Exception:
                host.log("the open document was closed by a script; starting a new one")
        self.new_document()
        return self.doc

    def document_path(self):
        doc = self.doc
        if doc is None:
            return None
        try:
            url = doc.getURL()
        except Exception:
            return None
        if url.startswith("file:"):
            return uno.fileUrlToSystemPath(url)
        return url or self.csv_source

    def version(self):
        try:
            provider = self.smgr.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", self.ctx)
            access = provider.createInstanceWithArguments(
                "com.sun.star.configuration.ConfigurationAccess",
                (_property("nodepath", "/org.openoffice.Setup/Product"),),
            )
            return access.getByName("ooSetupVersionAboutBox") or "unknown"
        except Exception:
            return "unknown"

    # ── running code ───────────────────────────────────────────────────────────────────────

    def run_vba(self, code):
        doc = self.current()
        libraries = doc.BasicLibraries
        if not libraries.hasByName("Standard"):
            libraries.createLibrary("Standard")
        library = libraries.getByName("Standard")
        self._runs += 1
        name = f"ScriptwrightRun{self._runs}"
        self._take_save_failures()
        if self.active_workbook:
            self.active_workbook.activate(doc)
        stored_before = _stored_file(doc)
        library.insertByName(name, code)
        try:
            script = doc.getScriptProvider().getScript(
                f"vnd.sun.star.script:Standard.{name}.{ENTRY_POINT}?language=Basic&location=document"
            )
            output = script.invoke((), (), ())[0]
        finally:
            _remove_module(library, name)
            _store_again_without_module(doc, stored_before)
        self._raise_save_failures()
        if output is None:
            raise host.EvaluationFailed(COMPILE_ERROR)
        if not isinstance(output, str):
            raise host.EvaluationFailed(f"{ENTRY_POINT} returned {type(output).__name__}, not text")
        return output

    def run_python(self, code):
        self._take_save_failures()
        try:
            output = host.evaluate_python(code)
        finally:
            self._namespace = None
        self._raise_save_failures()
        return output

    def _take_save_failures(self):
        return self.saver.take_failures() if self.saver else []

    def _raise_save_failures(self):
        """A file the script saved that could not be put in its extension's format fails the run."""
        failures = self._take_save_failures()
        if failures:
            raise host.EvaluationFailed("; ".join(failures))

    def close(self):
        if self.doc is not None:
            _close(self.doc)
            self.doc = None


def _close(doc):
    try:
        doc.close(True)
    except Exception:
        try:
            doc.dispose()
        except Exception:
            pass


# ODF files keep a document's Basic modules; xlsx and csv do not.
_ODF_SUFFIXES = (".ods", ".ots", ".fods")


def _stored_file(doc):
    """(URL, mtime, size) of the document's file, or None when it has none."""
    if not doc.hasLocation():
        return None
    url = doc.getLocation()
    try:
        stat = os.stat(uno.fileUrlToSystemPath(url))
    except (OSError, RuntimeError, ValueError):  # not a local file
        return (url, None, None)
    return (url, stat.st_mtime_ns, stat.st_size)


def _store_again_without_module(doc, before):
    """A script that saved its document as ODF (Save, SaveAs) saved the temporary module with
    it; store once more, now that the module is gone, so the user's file holds no code of ours."""
    try:
        after = _stored_file(doc)
        if after is None or after == before or not after[0].lower().endswith(_ODF_SUFFIXES):
            return
        doc.store()
    except Exception as error:  # the run's own result matters more; say what is left behind
        host.log(f"could not save {doc.getLocation()} again without the temporary module: {error}")


def _remove_module(library, name):
    try:
        if library.hasByName(name):
            library.removeByName(name)
    except Exception as error:  # the document went away during the run
        host.log(f"could not remove module {name}: {error!r}")


def _watch_office(office):
    """soffice died on its own (crash, killed): this runner is of no use any more."""
    office.process.wait()
    if office.process is None:
        return
    host.log("soffice exited; stopping the runner")
    office.stop()
    os._exit(host.EXIT_CONNECTION_LOST)


def parse_options(argv):
    parser = host.parse_args(argv, "scriptwright_libreoffice")
    parser.add_argument("--soffice", default="soffice", help="the soffice executable (default: on PATH)")
    parser.add_argument(
        "--connect",
        default=None,
        help="pipe:NAME or HOST:PORT of a soffice started with --accept=pipe,name=NAME;urp; (or socket,host=…,port=…)",
    )
    parser.add_argument("--file", default=None, help="spreadsheet to open instead of a new document")
    parser.add_argument("--start-timeout", type=float, default=45.0, help="seconds soffice may take to start")
    return parser.parse_args(argv)


def _stop_on_sigterm():
    def stop(_signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)


def main(argv):
    # First of all: soffice, started below, must not inherit the token either.
    token = host.take_token()
    options = parse_options(argv)
    if uno is None:
        host.log(f"{sys.executable} has no 'uno' module: run this with LibreOffice's Python or install python3-uno")
        return host.EXIT_REFUSED
    try:
        target = uno_channel.parse_connect(options.connect) if options.connect else None
    except ValueError as error:
        host.log(str(error))
        return host.EXIT_REFUSED
    _stop_on_sigterm()
    office = None
    session = None
    try:
        if target is None:
            office = soffice_process.Office(options.soffice, timeout=options.start_timeout)
            target = office.target
            threading.Thread(target=_watch_office, args=(office,), name="soffice-watch", daemon=True).start()
        session = Session(connect_office(target, options.start_timeout))
        if office is not None:
            disable_lock_files(session.ctx)
            session.manage_office()
        if options.file:
            session.open_document(options.file)
        else:
            session.new_document()
        info = host.HostInfo(APP, session.version(), "vba", ["vba", "python"], session.document_path)
        evaluators = {"vba": session.run_vba, "python": session.run_python}
        return host.connect_and_serve(options, info, evaluators, token)
    except (soffice_process.StartError, uno_channel.ChannelError, NoConnectException, RuntimeException, OSError) as error:
        host.log(f"cannot start: {error}")
        return host.EXIT_CONNECTION_LOST
    finally:
        if office is not None:
            office.stop()
        elif session is not None:
            session.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
