"""COM simulator: a minimal SldWorks.Application for the runner's tests. Never proof that SolidWorks works.

Modelled: SldWorks (RevisionNumber, Visible, ActiveDoc, SendMsgToUser2), ModelDoc2 (GetTitle,
GetPathName, GetType, GetSaveFlag, SetTitle2, ConfigurationManager.ActiveConfiguration.Name,
FeatureManager.GetFeatureCount, FirstFeature, SelectionManager.GetSelectedObjectCount2),
Feature (Name, GetTypeName2, GetNextFeature). The state file's "solidworks" object gives
whether it runs, its revision and the active document (changing it there stands for the user
opening another document). With "lateBound": true, zero-argument
methods answer on attribute access, as pywin32's late binding does without type information.
"""

import json

from com_simulator_core import RPC_S_SERVER_UNAVAILABLE, SimulatedObject, com_error, journal, state

_instance = None
_ZERO_ARGUMENT_METHODS = {"RevisionNumber", "GetTitle", "GetPathName", "GetType", "FirstFeature", "GetTypeName2", "GetNextFeature", "GetSaveFlag"}


def _sw_state():
    return state().get("solidworks", {})


class _Instance:
    def __init__(self, launched):
        self.launched = launched
        self.dead = False
        self.visible = not launched
        self.document = None
        self.document_spec = "null"

    def active_document(self):
        """The state's "activeDoc"; when the test changes it, the user opened another document."""
        if self.launched:
            return self.document
        spec = _sw_state().get("activeDoc")
        key = json.dumps(spec, sort_keys=True)
        if key != self.document_spec:
            self.document = _ModelDoc(self, spec) if spec else None
            self.document_spec = key
        return self.document

    def check(self):
        if self.dead or not (self.launched or _sw_state().get("running", False)):
            self.dead = True
            raise com_error(RPC_S_SERVER_UNAVAILABLE, "The RPC server is unavailable.", None, None)


def solidworks_running_instance():
    global _instance
    settings = _sw_state()
    if _instance is not None and not _instance.dead and (_instance.launched or settings.get("running")):
        return _SldWorks(_instance)
    if not settings.get("running"):
        return None
    _instance = _Instance(False)
    return _SldWorks(_instance)


def solidworks_dispatch():
    global _instance
    _instance = _Instance(True)
    return _SldWorks(_instance)


class _SwObject(SimulatedObject):
    def __init__(self, instance):
        super().__init__()
        self._instance = instance

    def _guard(self):
        self._instance.check()

    def __getattribute__(self, name):
        value = super().__getattribute__(name)
        if name in _ZERO_ARGUMENT_METHODS and _sw_state().get("lateBound"):
            return value()
        return value


class _SldWorks(_SwObject):
    def RevisionNumber(self):  # noqa: N802  (the COM member names)
        return _sw_state().get("revision", "32.1.0")

    @property
    def Visible(self):  # noqa: N802
        return self._instance.visible

    @Visible.setter
    def Visible(self, value):  # noqa: N802
        self._instance.visible = bool(value)

    @property
    def ActiveDoc(self):  # noqa: N802
        return self._instance.active_document()

    def SendMsgToUser2(self, message, icon, buttons):  # noqa: N802
        journal("SldWorks.SendMsgToUser2", message=message)
        return 1


class _ModelDoc(_SwObject):
    def __init__(self, instance, spec):
        super().__init__(instance)
        self._title = spec.get("title", "Part1")
        self._path = spec.get("path", "")
        self._type = spec.get("type", 1)
        self._configuration = _Named(instance, spec.get("configuration", "Default"))
        features = [_Feature(instance, f["name"], f["type"]) for f in spec.get("features", [])]
        for feature, following in zip(features, features[1:] + [None]):
            feature._next = following
        self._features = features
        self._selected = spec.get("selected", 0)
        self._unsaved = spec.get("unsaved", False)

    def GetTitle(self):  # noqa: N802
        return self._title

    def GetPathName(self):  # noqa: N802
        return self._path

    def GetType(self):  # noqa: N802
        return self._type

    def GetSaveFlag(self):  # noqa: N802
        return self._unsaved

    def SetTitle2(self, title):  # noqa: N802
        journal("ModelDoc2.SetTitle2", title=title)
        self._title = title
        self._unsaved = True
        return True

    @property
    def ConfigurationManager(self):  # noqa: N802
        return _ConfigurationManager(self._instance, self._configuration)

    @property
    def FeatureManager(self):  # noqa: N802
        return _FeatureManager(self._instance, self._features)

    def FirstFeature(self):  # noqa: N802
        return self._features[0] if self._features else None

    @property
    def SelectionManager(self):  # noqa: N802
        return _SelectionManager(self._instance, self._selected)


class _Named(_SwObject):
    def __init__(self, instance, name):
        super().__init__(instance)
        self._name = name

    @property
    def Name(self):  # noqa: N802
        return self._name


class _ConfigurationManager(_SwObject):
    def __init__(self, instance, active):
        super().__init__(instance)
        self._active = active

    @property
    def ActiveConfiguration(self):  # noqa: N802
        return self._active


class _FeatureManager(_SwObject):
    def __init__(self, instance, features):
        super().__init__(instance)
        self._features = features

    def GetFeatureCount(self, top_level_only):  # noqa: N802
        return len(self._features)


class _SelectionManager(_SwObject):
    def __init__(self, instance, selected):
        super().__init__(instance)
        self._selected = selected

    def GetSelectedObjectCount2(self, mark):  # noqa: N802
        # -1 counts every selection whatever its mark; the simulator gives all selections mark 0.
        return self._selected if mark in (-1, 0) else 0


class _Feature(_SwObject):
    def __init__(self, instance, name, type_name):
        super().__init__(instance)
        self._name = name
        self._type_name = type_name
        self._next = None

    @property
    def Name(self):  # noqa: N802
        return self._name

    def GetTypeName2(self):  # noqa: N802
        return self._type_name

    def GetNextFeature(self):  # noqa: N802
        return self._next
