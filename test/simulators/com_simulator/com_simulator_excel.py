"""COM simulator: a minimal Excel.Application for the runner's tests. Never proof that Excel works.

Modelled: Application (Name, Version, Visible, DisplayAlerts, ActiveWorkbook, Workbooks, Run),
Workbook (Name, FullName, VBProject), VBProject.VBComponents (Add, Remove, Count, Item),
VBComponent (Name, Type, CodeModule), CodeModule (CountOfLines, Lines, DeleteLines,
AddFromString). The state file's "excel" object says whether Excel runs, whether trust
access to the VBA project is on, whether it is busy, which workbooks are open, and whether
"Require Variable Declaration" pre-fills new modules with Option Explicit; "activeWorkbook":
null stands for every workbook closed, "failRemove" makes VBComponents.Remove fail.

Run does not interpret VBA. It resolves the qualified name exactly as given
(`'Book'!Module.Procedure`, quotes doubled inside the book name), requires the procedure to be
declared `Public Function <name>() As String`, and evaluates only lines of the form
`<name> = "<VBA string literal>"`; any other statement in the body is reported as a compile
error. That is enough to check what the runner does around the call, not the VBA kit.
"""

import re

from com_simulator_core import (
    RPC_E_CALL_REJECTED,
    RPC_S_SERVER_UNAVAILABLE,
    SimulatedObject,
    app_error,
    com_error,
    journal,
    state,
)

_instance = None  # the simulated Excel process, while it "runs"


def _excel_state():
    return state().get("excel", {})


class _Instance:
    """What lives as long as one Excel process: its workbooks and settings."""

    def __init__(self, launched, workbooks, active):
        self.launched = launched
        self.dead = False
        self.display_alerts = True
        self.visible = not launched
        self.workbooks = []
        self.active = None
        self.book_counter = 0
        for spec in workbooks:
            self.workbooks.append(_Workbook(self, spec["name"], spec.get("fullName", spec["name"])))
        if active is not None and self.workbooks:
            self.active = self.workbooks[active]

    def check(self):
        settings = _excel_state()
        if self.dead or not (self.launched or settings.get("running", False)):
            self.dead = True
            raise com_error(RPC_S_SERVER_UNAVAILABLE, "The RPC server is unavailable.", None, None)
        if settings.get("busy"):
            raise com_error(RPC_E_CALL_REJECTED, "Call was rejected by callee.", None, None)


def excel_running_instance():
    global _instance
    settings = _excel_state()
    if _instance is not None and not _instance.dead and (_instance.launched or settings.get("running")):
        return _Application(_instance)
    if not settings.get("running"):
        return None
    _instance = _Instance(False, settings.get("workbooks", []), settings.get("activeWorkbook", 0))
    return _Application(_instance)


def excel_dispatch():
    """Dispatch starts a new Excel: no workbook, not visible (as Excel started by COM)."""
    global _instance
    _instance = _Instance(True, [], None)
    return _Application(_instance)


class _ExcelObject(SimulatedObject):
    def __init__(self, instance):
        super().__init__()
        self._instance = instance

    def _guard(self):
        self._instance.check()


class _Application(_ExcelObject):
    Name = "Microsoft Excel"

    @property
    def Version(self):  # noqa: N802  (the COM member names)
        return _excel_state().get("version", "16.0")

    @property
    def Visible(self):  # noqa: N802
        return self._instance.visible

    @Visible.setter
    def Visible(self, value):  # noqa: N802
        self._instance.visible = bool(value)

    @property
    def DisplayAlerts(self):  # noqa: N802
        return self._instance.display_alerts

    @DisplayAlerts.setter
    def DisplayAlerts(self, value):  # noqa: N802
        journal("Excel.DisplayAlerts", value=bool(value))
        self._instance.display_alerts = bool(value)

    @property
    def ActiveWorkbook(self):  # noqa: N802
        # "activeWorkbook": null in the state file stands for the user closing every workbook.
        if not self._instance.launched and _excel_state().get("activeWorkbook", 0) is None:
            return None
        return self._instance.active

    @property
    def Workbooks(self):  # noqa: N802
        return _Workbooks(self._instance)

    def Run(self, macro, *args):  # noqa: N802
        journal("Excel.Run", macro=macro, displayAlerts=self._instance.display_alerts)
        match = re.fullmatch(r"'((?:[^']|'')+)'!([A-Za-z]\w*)\.([A-Za-z]\w*)", macro)
        book = match and next((b for b in self._instance.workbooks if b.name == match[1].replace("''", "'")), None)
        module = book and book.project.find(match[2])
        if module is None:
            raise _cannot_run(macro)
        return _evaluate(module, match[3], macro)


class _Workbooks(_ExcelObject):
    @property
    def Count(self):  # noqa: N802
        return len(self._instance.workbooks)

    def Add(self):  # noqa: N802
        self._instance.book_counter += 1
        name = f"Book{self._instance.book_counter}"
        book = _Workbook(self._instance, name, name)
        self._instance.workbooks.append(book)
        self._instance.active = book
        journal("Excel.Workbooks.Add", name=name)
        return book


