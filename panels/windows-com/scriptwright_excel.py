"""Runs VBA module text in the running Excel through COM.

The VBA kit sends a complete module whose entry point is `Public Function ScriptwrightRun()
As String`, returning the result envelope as text. Each run imports it as a temporary
standard module into the active workbook's VBA project, calls it with Application.Run and
removes the module again, also when anything on the way fails. All COM calls happen on the
thread that created this session (the runner's serving thread, which called CoInitialize).
"""

import itertools
import os

from scriptwright_com_attach import ComAttachment
from scriptwright_com_errors import (
    BUSY,
    GONE,
    ComFailure,
    busy_message,
    codes,
    describe,
    gone_message,
    hresult,
)

PROG_ID = "Excel.Application"
ENTRY_POINT = "ScriptwrightRun"
VBEXT_CT_STD_MODULE = 1
# Every temporary module's name starts with this and the runner's pid: a module left behind
# by an interrupted run of this runner is recognised and removed before the next run.
MODULE_PREFIX = "ScriptwrightTmp"

TRUST_SETTING = (
    "File › Options › Trust Center › Trust Center Settings › Macro Settings › "
    '"Trust access to the VBA project object model"'
)
TRUST_REGISTRY = r"HKCU\Software\Microsoft\Office\16.0\Excel\Security\AccessVBOM = 1"

NOT_RUNNING = (
    "Excel is not running, or not reachable through COM: open Excel with a workbook, or start the "
    "runner with --start to launch one. An Excel running as administrator cannot be reached from a "
    "runner that is not (nor the reverse); an Excel opened a moment ago becomes reachable once its "
    "window has lost the focus once."
)
NOT_INSTALLED_MESSAGE = "Excel is not installed on this machine (Excel.Application is not registered)."
NO_WORKBOOK = (
    "Excel has no workbook open (a file in Protected View does not count until you click Enable "
    "Editing): open or create a workbook, then run again."
)


def trust_message(error):
    return (
        "Excel refused access to the workbook's VBA project, which the runner needs to import the "
        f"script as a module. Turn on {TRUST_SETTING} (or, with Excel closed, set the registry value "
        f"{TRUST_REGISTRY}; `scriptwright panel install excel --trust-vba-access` does that), then "
        f"restart Excel. Excel said: {describe(error)}"
    )


def _add_blank_workbook(app):
    # A fresh Excel has no workbook; the one the runner launched gets a blank one.
    if app.ActiveWorkbook is None:
        app.Workbooks.Add()


EXCEL = {
    "prog_id": PROG_ID,
    "name": "Excel",
    "probe": "Name",
    "not_running": NOT_RUNNING,
    "not_installed": NOT_INSTALLED_MESSAGE,
    "prepare": _add_blank_workbook,
}


def qualified_macro(workbook_name, module_name, procedure=ENTRY_POINT):
    """`'Book Name.xlsx'!Module.Procedure`: quotes around the book name, inner quotes doubled."""
    return "'{}'!{}.{}".format(workbook_name.replace("'", "''"), module_name, procedure)


class ExcelSession:
    def __init__(self, client, com_error, start=False, log=lambda message: None):
        self._com_error = com_error
        self._log = log
        self._attachment = ComAttachment(client, com_error, EXCEL, start, log)
        self._counter = itertools.count(1)
        self._prefix = f"{MODULE_PREFIX}{os.getpid()}_"

    # ── attaching ────────────────────────────────────────────────────────────────────────────

    def attach(self):
        """The running Excel; launched (with a blank workbook) when the runner was told --start."""
        return self._attachment.get()

    def version(self):
        return str(self.attach().Version)

    def current_document(self):
        try:
            workbook = self.attach().ActiveWorkbook
            return str(workbook.FullName) if workbook is not None else None
        except (ComFailure, self._com_error):
            return None

    # ── running ──────────────────────────────────────────────────────────────────────────────

    def run_module(self, module_text):
        """Imports `module_text`, runs its ScriptwrightRun and returns the text it returned."""
        try:
            return self._run(module_text)
        except self._com_error as error:
            raise self._failure(error, "talking to Excel") from None

    def _run(self, module_text):
        app = self.attach()
        workbook = app.ActiveWorkbook
        if workbook is None:
            raise ComFailure(NO_WORKBOOK)
        alerts = app.DisplayAlerts
        # A modal alert would block Excel's script engine until someone clicks it.
        app.DisplayAlerts = False
        try:
            return self._run_in(app, workbook, module_text)
        finally:
            self._restore_alerts(app, alerts)

    def _run_in(self, app, workbook, module_text):
        try:
            components = workbook.VBProject.VBComponents
        except self._com_error as error:
            if hresult(error) in BUSY | GONE:
                raise
            raise ComFailure(trust_message(error)) from None
        self._remove_leftovers(components)
        try:
            component = components.Add(VBEXT_CT_STD_MODULE)
        except self._com_error as error:
            raise self._failure(error, f"adding a module to the VBA project of {workbook.Name}") from None
        try:
            name = f"{self._prefix}{next(self._counter)}"
            try:
                component.Name = name
                code = component.CodeModule
                # "Require Variable Declaration" pre-fills new modules with Option Explicit:
                # the module must hold exactly the kit's text.
                if code.CountOfLines:
                    code.DeleteLines(1, code.CountOfLines)
                code.AddFromString(module_text)
            except self._com_error as error:
                raise self._failure(error, "importing the script as a module") from None
            macro = qualified_macro(str(workbook.Name), name)
            try:
                output = app.Run(macro)
            except self._com_error as error:
                raise self._failure(error, f"running {macro}") from None
        finally:
            self._remove(components, component)
        if not isinstance(output, str):
            raise ComFailure(
                f"{ENTRY_POINT} returned {type(output).__name__} instead of text: the module's entry point "
                f"must be `Public Function {ENTRY_POINT}() As String`"
            )
        return output

    def _failure(self, error, doing):
        found = codes(error)
        if found & BUSY:
            return ComFailure(busy_message("Excel"))
        if found & GONE:
            self._attachment.forget()
            return ComFailure(gone_message("Excel"))
        return ComFailure(f"Excel failed while {doing}: {describe(error)}")

    def _remove(self, components, component):
        try:
            components.Remove(component)
        except self._com_error as error:
            # The next run removes it (same prefix); the result of this run still counts.
            self._log(f"could not remove the temporary module: {describe(error)}")

    def _remove_leftovers(self, components):
        leftovers = []
        for index in range(1, components.Count + 1):
            component = components.Item(index)
            if str(component.Name).startswith(self._prefix):
                leftovers.append(component)
        for component in leftovers:
            self._log(f"removing {component.Name}, left by an interrupted run")
            self._remove(components, component)

    def _restore_alerts(self, app, alerts):
        try:
            app.DisplayAlerts = alerts
        except self._com_error as error:
            self._log(f"could not restore DisplayAlerts: {describe(error)}")

