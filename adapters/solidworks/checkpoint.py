# SolidWorks' checkpoints (Adapter.checkpoint, adapters/types.ts): a copy of the active part.
# SolidWorks has no undo a script can drive, so before a run the part is saved as a copy
# (ModelDocExtension.SaveAs with swSaveAsOptions_Copy: the open document keeps its name and
# file) into the bridge's data dir; taking the run back closes the changed part and opens the
# copy. A copy of an assembly or a drawing would not hold the parts it references, so those
# keep no checkpoint (the run says it cannot be taken back). The copy opens as a file next to
# the part's own, "<name> (before run).sldprt": SolidWorks holds an open file, so the part's own
# file is never overwritten; Save As puts it back there.
#
# The bridge appends one call to this file per script (see checkpoint.ts): `params` is bound as
# data (CheckpointParams), the call's value is the script's value.


def _scriptwright_sw_document(doc):
    member = __import__("scriptwright_solidworks").member
    return str(member(doc, "GetPathName") or "") or str(member(doc, "GetTitle"))


def _scriptwright_sw_save_copy(params):
    import os

    import pythoncom
    import win32com.client

    member = __import__("scriptwright_solidworks").member
    doc = swApp.ActiveDoc
    if doc is None:
        raise RuntimeError("SolidWorks has no document open: there is nothing to keep")
    kind = member(doc, "GetType")
    if kind != 1:
        raise RuntimeError(
            "a copy of an %s would not hold the parts it references, so SolidWorks keeps checkpoints of parts only"
            % ("assembly" if kind == 2 else "drawing")
        )
    # SolidWorks writes the format its extension names: write a .sldprt beside the bridge's file,
    # then move it into place.
    staged = params["path"] + ".sldprt"
    errors = win32com.client.VARIANT(pythoncom.VT_BYREF | pythoncom.VT_I4, 0)
    warnings = win32com.client.VARIANT(pythoncom.VT_BYREF | pythoncom.VT_I4, 0)
    nothing = win32com.client.VARIANT(pythoncom.VT_DISPATCH, None)
    ok = doc.Extension.SaveAs(staged, 0, 1 | 2, nothing, errors, warnings)  # silent, copy
    if not ok or not os.path.isfile(staged):
        raise RuntimeError("SolidWorks did not save a copy (SaveAs errors %s, see swFileSaveError_e)" % errors.value)
    os.replace(staged, params["path"])
    document = _scriptwright_sw_document(doc)
    path = str(member(doc, "GetPathName") or "") or None
    return {"document": document, "state": {"document": document, "file": path, "title": str(member(doc, "GetTitle"))}}


def _scriptwright_sw_restore_copy(params):
    import os
    import re
    import shutil
    import tempfile

    import pythoncom
    import win32com.client

    member = __import__("scriptwright_solidworks").member
    state = params.get("state") or {}
    doc = swApp.ActiveDoc
    if doc is not None:
        current = _scriptwright_sw_document(doc)
        if current != state.get("document") and not params.get("force"):
            return {"refused": "the active document is %s, not %s, which the run changed" % (current, state.get("document"))}
    # Next to the part's own file, under a name that says what it is; untitled: the temp folder.
    original = state.get("file")
    stem = os.path.splitext(os.path.basename(original))[0] if original else re.sub(r"[^\w .-]", "_", state.get("title") or "Part")
    folder = os.path.dirname(original) if original else tempfile.gettempdir()
    target = os.path.join(folder, "%s (before run).sldprt" % stem)
    shutil.copyfile(params["path"], target)
    if doc is not None:
        swApp.CloseDoc(str(member(doc, "GetTitle")))
    errors = win32com.client.VARIANT(pythoncom.VT_BYREF | pythoncom.VT_I4, 0)
    warnings = win32com.client.VARIANT(pythoncom.VT_BYREF | pythoncom.VT_I4, 0)
    opened = swApp.OpenDoc6(target, 1, 1, "", errors, warnings)  # swDocPART, swOpenDocOptions_Silent
    if opened is None:
        raise RuntimeError("SolidWorks could not open the copy %s (OpenDoc6 errors %s, see swFileLoadError_e)" % (target, errors.value))
    where = original or "its own file"
    return {
        "document": target,
        "notes": ["the part before the run is open as %s; Save As %s to put it back in its own file" % (target, where)],
    }
