"""COM simulator: a minimal SldWorks.Application for the runner's tests. Never proof that SolidWorks works.

Modelled: SldWorks (RevisionNumber, Visible, ActiveDoc, SendMsgToUser2), ModelDoc2 (GetTitle,
GetPathName, GetType, GetSaveFlag, SetTitle2, ConfigurationManager.ActiveConfiguration.Name,
FeatureManager.GetFeatureCount, FirstFeature, SelectionManager.GetSelectedObjectCount2),
Feature (Name, GetTypeName2, GetNextFeature). For captures and checkpoints: ModelDoc2.ActiveView
(DisplayMode, Orientation3, Translation3, Scale2), ShowNamedView2, ViewZoomtofit2, GraphicsRedraw2,
Extension.SaveAs (a .png of one colour per orientation, shaded or grey; a .sldprt as the document's
JSON; ByRef Errors/Warnings as VARIANTs), Extension.CustomPropertyManager("").Add3/GetNames, and
SldWorks.CloseDoc / OpenDoc6 (reads such a .sldprt back, titled after its file, as SolidWorks does). The state file's "solidworks" object gives
whether it runs, its revision and the active document (changing it there stands for the user
opening another document). With "lateBound": true, zero-argument
methods answer on attribute access, as pywin32's late binding does without type information.
"""

import binascii
import json
import os
import struct
import zlib

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

    def CloseDoc(self, name):  # noqa: N802
        journal("SldWorks.CloseDoc", name=name)
        document = self._instance.active_document()
        if document is not None and document._title == name:
            self._instance.document = None

    def OpenDoc6(self, path, doc_type, options, configuration, errors, warnings):  # noqa: N802
        _check_byref(errors, warnings)
        journal("SldWorks.OpenDoc6", path=path, type=doc_type, options=options)
        if not os.path.isfile(path):
            errors.value = 2  # swFileNotFoundError
            return None
        with open(path, encoding="utf-8") as handle:
            spec = json.load(handle)
        spec["path"] = path
        spec["title"] = os.path.splitext(os.path.basename(path))[0]
        self._instance.document = _ModelDoc(self._instance, spec)
        return self._instance.document


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
        self._properties = dict(spec.get("properties", {}))
        self._view = _ModelView(instance)
        self._spec = spec

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

    @property
    def ActiveView(self):  # noqa: N802
        return self._view

    @property
    def Extension(self):  # noqa: N802
        return _Extension(self._instance, self)

    def ShowNamedView2(self, name, view_id):  # noqa: N802
        journal("ModelDoc2.ShowNamedView2", name=name, id=view_id)
        if name != "" or view_id not in _ORIENTATION_COLOURS:
            raise com_error(-2147352567, "simulator: only standard views by id", None, None)
        self._view._orientation = view_id

    def ViewZoomtofit2(self):  # noqa: N802
        journal("ModelDoc2.ViewZoomtofit2")
        self._view._scale = "fit"

    def GraphicsRedraw2(self):  # noqa: N802
        journal("ModelDoc2.GraphicsRedraw2")

    def snapshot(self):
        """What a .sldprt copy holds in the simulator: the document's spec with its current state."""
        return {**self._spec, "title": self._title, "properties": self._properties, "unsaved": False}


# A picture's colour per orientation (0: the view the person left), shaded; grey when not shaded.
_ORIENTATION_COLOURS = {0: (200, 120, 40), 1: (220, 0, 0), 2: (0, 160, 0), 3: (0, 0, 220), 4: (220, 220, 0),
                        5: (0, 200, 200), 6: (200, 0, 200), 7: (255, 128, 0), 8: (128, 0, 255), 9: (0, 128, 128)}


def _png(width, height, rgb):
    """A PNG of one colour, standing in for what SolidWorks draws."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", binascii.crc32(body) & 0xFFFFFFFF)
    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b"")


def _check_byref(*variants):
    for variant in variants:
        if getattr(variant, "varianttype", None) != (0x4000 | 3):
            raise com_error(-2147352571, "Type mismatch (simulator: ByRef Long needs VARIANT(VT_BYREF | VT_I4))", None, 1)


class _ModelView(_SwObject):
    def __init__(self, instance):
        super().__init__(instance)
        self._orientation = 0
        self._scale = 1.0
        self._display = 3  # hidden lines greyed

    @property
    def DisplayMode(self):  # noqa: N802
        return self._display

    @DisplayMode.setter
    def DisplayMode(self, value):  # noqa: N802
        journal("ModelView.DisplayMode", value=value)
        self._display = value

    @property
    def Orientation3(self):  # noqa: N802
        return ("orientation", self._orientation)

    @Orientation3.setter
    def Orientation3(self, value):  # noqa: N802
        self._orientation = value[1]

    @property
    def Translation3(self):  # noqa: N802
        return ("translation", 0)

    @Translation3.setter
    def Translation3(self, value):  # noqa: N802
        pass

    @property
    def Scale2(self):  # noqa: N802
        return self._scale

    @Scale2.setter
    def Scale2(self, value):  # noqa: N802
        self._scale = value


class _Extension(_SwObject):
    def __init__(self, instance, document):
        super().__init__(instance)
        self._document = document

    def SaveAs(self, path, version, options, export_data, errors, warnings):  # noqa: N802
        _check_byref(errors, warnings)
        if getattr(export_data, "varianttype", None) != 9:
            raise com_error(-2147352571, "Type mismatch (simulator: ExportData needs VARIANT(VT_DISPATCH, None))", None, 4)
        view = self._document._view
        journal("ModelDocExtension.SaveAs", path=path, options=options, orientation=view._orientation, display=view._display)
        extension = os.path.splitext(path)[1].lower()
        if extension == ".png":
            shaded = view._display in (4, 5)
            rgb = _ORIENTATION_COLOURS[view._orientation] if shaded else (128, 128, 128)
            with open(path, "wb") as handle:
                handle.write(_png(160, 90, rgb))
        elif extension == ".sldprt":
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self._document.snapshot(), handle)
        else:
            errors.value = 1  # swGenericSaveError
            return False
        return True

    def CustomPropertyManager(self, configuration):  # noqa: N802
        return _CustomProperties(self._instance, self._document)


class _CustomProperties(_SwObject):
    def __init__(self, instance, document):
        super().__init__(instance)
        self._document = document

    def Add3(self, name, field_type, value, overwrite):  # noqa: N802
        journal("CustomPropertyManager.Add3", name=name, value=value)
        self._document._properties[name] = value
        self._document._unsaved = True
        return 0

    def GetNames(self):  # noqa: N802
        return tuple(self._document._properties) or None


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
