"""Runs inside soffice (loaded by its Python loader): every document it loads is opened hidden.

A headless LibreOffice dies as soon as a document's window is shown (the Calc view it then
activates needs UI files a headless install lacks), and scripts open documents without
Hidden=True: VBA's Workbooks.Add and Workbooks.Open always do, Python scripts often do. Every
load goes through the office's type detection service, whose answer (the load's media
descriptor, an in/out argument) replaces the loader's own; this component stands in for that
service, delegates everything to the original and adds Hidden=True to that answer.
hidden_loads.install() puts it in place of the original in the office's service manager.
"""

import unohelper
from com.sun.star.beans import PropertyValue
from com.sun.star.container import XContainerQuery, XNameContainer
from com.sun.star.document import XTypeDetection
from com.sun.star.lang import XServiceInfo
from com.sun.star.util import XFlushable

IMPLEMENTATION = "org.scriptwright.HiddenLoadsTypeDetection"
SERVICE = "com.sun.star.document.TypeDetection"

# The office's own type detection, taken by the first instance, before this one replaces it.
_original = []


def _value(name, value):
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


# Added to every load: Hidden, and OpenNewView, without which a load with target "_default"
# (Workbooks.Open) of a document that is already open shows that document's window instead.
_FORCED = (("Hidden", True), ("OpenNewView", True))


class HiddenLoadsTypeDetection(unohelper.Base, XTypeDetection, XNameContainer, XContainerQuery, XFlushable, XServiceInfo):
    def __init__(self, ctx, *_args):
        if not _original:
            _original.append(ctx.ServiceManager.createInstanceWithContext(SERVICE, ctx))
        self._detection = _original[0]

    # XTypeDetection
    def queryTypeByURL(self, url):
        return self._detection.queryTypeByURL(url)

    def queryTypeByDescriptor(self, descriptor, deep):
        type_name, descriptor = self._detection.queryTypeByDescriptor(descriptor, deep)
        forced = {name for name, _ in _FORCED}
        kept = tuple(prop for prop in descriptor if prop.Name not in forced)
        return type_name, kept + tuple(_value(name, value) for name, value in _FORCED)

    # XNameContainer. Caveat: Python returns a type's properties (an `any`) as a sequence of
    # anys, not of PropertyValues; the office reads its filter list once, at the first store,
    # which install() makes happen before this service is in place.
    def getByName(self, name):
        return self._detection.getByName(name)

    def getElementNames(self):
        return self._detection.getElementNames()

    def hasByName(self, name):
        return self._detection.hasByName(name)

    def getElementType(self):
        return self._detection.getElementType()

    def hasElements(self):
        return self._detection.hasElements()

    def insertByName(self, name, element):
        self._detection.insertByName(name, element)

    def removeByName(self, name):
        self._detection.removeByName(name)

    def replaceByName(self, name, element):
        self._detection.replaceByName(name, element)

    # XContainerQuery
    def createSubSetEnumerationByQuery(self, query):
        return self._detection.createSubSetEnumerationByQuery(query)

    def createSubSetEnumerationByProperties(self, properties):
        return self._detection.createSubSetEnumerationByProperties(properties)

    # XFlushable
    def flush(self):
        self._detection.flush()

    def addFlushListener(self, listener):
        self._detection.addFlushListener(listener)

    def removeFlushListener(self, listener):
        self._detection.removeFlushListener(listener)

    # XServiceInfo
    def getImplementationName(self):
        return IMPLEMENTATION

    def supportsService(self, name):
        return name == SERVICE

    def getSupportedServiceNames(self):
        return (SERVICE,)


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(HiddenLoadsTypeDetection, IMPLEMENTATION, (SERVICE,))
