"""Saving in the runner's office: VBA's Workbook.Save and SaveAs write the file they name, in its format.

Measured on LibreOffice 7.4 headless: Workbook.Save dispatches .uno:Save, which saves an .ods
but does nothing for an .xlsx (the "keep this format?" question it asks is answered No when
no one can see it) nor for a document that has no file yet (the Save As dialog it opens is
cancelled); the script goes on as if it had saved. Workbook.SaveAs stores "MS Excel 97"
(.xls) content whatever the name's extension says.

So, in every document's frame, .uno:Save is answered here: the document is stored in its own
format, a document read from a CSV file is written back to that file, and a document with no
file at all fails the script with an error naming SaveAs. And a file just saved under a
spreadsheet extension in another format is stored again in the format its extension names.
"""

import os
import threading

import uno
import unohelper
from com.sun.star.document import XDocumentEventListener
from com.sun.star.frame import XDispatch, XDispatchProviderInterceptor

from calc_files import CSV_OPTIONS, DOCUMENT_FORMATS

SAVE_COMMAND = ".uno:Save"
NO_FILE = (
    "ThisWorkbook.Save: this workbook has never been saved, so it has no file to save to; "
    'use ThisWorkbook.SaveAs "/full/path/book.xlsx" (the format follows the extension)'
)


def _value(name, value):
    prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    prop.Name = name
    prop.Value = value
    return prop


def _runtime_error(message):
    return uno.getClass("com.sun.star.uno.RuntimeException")(message, None)


def filter_of(doc):
    return next((prop.Value for prop in doc.getArgs() if prop.Name == "FilterName"), None)


def store_properties(extension):
    """The store arguments that write a file with this extension in its format."""
    props = [_value("FilterName", DOCUMENT_FORMATS[extension][0]), _value("Overwrite", True)]
    if extension == ".csv":
        props.append(_value("FilterOptions", CSV_OPTIONS))
    return tuple(props)


def wrong_format(doc):
    """The extension of the document's file when its content is in another format, else None."""
    if not doc.hasLocation() or not doc.getLocation().startswith("file:"):
        return None
    extension = os.path.splitext(uno.fileUrlToSystemPath(doc.getLocation()))[1].lower()
    formats = DOCUMENT_FORMATS.get(extension)
    if formats is None or filter_of(doc) in formats:
        return None
    return extension


def save(doc, csv_source=None):
    """What Workbook.Save means: the document's own file, in its own format."""
    if doc.hasLocation():
        extension = wrong_format(doc)
        if extension is None:
            doc.store()
        else:
            doc.storeAsURL(doc.getLocation(), store_properties(extension))
    elif csv_source:
        doc.storeAsURL(uno.systemPathToFileUrl(csv_source), store_properties(".csv"))
    else:
        raise _runtime_error(NO_FILE)


class SaveInterceptor(unohelper.Base, XDispatchProviderInterceptor, XDispatch):
    """Takes .uno:Save in one document's frame; every other command goes on to the office."""

    def __init__(self, doc, saver):
        self._doc = doc
        self._saver = saver
        self._slave = None
        self._master = None

    def getSlaveDispatchProvider(self):
        return self._slave

    def setSlaveDispatchProvider(self, provider):
        self._slave = provider

    def getMasterDispatchProvider(self):
        return self._master

    def setMasterDispatchProvider(self, provider):
        self._master = provider

    def queryDispatch(self, url, target, flags):
        if url.Complete == SAVE_COMMAND:
            return self
        return self._slave.queryDispatch(url, target, flags) if self._slave else None

    def queryDispatches(self, requests):
        return tuple(self.queryDispatch(r.FeatureURL, r.FrameName, r.SearchFlags) for r in requests)

    def dispatch(self, url, arguments):
        self._saver.save(self._doc)

    def addStatusListener(self, listener, url):
        pass

    def removeStatusListener(self, listener, url):
        pass


class Saver(unohelper.Base, XDocumentEventListener):
    """Puts a SaveInterceptor in each new document's frame and corrects the format of files
    saved under another format's extension; `csv_source(doc)` is the CSV file a document was
    read from, if any. A correction that fails is kept in `failures` for the run to report."""

    def __init__(self, csv_source):
        self._csv_source = csv_source
        self._lock = threading.Lock()
        self.failures = []

    def install(self, ctx):
        broadcaster = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.GlobalEventBroadcaster", ctx)
        broadcaster.addDocumentEventListener(self)

    def save(self, doc):
        try:
            save(doc, self._csv_source(doc))
        except Exception as error:
            if isinstance(error, uno.getClass("com.sun.star.uno.RuntimeException")):
                raise
            raise _runtime_error(f"ThisWorkbook.Save failed: {getattr(error, 'Message', '') or error}") from None

    def take_failures(self):
        with self._lock:
            failures, self.failures = self.failures, []
        return failures

    def documentEventOccured(self, event):
        try:
            if event.EventName == "OnViewCreated":
                self._intercept(event)
            elif event.EventName == "OnSaveAsDone":
                self._correct_format(event.Source)
        except Exception as error:  # never let a listener's failure reach the office
            with self._lock:
                self.failures.append(f"{event.EventName}: {error}")

    def _intercept(self, event):
        controller = event.ViewController or event.Source.getCurrentController()
        frame = controller.getFrame() if controller else None
        if frame is not None:
            frame.registerDispatchProviderInterceptor(SaveInterceptor(event.Source, self))

    def _correct_format(self, doc):
        extension = wrong_format(doc)
        if extension is None:
            return
        try:
            doc.storeAsURL(doc.getLocation(), store_properties(extension))
        except Exception as error:
            path = uno.fileUrlToSystemPath(doc.getLocation())
            with self._lock:
                self.failures.append(
                    f"{path} was saved as {filter_of(doc)}, not as {extension} content, "
                    f"and storing it as {extension} failed: {getattr(error, 'Message', '') or error}"
                )

    def disposing(self, source):
        pass
