"""Checkpoints of the runner's document: a copy kept before a script, put back to take it back.

The bridge asks for them through the adapter's scripts (adapters/libreoffice/checkpoint.ts),
which call save_checkpoint(path) and restore_checkpoint(path, state) from the session module.

The copy is Flat ODF (.fods): every cell, format, chart, named range and sheet the document has,
in about 10 ms for a small book, where zipped ODF takes 130 ms or more (it renders a thumbnail).

Putting it back replaces the document, keeping what makes it the same document: its file (the
URL it saves to) and that file's format, its modified flag, and the CSV file it was read from.
LibreOffice has no way to give a loaded document another URL, but it reads a document from a
stream under any URL it is given; a document whose URL is open already cannot be loaded again,
so the open one is closed first, after the copy was checked to load (as an untitled document,
which is also what stands in if loading it under its URL fails).
"""

import uno
from com.sun.star.beans import PropertyValue

FLAT_ODS = "OpenDocument Spreadsheet Flat XML"


def _property(name, value):
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _filter_of(doc):
    return next((prop.Value for prop in doc.getArgs() if prop.Name == "FilterName"), None)


def save(doc, path, csv_source=None):
    """Writes a copy of `doc` to `path`; the document itself (file, format, modified flag) is unchanged."""
    modified = doc.isModified()
    doc.storeToURL(uno.systemPathToFileUrl(path), (_property("FilterName", FLAT_ODS), _property("Overwrite", True)))
    if modified != doc.isModified():
        doc.setModified(modified)
    url = doc.getURL() if doc.hasLocation() else ""
    document = uno.fileUrlToSystemPath(url) if url.startswith("file:") else (url or csv_source)
    return {
        "document": document or None,
        "state": {"url": url or None, "filter": _filter_of(doc) if url else None, "modified": modified, "csv": csv_source},
    }


def restore(ctx, desktop, current, path, state):
    """The copy at `path` loaded as the document `state` describes; returns (doc, notes).
    `current` (the open document) is closed when the copy is loaded under its URL."""
    copy_url = uno.systemPathToFileUrl(path)
    hidden = _property("Hidden", True)
    no_macros = _property("MacroExecutionMode", 0)
    # The filter named: the runner's own office detects no type for .fods (see hidden_loads).
    flat = _property("FilterName", FLAT_ODS)
    untitled = desktop.loadComponentFromURL(copy_url, "_blank", 0, (hidden, no_macros, flat, _property("AsTemplate", True)))
    if untitled is None or not hasattr(untitled, "Sheets"):
        raise IOError(f"LibreOffice could not read the checkpoint {path}")
    url = state.get("url")
    notes = []
    doc = untitled
    if url:
        _close(current)
        # Opened by the office itself, so its loader reads (and seeks) without a round trip each time.
        files = ctx.ServiceManager.createInstanceWithContext("com.sun.star.ucb.SimpleFileAccess", ctx)
        stream = files.openFileRead(copy_url)
        loaded = None
        try:
            loaded = desktop.loadComponentFromURL(
                url, "_blank", 0, (hidden, no_macros, flat, _property("InputStream", stream))
            )
        except Exception as error:  # said below; the untitled copy stands in
            notes.append(f"LibreOffice refused to load it under its file's name: {getattr(error, 'Message', '') or error}")
        if loaded is not None and hasattr(loaded, "Sheets"):
            # Saving writes the file's own format again, not the copy's.
            if state.get("filter"):
                loaded.attachResource(url, (_property("FilterName", state["filter"]),))
            _close(untitled)
            doc = loaded
        else:
            notes.insert(
                0,
                f"restored as an untitled document, no longer tied to {uno.fileUrlToSystemPath(url) if url.startswith('file:') else url}: "
                "save it with SaveAs to write that file",
            )
    doc.setModified(bool(state.get("modified")))
    return doc, notes


def _close(doc):
    if doc is None:
        return
    try:
        doc.close(True)
    except Exception:
        try:
            doc.dispose()
        except Exception:
            pass
