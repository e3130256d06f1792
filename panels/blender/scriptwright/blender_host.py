"""What Blender says about itself to the bridge, and the headless loop managed Blender runs."""

import bpy

from . import scriptwright_host as host

CAPABILITIES = ["python", "state"]
EVALUATORS = {"python": host.evaluate_python}


def current_document():
    return bpy.data.filepath or None


def host_info():
    # In the UI each run is one undo step (the adapter's epilogue pushes it), so the bridge takes
    # runs back with Blender's own undo there; headless Blender keeps no undo history.
    capabilities = CAPABILITIES if bpy.app.background else [*CAPABILITIES, "undo"]
    return host.HostInfo("blender", bpy.app.version_string, "python", capabilities, current_document)


def run_headless(args):
    """Serves on Blender's main thread until the bridge goes away; returns the process exit code
    (0 closed normally, 1 connection failed or lost, 2 refused or no token/bridge).

    `blender -b` never fires timers while a script blocks, so this loop reads the socket itself
    between runs; a watcher thread answers pings and cancels while a script runs long."""
    token = host.take_token()  # before anything else: no script may see it in the environment
    options = host.parse_args(args, "scriptwright_blender.py").parse_args(args)
    return host.connect_and_serve(options, host_info(), EVALUATORS, token)
