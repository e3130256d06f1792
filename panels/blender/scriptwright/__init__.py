"""Scriptwright for Blender: connect to the local bridge, run the code it sends, return the result.

One package, three ways to run it:

* Installed add-on (UI): Blender 3.x installs the zip built from this folder as an add-on,
  Blender 4.2+ as an extension (blender_manifest.toml). A sidebar tab "Scriptwright" in the 3D
  view shows the connection; the bridge is found through bridge.json in the data directory
  ($SCRIPTWRIGHT_HOME, else ~/.scriptwright, or the directory set in the preferences).
* Headless (managed by the bridge) and from the repository: panels/blender/scriptwright_blender.py
  (see there).
* The UI from the repository: the same script without -b.

The panel is thin: it evaluates the (already wrapped) code it is given and returns the string
the evaluation left in __scriptwright_output__. It never parses or rewrites code. Stdlib only:
Blender bundles its own Python without third-party packages.

The transport, protocol, runner and headless loop are the shared host runtime
(panels/python-common/scriptwright_host.py): the built zip carries a copy beside this file.
"""

bl_info = {
    "name": "Scriptwright",
    "author": "Scriptwright contributors",
    "version": (0, 1, 0),
    "blender": (3, 4, 0),
    "location": "View3D > Sidebar > Scriptwright",
    "description": "Runs Python scripts sent by a local Scriptwright bridge",
    "category": "Development",
}

import os

import bpy

# Run from the repository, the shared runtime lives in panels/python-common: make it a module of
# this package there too, so the code imports it the same way in both layouts.
_COMMON = os.path.normpath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "python-common"))
if not os.path.isfile(os.path.join(os.path.dirname(__file__), "scriptwright_host.py")) and _COMMON not in __path__:
    __path__.append(_COMMON)

from . import blender_host, ui  # noqa: E402

register = ui.register
unregister = ui.unregister


def main(argv):
    """`blender [-b] --python scriptwright_blender.py -- ARGS`: returns the exit code headless,
    None in the UI (Blender keeps running and the add-on stays connected)."""
    args = argv[argv.index("--") + 1 :] if "--" in argv else []
    if bpy.app.background:
        return blender_host.run_headless(args)
    ui.run_from_command_line(__name__, args)
    return None