class _Workbook(_ExcelObject):
    def __init__(self, instance, name, full_name):
        super().__init__(instance)
        self._name = name
        self._full_name = full_name
        self._project = _VBProject(instance, self)

    @property
    def name(self):
        return self._name

    @property
    def project(self):
        return self._project

    @property
    def Name(self):  # noqa: N802
        return self._name

    @property
    def FullName(self):  # noqa: N802
        return self._full_name

    @property
    def VBProject(self):  # noqa: N802
        if not _excel_state().get("trustVbaAccess", False):
            journal("Excel.VBProject.denied", workbook=self._name)
            raise app_error("Microsoft Excel", "Programmatic access to Visual Basic Project is not trusted\n")
        return self._project


class _VBProject(_ExcelObject):
    def __init__(self, instance, workbook):
        super().__init__(instance)
        self._workbook = workbook
        self._components = []

    def find(self, name):
        return next((c for c in self._components if c.current_name == name), None)

    @property
    def VBComponents(self):  # noqa: N802
        return _VBComponents(self._instance, self)


class _VBComponents(_ExcelObject):
    def __init__(self, instance, project):
        super().__init__(instance)
        self._project = project

    @property
    def Count(self):  # noqa: N802
        return len(self._project._components)

    def Item(self, index):  # noqa: N802
        components = self._project._components
        if isinstance(index, int) and 1 <= index <= len(components):
            return components[index - 1]
        found = self._project.find(index) if isinstance(index, str) else None
        if found is None:
            raise app_error("VBAProject", "Subscript out of range", 9)
        return found

    def Add(self, component_type):  # noqa: N802
        if component_type != 1:
            raise app_error("VBAProject", f"simulator: only standard modules (1), not {component_type}", 5)
        taken = {c.current_name for c in self._project._components}
        number = next(n for n in range(1, 10_000) if f"Module{n}" not in taken)
        prefill = "Option Explicit\n" if _excel_state().get("requireVariableDeclaration") else ""
        component = _VBComponent(self._instance, self._project, f"Module{number}", prefill)
        self._project._components.append(component)
        journal("VBComponents.Add", workbook=self._project._workbook.name, name=component.current_name)
        return component

    def Remove(self, component):  # noqa: N802
        if _excel_state().get("failRemove"):
            journal("VBComponents.Remove.failed", name=component.current_name)
            raise app_error("VBAProject", "simulator: removing the module failed", 5)
        self._project._components.remove(component)
        journal("VBComponents.Remove", workbook=self._project._workbook.name, name=component.current_name)


class _VBComponent(_ExcelObject):
    Type = 1

    def __init__(self, instance, project, name, text):
        super().__init__(instance)
        self._project = project
        self._name = name
        self._code = _CodeModule(instance, text)

    @property
    def current_name(self):
        return self._name

    @property
    def text(self):
        return self._code.text

    @property
    def Name(self):  # noqa: N802
        return self._name

    @Name.setter
    def Name(self, value):  # noqa: N802
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,30}", value):
            raise app_error("VBAProject", f"simulator: {value!r} is not a valid module name", 35)
        if self._project.find(value) is not None:
            raise app_error("VBAProject", f"Name conflicts with existing module, project, or object library: {value}", 32)
        journal("VBComponent.Name", old=self._name, new=value)
        self._name = value

    @property
    def CodeModule(self):  # noqa: N802
        return self._code


class _CodeModule(_ExcelObject):
    def __init__(self, instance, text):
        super().__init__(instance)
        self._lines = text.splitlines()

    @property
    def text(self):
        return "".join(line + "\n" for line in self._lines)

    @property
    def CountOfLines(self):  # noqa: N802
        return len(self._lines)

    def Lines(self, start, count):  # noqa: N802
        return "\r\n".join(self._lines[start - 1 : start - 1 + count])

    def DeleteLines(self, start, count=1):  # noqa: N802
        del self._lines[start - 1 : start - 1 + count]

    def AddFromString(self, text):  # noqa: N802
        journal("CodeModule.AddFromString", chars=len(text))
        self._lines.extend(text.splitlines())


def _cannot_run(macro):
    return app_error(
        "Microsoft Excel",
        f"Cannot run the macro '{macro}'. The macro may not be available in this workbook or all macros may be disabled.",
    )


def _evaluate(module, procedure, macro):
    """Returns what `<procedure> = "<literal>"` lines assign, or raises a compile error."""
    lines = module.text.splitlines()
    header = f"Public Function {procedure}() As String"
    if header not in (line.strip() for line in lines):
        raise _cannot_run(macro)
    journal("Excel.Run.module", name=module.current_name, text=module.text)
    start = [line.strip() for line in lines].index(header)
    result = ""
    assignment = re.compile(rf'{re.escape(procedure)} = "((?:[^"]|"")*)"')
    for number, line in enumerate(lines[start + 1 :], start + 2):
        stripped = line.strip()
        if stripped == "End Function":
            return result
        if stripped == "" or stripped.startswith("'"):
            continue
        match = assignment.fullmatch(stripped)
        if match is None:
            raise app_error(
                "Microsoft Visual Basic for Applications",
                f"Compile error in {module.current_name} line {number}: Syntax error",
            )
        result = match[1].replace('""', '"')
    raise app_error("Microsoft Visual Basic for Applications", "Compile error: Expected End Function")
