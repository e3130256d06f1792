# SolidWorks' capture (Adapter.capture, adapters/types.ts): pictures of the active document as
# SolidWorks draws it, written into params["dir"] by the app's own export (ModelDocExtension.SaveAs
# to .png), the value listing them with their labels. Run by the Windows COM runner with `swApp`
# bound (the adapter's prelude). Named views are the standard orientations (ShowNamedView2 with a
# swStandardViews_e id, then zoom to fit); parts and assemblies are shown shaded with edges.
# The orientation and display mode it changes are put back afterwards: capturing changes
# nothing in the document. Without views: the current view, as the person sees it.


def _scriptwright_sw_capture(params):
    import os

    import pythoncom
    import win32com.client

    member = __import__("scriptwright_solidworks").member
    # swStandardViews_e
    orientations = {
        "front": 1,
        "back": 2,
        "left": 3,
        "right": 4,
        "top": 5,
        "bottom": 6,
        "isometric": 7,
        "trimetric": 8,
        "dimetric": 9,
    }
    shaded_with_edges = 5  # swViewDisplayMode_e; only for parts and assemblies
    silent_copy = 1 | 2  # swSaveAsOptions_Silent | swSaveAsOptions_Copy

    doc = swApp.ActiveDoc
    if doc is None:
        return {"refused": "SolidWorks has no document open: open a part, assembly or drawing"}
    kind = member(doc, "GetType")
    title = str(member(doc, "GetTitle"))
    views = params.get("views") or []
    if views and kind == 3:
        return {"refused": "%s is a drawing, which has no model orientations: capture it without views" % title}

    view = doc.ActiveView
    saved = {}
    for name in ("Orientation3", "Translation3", "Scale2", "DisplayMode"):
        try:
            saved[name] = getattr(view, name)
        except Exception:  # an old SolidWorks without one of them: that part is not put back
            pass
    notes = []
    pictures = []

    def save_picture(file, label):
        path = os.path.join(params["dir"], file)
        errors = win32com.client.VARIANT(pythoncom.VT_BYREF | pythoncom.VT_I4, 0)
        warnings = win32com.client.VARIANT(pythoncom.VT_BYREF | pythoncom.VT_I4, 0)
        nothing = win32com.client.VARIANT(pythoncom.VT_DISPATCH, None)
        ok = doc.Extension.SaveAs(path, 0, silent_copy, nothing, errors, warnings)
        if not ok or not os.path.isfile(path):
            raise RuntimeError(
                "SolidWorks did not save the %s as a picture (SaveAs errors %s, see swFileSaveError_e)"
                % (label, errors.value)
            )
        pictures.append({"file": file, "label": label})

    try:
        if kind in (1, 2) and saved.get("DisplayMode") not in (4, shaded_with_edges):
            view.DisplayMode = shaded_with_edges
        if not views:
            save_picture("view-0.png", title)
        for index, name in enumerate(views):
            doc.ShowNamedView2("", orientations[name])
            doc.ViewZoomtofit2()
            save_picture("view-%d.png" % index, name)
    finally:
        for name, value in saved.items():
            try:
                setattr(view, name, value)
            except Exception as error:
                notes.append("could not put back the view's %s: %s" % (name, error))
        if views:
            doc.GraphicsRedraw2()
    return {"pictures": pictures, "notes": notes}


_scriptwright_sw_capture(params)
