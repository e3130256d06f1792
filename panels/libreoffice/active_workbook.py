"""Keeps VBA's ActiveWorkbook on the right document in the runner's office.

LibreOffice's VBA takes ActiveWorkbook (and so unqualified Range, Cells, ActiveSheet) from the
application Basic's ThisExcelDoc, which follows the document a person last clicked into. Headless
and hidden, nobody clicks: after Workbooks.Add it stays on the new workbook, wb.Activate does
not move it back, and once that workbook is closed it names a disposed document, so every later
VBA run fails. So each VBA run starts with the host's document active, as a batch expects of
each file it opens, and a workbook's frame becoming active (wb.Activate) makes it ActiveWorkbook.

ThisExcelDoc can be set only from Basic: a helper procedure in an application library of the
runner's private profile (never in a user's document) does it.
"""

import unohelper
from com.sun.star.document import XDocumentEventListener
from com.sun.star.frame import XFrameActionListener

# Library, module and procedure names are global names in every Basic of the office, VBA
# scripts' included: they must not be ones a script uses (a module named ActiveWorkbook
# would stand for VBA's ActiveWorkbook).
LIBRARY = "Swrt_Host"
MODULE = "Swrt_HostModule"
PROCEDURE = "Swrt_SetActiveWorkbook"
SOURCE = f"""Sub {PROCEDURE}(doc As Object)
    ThisExcelDoc = doc
End Sub
"""
SCRIPT = f"vnd.sun.star.script:{LIBRARY}.{MODULE}.{PROCEDURE}?language=Basic&location=application"


class ActivationListener(unohelper.Base, XFrameActionListener):
    """A document's frame was activated (VBA's wb.Activate): it becomes ActiveWorkbook."""

    def __init__(self, doc, tracker):
        self._doc = doc
        self._tracker = tracker

    def frameAction(self, event):
        if event.Action.value == "FRAME_ACTIVATED":
            self._tracker.activate(self._doc)

    def disposing(self, source):
        pass


class ActiveWorkbook(unohelper.Base, XDocumentEventListener):
    def __init__(self, ctx):
        libraries = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.script.ApplicationScriptLibraryContainer", ctx
        )
        if not libraries.hasByName(LIBRARY):
            libraries.createLibrary(LIBRARY)
        library = libraries.getByName(LIBRARY)
        if not library.hasByName(MODULE):
            library.insertByName(MODULE, SOURCE)
        factory = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.script.provider.MasterScriptProviderFactory", ctx
        )
        self._set_active = factory.createScriptProvider("").getScript(SCRIPT)
        broadcaster = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.GlobalEventBroadcaster", ctx)
        broadcaster.addDocumentEventListener(self)

    def activate(self, doc):
        self._set_active.invoke((doc,), (), ())

    def documentEventOccured(self, event):
        if event.EventName != "OnViewCreated":
            return
        try:
            controller = event.ViewController or event.Source.getCurrentController()
            controller.getFrame().addFrameActionListener(ActivationListener(event.Source, self))
        except Exception:  # a document without a frame cannot be activated either
            pass

    def disposing(self, source):
        pass
