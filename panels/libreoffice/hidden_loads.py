"""Makes the runner's own office open every document hidden (see office_hidden_loads).

Only for an office the runner started: it replaces a service in that office's service
manager for the rest of its life, which a person's office (--connect) should not undergo.
"""

import os
import tempfile

import uno
from com.sun.star.beans import PropertyValue

COMPONENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "office_hidden_loads.py")
IMPLEMENTATION = "org.scriptwright.HiddenLoadsTypeDetection"
SERVICE = "com.sun.star.document.TypeDetection"


class InstallError(Exception):
    pass


def _value(name, value):
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _read_filter_list(desktop):
    """Stores a new document once, which makes the office read its filter list (with each type's
    properties) through the original service: read through the Python one, those properties
    would arrive untyped and every ODF load and save would fail."""
    doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (_value("Hidden", True),))
    handle, path = tempfile.mkstemp(prefix="scriptwright-filters-", suffix=".ods")
    os.close(handle)
    try:
        doc.storeToURL(uno.systemPathToFileUrl(path), (_value("FilterName", "calc8"),))
    finally:
        doc.close(True)
        os.unlink(path)


def install(ctx, desktop):
    """Puts the hidden-loads type detection in place of the office's own."""
    smgr = ctx.ServiceManager
    original = smgr.createInstanceWithContext(SERVICE, ctx)
    if original.getImplementationName() == IMPLEMENTATION:
        return
    _read_filter_list(desktop)
    loader = smgr.createInstanceWithContext("com.sun.star.loader.Python", ctx)
    if loader is None:
        raise InstallError("this LibreOffice has no Python loader (com.sun.star.loader.Python)")
    factory = loader.activate(IMPLEMENTATION, "", uno.systemPathToFileUrl(COMPONENT), None)
    # The first instance takes the original service, so it must be made before the swap; ours
    # goes in first, so that a failure on the way never leaves the office without any.
    factory.createInstanceWithContext(ctx)
    smgr.insert(factory)
    smgr.remove(original.getImplementationName())
    if smgr.createInstanceWithContext(SERVICE, ctx).getImplementationName() != IMPLEMENTATION:
        raise InstallError("the office still answers with its own type detection")
