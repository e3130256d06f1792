# Blender's checkpoints (Adapter.checkpoint, adapters/types.ts): how a run is taken back.
#
# Headless Blender has no undo history, so the bridge keeps a copy of the .blend in its data dir
# (`_scriptwright_save_copy`, `_scriptwright_restore_copy`). In the UI each run is one undo step
# (the adapter's epilogue pushes "Scriptwright run"): `_scriptwright_mark` notes the undo step
# that is active before a script, `_scriptwright_undo_to` jumps back to it, and refuses when a
# step that is not a run's lies in between (the person's own edits would be undone too).
#
# The bridge appends one call to this file per script (see checkpoint.ts): `params` is bound as
# data (CheckpointParams), the call's value is the script's value.

RUN_STEP = "Scriptwright run"


def _scriptwright_save_copy(params):
    """Writes the open document to params["path"] without changing it (its path, its dirty flag)."""
    import bpy

    # Uncompressed: about a millisecond for a small scene, where compression costs tens.
    # relative_remap=False: relative paths (//textures/…) stay relative to the document's own
    # folder, where the copy is loaded back (see _scriptwright_restore_copy).
    bpy.ops.wm.save_as_mainfile(
        filepath=params["path"], copy=True, compress=False, relative_remap=False, check_existing=False
    )
    return {"document": bpy.data.filepath or None, "state": {"file": bpy.data.filepath or None}}


def _scriptwright_restore_copy(params):
    """Loads the copy at params["path"] as the open document, under the document's own path."""
    import os
    import shutil
    import uuid

    import bpy

    copy = params["path"]
    original = (params.get("state") or {}).get("file")
    if not original:
        # Recovering a file keeps the path stored in it, and a copy stores none: it stays untitled.
        bpy.ops.wm.recover_auto_save(filepath=copy)
        return {"document": None}
    # Blender takes a document's path from the file it reads, and has no way to set it: so the
    # copy is read from the document's own path, with the file there moved aside meanwhile and
    # put back at once (its content and times unchanged).
    aside = None
    try:
        if os.path.exists(original):
            aside = "%s.scriptwright-undo-%s" % (original, uuid.uuid4().hex[:8])
            os.replace(original, aside)
        shutil.copyfile(copy, original)
    except OSError as error:
        if aside and not os.path.exists(original):
            os.replace(aside, original)
        bpy.ops.wm.recover_auto_save(filepath=copy)
        return {
            "document": None,
            "notes": [
                "restored as an untitled document: its folder could not be written (%s); "
                "save it with bpy.ops.wm.save_as_mainfile(filepath=%r) to tie it to its file again"
                % (error.strerror or error, original)
            ],
        }
    try:
        bpy.ops.wm.open_mainfile(filepath=original, load_ui=False)
    finally:
        if aside:
            os.replace(aside, original)
        else:
            os.remove(original)
    return {"document": bpy.data.filepath or None}


def _scriptwright_undo_steps():
    """Blender's undo history as [(index, address, name, active)]; only print_undo_steps lists it,
    and it prints to the process's stdout, read here through a temporary file."""
    import ctypes
    import os
    import re
    import sys
    import tempfile

    import bpy

    if sys.platform == "win32":
        libc = ctypes.CDLL("ucrtbase")
    else:
        libc = ctypes.CDLL(None)
    try:
        sys.__stdout__.flush()
    except (AttributeError, ValueError):
        pass
    libc.fflush(None)
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(1)
        os.dup2(sink.fileno(), 1)
        try:
            bpy.context.window_manager.print_undo_steps()
            libc.fflush(None)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        sink.seek(0)
        text = sink.read().decode("utf-8", "replace")
    steps = []
    for line in text.splitlines():
        match = re.match(r"^\[(.)...\]\s+(\d+)\s+\{(\S+)\}\s+type='[^']*', name='(.*)'$", line)
        if match:
            steps.append((int(match.group(2)), match.group(3), match.group(4), match.group(1) == "*"))
    if not steps:
        raise RuntimeError("Blender's undo history could not be read (print_undo_steps printed nothing readable)")
    return steps


def _scriptwright_mark(params):
    """The undo step active now: the state a run that follows can be taken back to."""
    import bpy

    active = [step for step in _scriptwright_undo_steps() if step[3]]
    if not active:
        raise RuntimeError("Blender's undo history has no active step")
    index, address, name, _ = active[0]
    return {"document": bpy.data.filepath or None, "state": {"address": address, "name": name}}


def _scriptwright_undo_to(params):
    """Jumps Blender's undo history back to the marked step."""
    import bpy

    mark = params["state"]
    steps = _scriptwright_undo_steps()
    target = next((step for step in steps if step[1] == mark["address"] and step[2] == mark["name"]), None)
    if target is None:
        return {
            "refused": "Blender's undo history no longer holds the step before that run (it keeps "
            "Preferences › System › Undo Steps, 32 by default; or Blender was restarted)"
        }
    active = next(step for step in steps if step[3])
    if active[0] < target[0]:
        return {"refused": "Blender's undo history is already before that run (undone in Blender itself)"}
    between = [step[2] for step in steps if target[0] < step[0] <= active[0]]
    others = [name for name in between if name != RUN_STEP]
    if others and not params.get("force"):
        shown = ", ".join("'%s'" % name for name in others[:5])
        return {
            "refused": "the document was changed in Blender since that run (%s): taking the run back "
            "would undo those changes too" % shown
        }
    if target[0] != active[0]:
        bpy.ops.ed.undo_history(item=target[0])
    notes = ["also undid: %s" % ", ".join(others)] if others else []
    return {"document": bpy.data.filepath or None, "notes": notes}
