"""Runs the Scriptwright add-on (the package beside this file) straight from the repository.

Headless, as the bridge starts managed Blender:
    SCRIPTWRIGHT_TOKEN=... blender -b [file.blend] --factory-startup \\
        --python scriptwright_blender.py -- --bridge ws://127.0.0.1:PORT/ws/host \\
        [--name NAME] [--instance ID]
  The token comes from the environment, never argv (argv is visible to every local user).
  Without --bridge, the bridge is found through bridge.json ($SCRIPTWRIGHT_HOME or --data-dir).
  Exit codes: 0 the bridge closed the connection normally, 1 the connection failed or was
  lost, 2 the bridge refused the host (bad token, protocol mismatch) or no token/bridge.

In the UI, the same command without -b enables the add-on for this session (not saved in the
preferences) and connects as the installed add-on does: through bridge.json, or to --bridge
with the token from the environment.

For an installed add-on, build the zip instead (see the README's Blender section).
"""

import os
import sys

# The package `scriptwright` lives beside this file; it finds the shared runtime (python-common)
# itself.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import scriptwright  # noqa: E402

_exit_code = scriptwright.main(sys.argv)
if _exit_code is not None:
    sys.exit(_exit_code)
